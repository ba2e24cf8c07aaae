package dev.tollgate.web;

import dev.tollgate.web.view.LoginView;
import dev.tollgate.web.view.MessageView;
import dev.tollgate.web.view.Page;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.Session;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Who may see the dashboard: staff accounts signed in with the form (their name kept in the session) or
 * sending HTTP Basic credentials (scripts, {@code curl -u}). Everyone else gets 403: there is no
 * challenge, so browsers never pop up a password dialog.
 */
final class StaffAccess {

    /** Where the signed-in account's name lives: in the session, and in the routing context once checked. */
    static final String USER = "tollgate.user";

    private static final Logger LOG = Logger.getLogger(StaffAccess.class.getName());

    private final Accounts accounts;
    private final Templates templates;

    StaffAccess(Accounts accounts, Templates templates) {
        this.accounts = accounts;
        this.templates = templates;
    }

    /** Lets staff through to the next handler; answers 403 to anyone else. */
    void require(RoutingContext ctx) {
        String authorization = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
        Future<Optional<DashboardUser>> user;
        if (authorization != null) {
            Optional<String[]> basic = basicCredentials(authorization);
            if (basic.isEmpty()) {
                forbid(ctx);
                return;
            }
            user = accounts.authenticate(basic.get()[0], basic.get()[1].toCharArray());
        } else {
            Session session = ctx.session();
            String name = session == null ? null : session.get(USER);
            if (name == null) {
                forbid(ctx);
                return;
            }
            user = accounts.find(name);
        }
        user.onComplete(checked -> {
            if (checked.failed()) {
                unavailable(ctx, checked.cause());
            } else if (checked.result().filter(DashboardUser::staff).isPresent()) {
                ctx.put(USER, checked.result().get().name());
                ctx.next();
            } else {
                forbid(ctx);
            }
        });
    }

    /** The sign-in form. */
    void loginForm(RoutingContext ctx) {
        String next = safeNext(ctx, Parameters.text(ctx, "next"));
        html(ctx, 200, "login", new LoginView(page(ctx, "Sign in"), next, Optional.empty()));
    }

    /** Signs a staff account in: a new session id, the name in the session, then on to {@code next}. */
    void login(RoutingContext ctx) {
        String name = formValue(ctx, "username");
        String password = formValue(ctx, "password");
        String next = safeNext(ctx, formValue(ctx, "next"));
        if (name.isEmpty() || password.isEmpty()) {
            html(ctx, 403, "login", new LoginView(page(ctx, "Sign in"), next,
                    Optional.of("Give a user name and a password.")));
            return;
        }
        accounts.authenticate(name, password.toCharArray()).onComplete(checked -> {
            if (checked.failed()) {
                unavailable(ctx, checked.cause());
            } else if (checked.result().filter(DashboardUser::staff).isPresent()) {
                Session session = ctx.session();
                session.regenerateId();
                session.put(USER, name);
                ctx.response().setStatusCode(303).putHeader(HttpHeaders.LOCATION, next).end();
            } else {
                html(ctx, 403, "login", new LoginView(page(ctx, "Sign in"), next,
                        Optional.of("Wrong user name or password, or not a staff account.")));
            }
        });
    }

    /** Ends the session and goes back to the sign-in form. */
    void logout(RoutingContext ctx) {
        Session session = ctx.session();
        if (session != null) {
            session.destroy();
        }
        ctx.response().setStatusCode(303).putHeader(HttpHeaders.LOCATION, Responses.base(ctx) + "login").end();
    }

    private void forbid(RoutingContext ctx) {
        String base = Responses.base(ctx);
        if (Responses.wantsHtml(ctx)) {
            String signIn = base + "login?next=" + Parameters.encode(ctx.request().uri());
            html(ctx, 403, "message", new MessageView(page(ctx, "Staff only"), 403,
                    "The dashboard is for staff accounts. Sign in, or send the credentials of a staff account "
                            + "with HTTP Basic.", signIn));
        } else {
            Responses.json(ctx, 403, new JsonObject().put("error",
                    "staff only: sign in at " + base + "login, or send a staff account's credentials with HTTP Basic"));
        }
    }

    private void unavailable(RoutingContext ctx, Throwable cause) {
        LOG.log(Level.WARNING, "cannot check a dashboard account: " + cause.getMessage(), cause);
        Responses.json(ctx, 503, new JsonObject().put("error",
                "the dashboard cannot read its users file; see the server log"));
    }

    private void html(RoutingContext ctx, int status, String template, Object model) {
        Responses.html(ctx, status, templates.render(template, model));
    }

    private static Page page(RoutingContext ctx, String title) {
        return new Page(title, Responses.base(ctx), Optional.empty());
    }

    private static String formValue(RoutingContext ctx, String name) {
        String value = ctx.request().getFormAttribute(name);
        return value == null ? "" : value;
    }

    /** {@code next} when it is a path under the dashboard, else the dashboard: never a redirect elsewhere. */
    private static String safeNext(RoutingContext ctx, String next) {
        String base = Responses.base(ctx);
        boolean local = next.startsWith(base) && !next.contains("//") && !next.contains("\\")
                && next.chars().noneMatch(c -> c < 0x20 || c == 0x7f);
        return local && !next.startsWith(base + "login") ? next : base + "dashboard/";
    }

    private static Optional<String[]> basicCredentials(String authorization) {
        if (!authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(6).strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) {
            return Optional.empty();
        }
        return Optional.of(new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)});
    }
}
