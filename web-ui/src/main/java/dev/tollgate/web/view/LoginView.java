package dev.tollgate.web.view;

import java.util.Optional;

/**
 * The sign-in form.
 *
 * @param page  what every page shares
 * @param next  where to go once signed in, a path under the dashboard
 * @param error why the last attempt failed
 */
public record LoginView(Page page, String next, Optional<String> error) {}
