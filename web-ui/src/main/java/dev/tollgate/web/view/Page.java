package dev.tollgate.web.view;

import java.util.Objects;
import java.util.Optional;

/**
 * What every page shares.
 *
 * @param title the page title
 * @param base  where the dashboard is mounted, with a trailing slash ({@code /ratelimit/}); every link starts here
 * @param user  the signed-in account, empty on the login page and for scripts
 * @param csrf  the session's token against cross-site requests, which every form that changes something
 *              sends as the hidden field {@code _csrf} (htmx as the header {@code X-CSRF-Token}); empty
 *              without a session
 */
public record Page(String title, String base, Optional<String> user, Optional<String> csrf) {

    public Page {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(csrf, "csrf");
    }

    /** A page without a session's token: its forms that change something are refused. */
    public Page(String title, String base, Optional<String> user) {
        this(title, base, user, Optional.empty());
    }
}
