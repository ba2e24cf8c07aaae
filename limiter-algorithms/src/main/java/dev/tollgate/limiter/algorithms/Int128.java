package dev.tollgate.limiter.algorithms;

import java.math.BigInteger;

/**
 * Products of two non-negative longs without overflow: the sliding-window weights multiply a count
 * by a window in nanoseconds, which can pass 2^63 for year-long windows. The common case stays on
 * plain long arithmetic.
 */
final class Int128 {

    private Int128() {}

    /** {@code floor(a × b / c)} for {@code a, b ≥ 0} and {@code c > 0}; the result must fit a long. */
    static long mulDivFloor(long a, long b, long c) {
        if (Math.multiplyHigh(a, b) == 0) {
            long product = a * b;
            if (product >= 0) {
                return product / c;
            }
        }
        return BigInteger.valueOf(a)
                .multiply(BigInteger.valueOf(b))
                .divide(BigInteger.valueOf(c))
                .longValueExact();
    }

    /** {@code ceil(a × b / c)} for {@code a, b ≥ 0} and {@code c > 0}; the result must fit a long. */
    static long mulDivCeil(long a, long b, long c) {
        if (Math.multiplyHigh(a, b) == 0) {
            long product = a * b;
            if (product >= 0) {
                return product / c + (product % c == 0 ? 0 : 1);
            }
        }
        BigInteger[] qr =
                BigInteger.valueOf(a).multiply(BigInteger.valueOf(b)).divideAndRemainder(BigInteger.valueOf(c));
        return qr[0].longValueExact() + (qr[1].signum() == 0 ? 0 : 1);
    }

    /** Whether {@code a × b ≤ c × d}, for non-negative arguments. */
    static boolean productAtMost(long a, long b, long c, long d) {
        long leftHigh = Math.multiplyHigh(a, b);
        long rightHigh = Math.multiplyHigh(c, d);
        if (leftHigh != rightHigh) {
            return leftHigh < rightHigh;
        }
        return Long.compareUnsigned(a * b, c * d) <= 0;
    }

    /** {@code ceil(a / b)} for {@code a ≥ 0}, {@code b > 0}. */
    static long ceilDiv(long a, long b) {
        return a / b + (a % b == 0 ? 0 : 1);
    }
}
