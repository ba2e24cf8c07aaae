package dev.tollgate.web;

import dev.tollgate.core.ClientAddresses;
import dev.tollgate.core.IpAddress;
import dev.tollgate.core.RateLimitHandler;
import dev.tollgate.web.view.LoginView;
import dev.tollgate.web.view.MessageView;
import dev.tollgate.web.view.Page;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.Session;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * Who may see the dashboard, and what may change things there.
 *
 * <p>Staff accounts sign in with the form (their name, and a fingerprint of the password hash they signed
 * in with, kept in the session) or send HTTP Basic credentials (scripts, {@code curl -u}). Everyone else
 * gets 403: there is no challenge, so browsers never pop up a password dialog. A session ends when its
 * account is removed, loses its staff role or gets another password. Failed sign-ins, by form or Basic,
 * are throttled by client address and by user name ({@link LoginThrottle}), and passwords are checked no
 * more than so many at once ({@link Accounts}).
 *
 * <p>A request that may change something (any method but GET, HEAD and OPTIONS) must come from the
 * dashboard's own host by its {@code Origin} (or, without one, its {@code Referer}), and carry the
 * session's random token as the form field {@value #CSRF_FIELD} or the header {@value #CSRF_HEADER} —
 * signing in, which has no session yet, the token its form's cookie holds; one authenticated with HTTP
 * Basic needs no token, since a browser never holds those credentials.
 */
final class StaffAccess {

    /** Where the signed-in account's name lives: in the session, and in the routing context once checked. */
    static final String USER = "tollgate.user";
    /** Where the session's token lives: in the session, and in the routing context once checked. */
    static final String CSRF = "tollgate.csrf";
    /** The form field that carries the token. */
    static final String CSRF_FIELD = "_csrf";
    /** The header that carries the token, for htmx. */
    static final String CSRF_HEADER = "X-CSRF-Token";
    /** Where the session keeps the fingerprint of the password hash it signed in with. */
    static final String SIGNED_IN_WITH = "tollgate.password";

    /** Set in the routing context of a request authenticated with HTTP Basic. */
    private static final String BASIC = "tollgate.basic";

    private static final int TOKEN_BYTES = 32;

    private final Vertx vertx;
    private final long refusalDelayMillis;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Logger LOG = Logger.getLogger(StaffAccess.class.getName());

    private final Accounts accounts;
    private final Templates templates;
    private final LoginThrottle throttle;
    private final ClientAddresses addresses;

    StaffAccess(
            Accounts accounts,
            Templates templates,
            LoginThrottle throttle,
            ClientAddresses addresses,
            Vertx vertx,
            Duration refusalDelay) {
        this.vertx = vertx;
        this.refusalDelayMillis = refusalDelay.toMillis();
        this.accounts = accounts;
        this.templates = templates;
        this.throttle = throttle;
        this.addresses = addresses;
    }

    /**
     * What every page shares, for this request: its title, the mount point, the account checked by
     * {@link #require} and the session's token, which the sign-out form and any other form that changes
     * something must send.
     */
    static Page page(RoutingContext ctx, String title) {
        return new Page(
                title, Responses.base(ctx), Optional.ofNullable(ctx.get(USER)), Optional.ofNullable(ctx.get(CSRF)));
    }

    /**
     * Whether the browser reached us over TLS: the connection is TLS, or comes from a trusted proxy that
     * says {@code X-Forwarded-Proto: https}. The session cookie is {@code Secure} then.
     */
    boolean overTls(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        if (request.isSSL()) {
            return true;
        }
        return trustedPeer(request) && "https".equalsIgnoreCase(firstValue(request.getHeader("X-Forwarded-Proto")));
    }

    /**
     * Refuses (403) a request that may change something when its {@code Origin}, or without one its
     * {@code Referer}, names another host than the request's own: its {@code Host}, or, from a trusted
     * proxy, its {@code X-Forwarded-Host}. A request with neither header goes on to the token check.
     */
    void checkOrigin(RoutingContext ctx) {
        if (safe(ctx.request().method())) {
            ctx.next();
            return;
        }
        String origin = ctx.request().getHeader(HttpHeaders.ORIGIN);
        String source = origin != null ? origin : ctx.request().getHeader(HttpHeaders.REFERER);
        if (source == null || fromOwnHost(ctx.request(), source)) {
            ctx.next();
        } else {
            forged(ctx);
        }
    }

    /**
     * Refuses (403) a request that may change something unless it carries the session's token, in the form
     * field {@value #CSRF_FIELD} or the header {@value #CSRF_HEADER}, or was authenticated with HTTP Basic.
     */
    void checkToken(RoutingContext ctx) {
        if (safe(ctx.request().method()) || Boolean.TRUE.equals(ctx.get(BASIC))) {
            ctx.next();
            return;
        }
        Session session = ctx.session();
        String expected = session == null ? null : session.get(CSRF);
        String given = ctx.request().getFormAttribute(CSRF_FIELD);
        if (given == null) {
            given = ctx.request().getHeader(CSRF_HEADER);
        }
        if (expected != null
                && given != null
                && MessageDigest.isEqual(
                        expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8))) {
            ctx.put(CSRF, expected);
            ctx.next();
        } else {
            forged(ctx);
        }
    }

    /**
     * Refuses (403) a sign-in unless its form's token equals the token of its {@value Dashboard#LOGIN_COOKIE}
     * cookie, which only the dashboard's own sign-in form set (SameSite=Strict, HttpOnly).
     */
    void checkLoginToken(RoutingContext ctx) {
        Cookie held = ctx.request().getCookie(Dashboard.LOGIN_COOKIE);
        String given = ctx.request().getFormAttribute(CSRF_FIELD);
        if (given == null) {
            given = ctx.request().getHeader(CSRF_HEADER);
        }
        if (held != null
                && given != null
                && TOKEN.matcher(given).matches()
                && MessageDigest.isEqual(
                        held.getValue().getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8))) {
            // a sign-in shown again (wrong password, throttled) keeps the form's token
            ctx.put(CSRF, given);
            ctx.next();
        } else {
            forged(ctx);
        }
    }

    /** Sends a refusal after the refusal delay, from a timer: the client waits, nothing blocks. */
    private void later(RoutingContext ctx, Runnable answer) {
        if (refusalDelayMillis <= 0) {
            answer.run();
            return;
        }
        vertx.setTimer(refusalDelayMillis, id -> {
            if (!ctx.response().closed() && !ctx.response().ended()) {
                answer.run();
            }
        });
    }

    private static String cookiePath(RoutingContext ctx) {
        String base = Responses.base(ctx);
        return base.length() > 1 ? base.substring(0, base.length() - 1) : base;
    }

    /** Lets staff through to the next handler; answers 403 to anyone else. */
    void require(RoutingContext ctx) {
        String authorization = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (authorization != null) {
            requireBasic(ctx, authorization);
            return;
        }
        Session session = ctx.session();
        String name = session == null ? null : session.get(USER);
        if (name == null) {
            forbid(ctx);
            return;
        }
        accounts.account(name).onComplete(found -> {
            if (found.failed()) {
                unavailable(ctx, found.cause());
                return;
            }
            Optional<UsersFile.Entry> account = found.result();
            String signedInWith = session.get(SIGNED_IN_WITH);
            if (account.isPresent()
                    && account.get().user().staff()
                    && signedInWith != null
                    && MessageDigest.isEqual(
                            account.get().hash().fingerprint().getBytes(StandardCharsets.US_ASCII),
                            signedInWith.getBytes(StandardCharsets.US_ASCII))) {
                ctx.put(USER, name);
                ctx.put(CSRF, session.get(CSRF));
                ctx.next();
            } else {
                // removed, demoted or given another password since it signed in: the session is over
                session.destroy();
                forbid(ctx);
            }
        });
    }

    private void requireBasic(RoutingContext ctx, String authorization) {
        Optional<String[]> basic = basicCredentials(authorization);
        if (basic.isEmpty()) {
            forbid(ctx);
            return;
        }
        String name = basic.get()[0];
        char[] password = basic.get()[1].toCharArray();
        String address = clientAddress(ctx);
        throttle.wait(address, name).onComplete(waited -> {
            if (waited.failed()) {
                ctx.fail(waited.cause());
            } else if (waited.result().isPresent()) {
                Duration wait = waited.result().get();
                ctx.response().putHeader(HttpHeaders.RETRY_AFTER, Long.toString(wait.toSeconds()));
                later(
                        ctx,
                        () -> Responses.json(
                                ctx,
                                429,
                                new JsonObject()
                                        .put(
                                                "error",
                                                "too many failed sign-ins from this address or for this user; try again in "
                                                        + wait.toSeconds() + " s")));
            } else {
                accounts.authenticate(name, password).onComplete(checked -> {
                    if (checked.failed()) {
                        unavailable(ctx, checked.cause());
                    } else if (checked.result().busy()) {
                        ctx.response().putHeader(HttpHeaders.RETRY_AFTER, "1");
                        later(
                                ctx,
                                () -> Responses.json(
                                        ctx,
                                        503,
                                        new JsonObject()
                                                .put(
                                                        "error",
                                                        "too many passwords are being checked at once; try again in a moment")));
                    } else if (checked.result().account().isEmpty()) {
                        throttle.failed("HTTP Basic", address, name).onComplete(counted -> forbid(ctx));
                    } else if (!checked.result().account().get().user().staff()) {
                        forbid(ctx);
                    } else {
                        ctx.put(USER, name);
                        ctx.put(BASIC, true);
                        ctx.next();
                    }
                });
            }
        });
    }

    /**
     * The sign-in form, its token also in the cookie {@value Dashboard#LOGIN_COOKIE}: the sign-in compares the two,
     * so the form's token needs no session on the server, and a flood of anonymous form requests holds no memory.
     */
    void loginForm(RoutingContext ctx) {
        Cookie held = ctx.request().getCookie(Dashboard.LOGIN_COOKIE);
        String token = held != null && TOKEN.matcher(held.getValue()).matches() ? held.getValue() : newToken();
        ctx.response()
                .addCookie(Cookie.cookie(Dashboard.LOGIN_COOKIE, token)
                        .setPath(cookiePath(ctx))
                        .setHttpOnly(true)
                        .setSameSite(CookieSameSite.STRICT)
                        .setSecure(overTls(ctx)));
        ctx.put(CSRF, token);
        String next = safeNext(ctx, Parameters.text(ctx, "next"));
        loginPage(ctx, 200, next, Optional.empty());
    }

    /**
     * Signs a staff account in: a new session id and token, the name and the password's fingerprint in the
     * session, then on to {@code next}. {@link #checkToken} has run.
     */
    void login(RoutingContext ctx) {
        String name = formValue(ctx, "username");
        String password = formValue(ctx, "password");
        String next = safeNext(ctx, formValue(ctx, "next"));
        if (name.isEmpty() || password.isEmpty()) {
            loginPage(ctx, 403, next, Optional.of("Give a user name and a password."));
            return;
        }
        String address = clientAddress(ctx);
        throttle.wait(address, name).onComplete(waited -> {
            if (waited.failed()) {
                ctx.fail(waited.cause());
            } else if (waited.result().isPresent()) {
                long seconds = waited.result().get().toSeconds();
                ctx.response().putHeader(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
                later(
                        ctx,
                        () -> loginPage(
                                ctx,
                                429,
                                next,
                                Optional.of("Too many failed sign-ins from this address "
                                        + "or for this user. Try again in " + seconds
                                        + (seconds == 1 ? " second." : " seconds."))));
            } else {
                accounts.authenticate(name, password.toCharArray()).onComplete(checked -> {
                    if (checked.failed()) {
                        unavailable(ctx, checked.cause());
                    } else if (checked.result().busy()) {
                        ctx.response().putHeader(HttpHeaders.RETRY_AFTER, "1");
                        later(
                                ctx,
                                () -> loginPage(
                                        ctx,
                                        503,
                                        next,
                                        Optional.of("The server is checking too many "
                                                + "passwords at once. Try again in a moment.")));
                    } else if (checked.result()
                            .account()
                            .filter(a -> a.user().staff())
                            .isEmpty()) {
                        Future<Void> counted = checked.result().account().isEmpty()
                                ? throttle.failed("form", address, name)
                                : Future.succeededFuture();
                        counted.onComplete(done -> loginPage(
                                ctx, 403, next, Optional.of("Wrong user name or password, or not a staff account.")));
                    } else {
                        Session session = ctx.session();
                        session.regenerateId();
                        session.put(USER, name);
                        session.put(
                                SIGNED_IN_WITH,
                                checked.result().account().get().hash().fingerprint());
                        session.put(CSRF, newToken());
                        ctx.response()
                                .addCookie(Cookie.cookie(Dashboard.LOGIN_COOKIE, "")
                                        .setPath(cookiePath(ctx))
                                        .setMaxAge(0));
                        ctx.response()
                                .setStatusCode(303)
                                .putHeader(HttpHeaders.LOCATION, next)
                                .end();
                    }
                });
            }
        });
    }

    /** Ends the session and goes back to the sign-in form. {@link #checkToken} has run. */
    void logout(RoutingContext ctx) {
        Session session = ctx.session();
        if (session != null) {
            session.destroy();
        }
        ctx.response()
                .setStatusCode(303)
                .putHeader(HttpHeaders.LOCATION, Responses.base(ctx) + "login")
                .end();
    }

    private void loginPage(RoutingContext ctx, int status, String next, Optional<String> error) {
        html(ctx, status, "login", new LoginView(page(ctx, "Sign in"), next, error));
    }

    private void forbid(RoutingContext ctx) {
        String base = Responses.base(ctx);
        if (Responses.wantsHtml(ctx)) {
            String signIn =
                    base + "login?next=" + Parameters.encode(ctx.request().uri());
            html(
                    ctx,
                    403,
                    "message",
                    new MessageView(
                            page(ctx, "Staff only"),
                            403,
                            "The dashboard is for staff accounts. Sign in, or send the credentials of a staff account "
                                    + "with HTTP Basic.",
                            signIn));
        } else {
            Responses.json(
                    ctx,
                    403,
                    new JsonObject()
                            .put(
                                    "error",
                                    "staff only: sign in at " + base
                                            + "login, or send a staff account's credentials with HTTP Basic"));
        }
    }

    private void forged(RoutingContext ctx) {
        String base = Responses.base(ctx);
        if (Responses.wantsHtml(ctx)) {
            html(
                    ctx,
                    403,
                    "message",
                    new MessageView(
                            page(ctx, "Refused"),
                            403,
                            "This request did not come from the dashboard's own pages, or its page was too old. Nothing "
                                    + "was changed: open the page again and retry.",
                            base + "login"));
        } else {
            Responses.json(
                    ctx,
                    403,
                    new JsonObject()
                            .put(
                                    "error",
                                    "cross-site request refused: send it from the "
                                            + "dashboard's own pages, with the session's token as the form field "
                                            + CSRF_FIELD
                                            + " or the header " + CSRF_HEADER + ", or with HTTP Basic credentials"));
        }
    }

    private void unavailable(RoutingContext ctx, Throwable cause) {
        LOG.log(Level.WARNING, "cannot check a dashboard account: " + cause.getMessage(), cause);
        Responses.json(
                ctx,
                503,
                new JsonObject().put("error", "the dashboard cannot read its users file; see the server log"));
    }

    private void html(RoutingContext ctx, int status, String template, Object model) {
        Responses.html(ctx, status, templates.render(template, model));
    }

    /** The address Tollgate limits this client by. */
    private String clientAddress(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        return addresses.clientIp(
                RateLimitHandler.peerAddress(request),
                request.headers().getAll(addresses.header().headerName()));
    }

    private boolean trustedPeer(HttpServerRequest request) {
        return addresses.isTrusted(IpAddress.canonicalOrSelf(RateLimitHandler.peerAddress(request)));
    }

    /** Whether the origin of the URL {@code source} is the host the request was sent to. */
    private boolean fromOwnHost(HttpServerRequest request, String source) {
        int schemeEnd = source.indexOf("://");
        if (schemeEnd <= 0) {
            return false;
        }
        String scheme = source.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
        int defaultPort = switch (scheme) {
            case "http" -> 80;
            case "https" -> 443;
            default -> -1;
        };
        if (defaultPort < 0) {
            return false;
        }
        int start = schemeEnd + 3;
        int end = start;
        while (end < source.length() && "/?#".indexOf(source.charAt(end)) < 0) {
            end++;
        }
        String authority = source.substring(start, end);
        HostAndPort from = HostAndPort.parseAuthority(authority.substring(authority.lastIndexOf('@') + 1), -1);
        if (from == null) {
            return false;
        }
        if (sameHost(from, request.authority(), defaultPort)) {
            return true;
        }
        String forwarded = firstValue(request.getHeader("X-Forwarded-Host"));
        return forwarded != null
                && trustedPeer(request)
                && sameHost(from, HostAndPort.parseAuthority(forwarded, -1), defaultPort);
    }

    private static boolean sameHost(HostAndPort from, HostAndPort to, int defaultPort) {
        if (to == null) {
            return false;
        }
        return hostName(from).equals(hostName(to))
                && (from.port() < 0 ? defaultPort : from.port()) == (to.port() < 0 ? defaultPort : to.port());
    }

    private static String hostName(HostAndPort address) {
        String host = address.host().toLowerCase(Locale.ROOT);
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /** The first of a header's comma-separated values, trimmed; null when there is none. */
    private static String firstValue(String header) {
        if (header == null) {
            return null;
        }
        int comma = header.indexOf(',');
        String first = (comma < 0 ? header : header.substring(0, comma)).trim();
        return first.isEmpty() ? null : first;
    }

    private static boolean safe(HttpMethod method) {
        return HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method) || HttpMethod.OPTIONS.equals(method);
    }

    /** What {@link #newToken()} makes: anything else in a cookie is ignored. */
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{16,64}");

    private static String newToken() {
        byte[] token = new byte[TOKEN_BYTES];
        RANDOM.nextBytes(token);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(token);
    }

    private static String formValue(RoutingContext ctx, String name) {
        String value = ctx.request().getFormAttribute(name);
        return value == null ? "" : value;
    }

    /** {@code next} when it is a path under the dashboard, else the dashboard: never a redirect elsewhere. */
    private static String safeNext(RoutingContext ctx, String next) {
        String base = Responses.base(ctx);
        boolean local = next.startsWith(base)
                && !next.contains("//")
                && !next.contains("\\")
                && next.chars().noneMatch(c -> c < 0x20 || c == 0x7f);
        return local && !next.startsWith(base + "login") ? next : base + "dashboard/";
    }

    private static Optional<String[]> basicCredentials(String authorization) {
        if (!authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        String decoded;
        try {
            decoded = new String(
                    Base64.getDecoder().decode(authorization.substring(6).strip()), StandardCharsets.UTF_8);
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
