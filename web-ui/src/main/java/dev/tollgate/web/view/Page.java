package dev.tollgate.web.view;

import java.util.Optional;

/**
 * What every page shares.
 *
 * @param title the page title
 * @param base  where the dashboard is mounted, with a trailing slash ({@code /ratelimit/}); every link starts here
 * @param user  the signed-in account, empty on the login page and for scripts
 */
public record Page(String title, String base, Optional<String> user) {
}
