package dev.tollgate.core;

/** A decision asked of a rule this Tollgate does not have: the message names the rules it has. */
public final class UnknownRuleException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public UnknownRuleException(String message) {
        super(message);
    }
}
