package dev.tollgate.core;

/**
 * A request whose cost header a quota rule cannot read: absent costs are the rule's own, so this is a value that is
 * no whole number, more than the rule's limit, or given more than once. The handler answers it with 400 and this
 * message, which says what to send instead.
 */
final class RequestCostException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    RequestCostException(String message) {
        super(message);
    }
}
