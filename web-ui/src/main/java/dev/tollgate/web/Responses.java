package dev.tollgate.web;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** How the dashboard answers: its headers, and where it is mounted. */
final class Responses {

    static final String HTML = "text/html; charset=utf-8";
    static final String JSON = "application/json; charset=utf-8";
    /** Scripts and styles from the dashboard itself only; no frames, no inline scripts. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; "
            + "style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; "
            + "form-action 'self'; frame-ancestors 'none'";

    private Responses() {}

    /** The dashboard's mount point with a trailing slash: {@code /ratelimit/}. */
    static String base(RoutingContext ctx) {
        String mount = ctx.mountPoint();
        if (mount == null || mount.isEmpty()) {
            return "/";
        }
        return mount.endsWith("/") ? mount : mount + "/";
    }

    /** Whether the request came from htmx and wants a fragment rather than a whole page. */
    static boolean fromHtmx(RoutingContext ctx) {
        return "true".equals(ctx.request().getHeader("HX-Request"))
                && !"true".equals(ctx.request().getHeader("HX-History-Restore-Request"));
    }

    /** Whether the client reads HTML: a browser navigating, or htmx. */
    static boolean wantsHtml(RoutingContext ctx) {
        String accept = ctx.request().getHeader(HttpHeaders.ACCEPT);
        return (accept != null && accept.contains("text/html")) || ctx.request().getHeader("HX-Request") != null;
    }

    /** Headers every answer of the dashboard carries. */
    static void secure(RoutingContext ctx) {
        ctx.response()
                .headers()
                .set("X-Content-Type-Options", "nosniff")
                .set("X-Frame-Options", "DENY")
                .set("Referrer-Policy", "same-origin")
                .set(HttpHeaders.CACHE_CONTROL, "no-store");
        ctx.next();
    }

    static void html(RoutingContext ctx, int status, String body) {
        ctx.response()
                .setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, HTML)
                .putHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .putHeader(HttpHeaders.VARY, "HX-Request")
                .end(body);
    }

    static void json(RoutingContext ctx, int status, JsonObject body) {
        ctx.response()
                .setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, JSON)
                .end(body.encode());
    }

    static void json(RoutingContext ctx, int status, JsonArray body) {
        ctx.response()
                .setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, JSON)
                .end(body.encode());
    }
}
