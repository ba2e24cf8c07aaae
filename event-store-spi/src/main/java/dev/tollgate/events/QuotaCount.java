package dev.tollgate.events;

/**
 * What a store answered to a quota acquisition ({@link EventStore#takeQuota}).
 *
 * @param taken whether the cost was added: the count plus the cost was at most the limit
 * @param count the count of the key in the period after the acquisition, or as it stood when it was refused
 */
public record QuotaCount(boolean taken, long count) {

    public QuotaCount {
        if (count < 0) {
            throw new IllegalArgumentException("a quota count is at least 0, got " + count);
        }
    }
}
