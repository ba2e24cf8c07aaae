package dev.tollgate.web;

import java.util.Objects;

/**
 * An account of the users file, without its password.
 *
 * @param name  the login name
 * @param staff whether the account may see the dashboard and the reports
 */
public record DashboardUser(String name, boolean staff) {

    public DashboardUser {
        Objects.requireNonNull(name, "name");
    }
}
