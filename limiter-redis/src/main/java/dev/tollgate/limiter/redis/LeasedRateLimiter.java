package dev.tollgate.limiter.redis;

import dev.tollgate.limiter.Decision;
import dev.tollgate.limiter.LimitSpec;
import dev.tollgate.limiter.LimiterKeys;
import dev.tollgate.limiter.NanoClock;
import dev.tollgate.limiter.RateLimiter;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The {@code leased} mode of the Redis backend: a node takes a key's permits from Redis many at a time and spends them
 * locally, so that most decisions on a busy key never leave the node.
 *
 * <p>Every permit a node grants was first taken in Redis by the exact script ({@link RedisRateLimiter}), so all nodes
 * together never grant more than Redis has counted. What leasing changes is <em>when</em> a permit is counted: when
 * its lease is taken, not when it is spent. A lease is spent for at most {@link Leasing#time()}, and under a fixed
 * window never past the window's end ({@link Decision#resetEpochNanos()}); so over any window, the permits granted
 * exceed the limit by at most what the nodes held in leases at
 * its start: <strong>at most one lease per node per window</strong>, a lease being at most {@link Leasing#share()} of
 * the key's capacity. The other way, a node's unspent permits are lost to the other nodes until its lease ends: a
 * client may be refused while another node holds part of its allowance.
 *
 * <p>A lease is sized from the key's rate on this node since its last lease: the permits it would take in
 * {@link Leasing#time()}, at least the request's own; a key's first lease is the request's own. When Redis has less
 * left than a lease asks for, the lease is what is left, and none once less is left than the request needs. While a
 * node fetches a key's lease, that key's other requests wait for it rather than fetch their own. A refusal from Redis
 * is given again locally until its retry-after has passed (at most a lease's time): other nodes can only take more of
 * the key meanwhile, so it still holds, and a flood against a spent key costs Redis a call per lease time. At most
 * {@link Leasing#maxKeys()} keys hold a lease at once (keys in their {@linkplain LimiterKeys#bounded bounded}
 * form); past it, a new key is decided in Redis alone until leases run out.
 */
final class LeasedRateLimiter implements RateLimiter {

    private final RedisRateLimiter exact;
    private final Leasing leasing;
    private final NanoClock clock;
    private final long capacity;
    private final long maxLease;
    private final long leaseNanos;
    private final boolean endsWithWindow;
    private final ConcurrentHashMap<String, Lease> leases = new ConcurrentHashMap<>();
    private final LongAdder toRedis = new LongAdder();

    LeasedRateLimiter(RedisRateLimiter exact, Leasing leasing, NanoClock clock, long capacity) {
        this.exact = exact;
        this.leasing = leasing;
        this.clock = clock;
        this.capacity = capacity;
        this.maxLease = leasing.maxLease(capacity);
        this.leaseNanos = leasing.time().toNanos();
        this.endsWithWindow = exact.spec().algorithm().equals("fixed-window");
    }

    @Override
    public LimitSpec spec() {
        return exact.spec();
    }

    @Override
    public Future<Decision> acquire(String key, long permits) {
        if (key == null || key.isEmpty() || permits < 1 || permits > capacity) {
            // the exact limiter says what is wrong
            return exact.acquire(key, permits);
        }
        String bounded = LimiterKeys.bounded(key);
        Lease lease = leases.get(bounded);
        if (lease == null) {
            if (leases.size() >= leasing.maxKeys() && !sweep()) {
                toRedis.increment();
                return exact.acquire(key, permits);
            }
            lease = leases.computeIfAbsent(bounded, k -> new Lease());
        }
        return acquire(key, permits, lease, 0);
    }

    /** {@code permits} from {@code lease}, or from a new lease of {@code size} permits (0: as the key's rate says). */
    private Future<Decision> acquire(String key, long permits, Lease lease, long askedSize) {
        long size;
        long now = clock.epochNanos();
        Promise<Void> settled = Promise.promise();
        synchronized (lease) {
            if (lease.left >= permits && now < lease.endsAt) {
                lease.left -= permits;
                lease.spent += permits;
                return Future.succeededFuture(lease.spending());
            }
            if (permits >= lease.refusedPermits && now < lease.refusedUntil) {
                return Future.succeededFuture(lease.refusal(now));
            }
            if (lease.fetching != null) {
                // one fetch per key at a time: wait until it has settled, then look again
                return lease.fetching.transform(done -> acquire(key, permits, lease, 0));
            }
            size = askedSize > 0 ? askedSize : lease.nextSize(now, permits, leaseNanos, maxLease);
            lease.fetching = settled.future();
            lease.fetchedAt = now;
            lease.left = 0;
            lease.spent = 0;
        }
        toRedis.increment();
        return exact.acquire(key, size).transform(result -> {
            Decision granted = null;
            synchronized (lease) {
                lease.fetching = null;
                if (result.succeeded() && result.result().allowed()) {
                    Decision taken = result.result();
                    lease.left = size - permits;
                    lease.spent = permits;
                    // a fixed window's count ends with the window: a lease counted in it is not spent in the next
                    lease.endsAt = endsWithWindow
                            ? Math.min(now + leaseNanos, Math.max(now, taken.resetEpochNanos()))
                            : now + leaseNanos;
                    lease.taken = taken;
                    granted = lease.spending();
                } else if (result.succeeded() && result.result().remaining() < permits) {
                    lease.refused(result.result(), permits, now, leaseNanos);
                }
            }
            // only now may the key's waiting requests look again, with the fetch no longer under way
            settled.complete();
            if (granted != null) {
                return Future.succeededFuture(granted);
            }
            if (result.succeeded() && size > permits && result.result().remaining() >= permits) {
                // less left than the lease asked for: a lease of what is left
                return acquire(
                        key, permits, lease, Math.min(size - 1, result.result().remaining()));
            }
            return result.succeeded() ? Future.succeededFuture(result.result()) : Future.failedFuture(result.cause());
        });
    }

    /** The state in Redis, without this node's lease: what a request that goes to Redis would see. */
    @Override
    public Future<Decision> peek(String key) {
        return exact.peek(key);
    }

    /** Forgets the key in Redis and its lease here; other nodes' leases of it are spent as usual. */
    @Override
    public Future<Void> reset(String key) {
        if (key != null && !key.isEmpty()) {
            leases.remove(LimiterKeys.bounded(key));
        }
        return exact.reset(key);
    }

    @Override
    public Future<Void> close() {
        leases.clear();
        return exact.close();
    }

    /** Decisions asked of Redis so far (leases and requests decided alone); for tests. */
    long decisionsInRedis() {
        return toRedis.sum();
    }

    /** Keys holding a lease now; for tests. */
    int leasedKeys() {
        return leases.size();
    }

    /** Drops the leases that have ended and have no fetch under way; whether there is room for a new key now. */
    private boolean sweep() {
        long now = clock.epochNanos();
        for (Iterator<Map.Entry<String, Lease>> it = leases.entrySet().iterator(); it.hasNext(); ) {
            Lease lease = it.next().getValue();
            synchronized (lease) {
                if (lease.fetching == null && (now >= lease.endsAt || lease.left == 0)) {
                    it.remove();
                }
            }
        }
        return leases.size() < leasing.maxKeys();
    }

    @Override
    public String toString() {
        return "LeasedRateLimiter[" + exact + ", " + leasing + "]";
    }

    /** A key's lease on this node; guarded by itself. */
    private static final class Lease {
        /** Permits of the lease not yet granted. */
        long left;
        /** Permits granted since the lease was fetched, the fetching request's included. */
        long spent;
        /** When the lease was fetched, and when it can no longer be spent (epoch nanoseconds). */
        long fetchedAt;

        long endsAt;
        /** Redis's answer to the lease's fetch. */
        Decision taken;
        /** Completed once the fetch under way, if any, has settled the lease. */
        Future<Void> fetching;
        /**
         * Redis's refusal of {@link #refusedPermits} permits, which holds for as many or more until
         * {@link #refusedUntil}: the other nodes can only take more of the key meanwhile, never give any back, so the
         * refusal stands until its retry-after has passed (and at most a lease's time, for a reset elsewhere).
         */
        Decision refusal;

        long refusedPermits;
        long refusedAt;
        long refusedUntil;

        /**
         * The next lease: the permits the key's rate since the last fetch would take in a lease's time, at least the
         * request's own, at most {@code maxLease} unless the request alone is more. A key's first lease is the
         * request's own.
         */
        long nextSize(long now, long permits, long leaseNanos, long maxLease) {
            if (taken == null) {
                return permits;
            }
            long elapsed = Math.max(1_000_000L, now - fetchedAt);
            double expected = Math.ceil((double) spent * leaseNanos / elapsed);
            return Math.max(permits, (long) Math.min(expected, (double) maxLease));
        }

        void refused(Decision decision, long permits, long now, long leaseNanos) {
            refusal = decision;
            refusedPermits = permits;
            refusedAt = now;
            refusedUntil = now + Math.min(decision.retryAfterNanos(), leaseNanos);
        }

        /** The refusal again, its wait shortened by the time since Redis gave it. */
        Decision refusal(long now) {
            return new Decision(
                    false,
                    refusal.limit(),
                    refusal.remaining(),
                    refusal.count(),
                    refusal.resetEpochNanos(),
                    Math.max(0, refusal.retryAfterNanos() - (now - refusedAt)));
        }

        /** The decision of a request granted from the lease: Redis's answer, with what the lease still holds. */
        Decision spending() {
            return new Decision(
                    true,
                    taken.limit(),
                    Math.min(taken.limit(), taken.remaining() + left),
                    Math.max(0, taken.count() - left),
                    taken.resetEpochNanos(),
                    0);
        }
    }
}
