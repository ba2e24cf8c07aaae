package dev.tollgate.web.view;

/**
 * A page that only says something: access refused, a bad parameter.
 *
 * @param page    what every page shares
 * @param status  the HTTP status
 * @param message what happened and what to do
 * @param signIn  where to sign in, empty when signing in would not help
 */
public record MessageView(Page page, int status, String message, String signIn) {}
