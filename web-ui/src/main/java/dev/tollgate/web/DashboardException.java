package dev.tollgate.web;

/**
 * The dashboard cannot start or a users file cannot be used. The message names the file (and line)
 * or the setting at fault and says what would work; it is meant to be shown to the user as it is.
 */
public final class DashboardException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public DashboardException(String message) {
        super(message);
    }

    public DashboardException(String message, Throwable cause) {
        super(message, cause);
    }
}
