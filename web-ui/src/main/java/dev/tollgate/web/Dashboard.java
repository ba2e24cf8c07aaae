package dev.tollgate.web;

import dev.tollgate.core.Printable;
import dev.tollgate.core.Tollgate;
import dev.tollgate.events.EventStoreException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.SessionHandler;
import io.vertx.ext.web.sstore.LocalSessionStore;
import io.vertx.ext.web.sstore.SessionStore;
import java.util.List;
import java.util.Objects;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The staff dashboard of one {@link Tollgate}: HTML pages (JTE + htmx), the CSV and JSON reports and the
 * live counters, behind a staff login. Mount its {@link #router()} under {@value #MOUNT_POINT}:
 *
 * <pre>{@code
 * Dashboard.create(vertx, tollgate, DashboardOptions.defaults().withUsersFile(Path.of("users.properties")))
 *         .onSuccess(dashboard -> router.route(Dashboard.MOUNT_POINT + "*").subRouter(dashboard.router()));
 * }</pre>
 *
 * <p>Below the mount point: {@code dashboard/} (the page), {@code dashboard/offenders.csv},
 * {@code dashboard/offender/?key=}, {@code dashboard/events} (server-sent events from {@code tollgate.stats}),
 * {@code dashboard/log/} (the event log), {@code api/summary}, {@code api/offenders}, {@code api/rules},
 * {@code api/timeseries}, {@code api/config/rules} (the rules in force; {@code POST} creates a dashboard rule,
 * {@code GET}, {@code PUT} and {@code DELETE} {@code api/config/rules/{name}} read, replace and delete one: see
 * {@link RulesApi}), {@code dashboard/rules/} (the Rules page, {@link RulesPage}), {@code api/config/audit} (the
 * changes of the dashboard's rules), {@code api/quotas?key=} (a key's use of the quota rules, {@link QuotaUsageApi}),
 * {@code api/openapi.json} (the OpenAPI
 * document of the reports), {@code login} and
 * {@code logout}. Every route but {@code login} answers 403 to anyone but a staff account, signed in with
 * the form or sending HTTP Basic credentials. Every route reads {@code ?days=}: an integer clamped to
 * 1..365, anything else 7.
 *
 * <p>Failed sign-ins are throttled ({@link DashboardOptions#loginLimit()}), passwords are checked no more
 * than {@link DashboardOptions#hashConcurrency()} at once, and a request that may change something (any
 * method but GET, HEAD and OPTIONS) must come from the dashboard's own origin and carry the session's
 * token: see {@code docs/dashboard.md}.
 */
public final class Dashboard {

    /** Where the dashboard belongs in a router; the session cookie is limited to it. */
    public static final String MOUNT_POINT = "/ratelimit/";

    static final String SESSION_COOKIE = "tollgate.session";
    /** The sign-in form's token, kept by the browser rather than in a session. */
    static final String LOGIN_COOKIE = "tollgate.login";

    private static final Logger LOG = Logger.getLogger(Dashboard.class.getName());
    private static final int FORM_LIMIT = 16 * 1024;

    private final Vertx vertx;
    private final SessionStore sessions;
    private final StaffAccess access;
    private final Assets assets;
    private final ApiDocument apiDocument;
    private final Reports reports;
    private final RulesInForce rulesInForce;
    private final QuotaUsageApi quotaUsage;
    private final RulesApi rulesApi;
    private final RulesPage rulesPage;
    private final Overview overview;
    private final EventsPage events;
    private final LiveUpdates live;

    private Dashboard(
            Vertx vertx,
            Tollgate tollgate,
            Templates templates,
            Assets assets,
            ApiDocument apiDocument,
            Accounts accounts,
            LoginThrottle throttle,
            DashboardOptions options) {
        this.vertx = vertx;
        this.sessions = LocalSessionStore.create(vertx);
        this.access = new StaffAccess(
                accounts, templates, throttle, tollgate.clientAddresses(), vertx, options.refusalDelay());
        this.assets = assets;
        this.apiDocument = apiDocument;
        this.reports = new Reports(tollgate);
        this.rulesInForce = new RulesInForce(tollgate);
        this.quotaUsage = new QuotaUsageApi(tollgate);
        this.rulesApi = new RulesApi(tollgate, options.rulesEditable());
        this.rulesPage = new RulesPage(tollgate, rulesInForce, templates, options.rulesEditable());
        this.overview = new Overview(tollgate, templates);
        this.events = new EventsPage(templates);
        this.live = new LiveUpdates(vertx, templates);
    }

    /**
     * Prepares a dashboard: creates the users file with an {@code admin} account when there is none (its
     * password written to {@value UsersFile#FIRST_PASSWORD_FILE} beside it, readable by its owner only, and
     * that file named once in the log, at WARNING), loads the scripts and the templates. Failed sign-ins are
     * counted on the Tollgate's {@linkplain Tollgate#clock() clock}, by the client address its
     * {@linkplain Tollgate#clientAddresses() client addresses} find.
     *
     * @return fails with {@link DashboardException} when the users file cannot be created, a template of the
     *         template directory does not compile, or no local limiter is on the class path
     */
    public static Future<Dashboard> create(Vertx vertx, Tollgate tollgate, DashboardOptions options) {
        Objects.requireNonNull(vertx, "vertx");
        Objects.requireNonNull(tollgate, "tollgate");
        Objects.requireNonNull(options, "options");
        UsersFile users = UsersFile.at(options.usersFile());
        return vertx.executeBlocking(
                () -> {
                    users.createIfMissing()
                            .ifPresent(passwordFile -> LOG.warning("Created the dashboard's users file "
                                    + users.path() + " with the staff account '" + UsersFile.FIRST_USER
                                    + "'; its password is in "
                                    + passwordFile
                                    + ", readable by its owner only. Sign in, change the password with 'tollgate "
                                    + "users add " + UsersFile.FIRST_USER + " --staff' and delete that file."));
                    Templates templates = options.templateDirectory()
                            .map(Templates::overriddenBy)
                            .orElseGet(Templates::precompiled);
                    LoginThrottle throttle = LoginThrottle.create(options.loginLimit(), tollgate.clock());
                    return new Dashboard(
                            vertx,
                            tollgate,
                            templates,
                            Assets.load(),
                            ApiDocument.load(),
                            new Accounts(vertx, users, options.hashConcurrency()),
                            throttle,
                            options);
                },
                false);
    }

    /**
     * A router of the dashboard's routes, to mount under {@value #MOUNT_POINT} with
     * {@code route(MOUNT_POINT + "*").subRouter(...)}. Each call builds a new router on the same accounts
     * and sessions, so every HTTP server or verticle can have its own.
     */
    public Router router() {
        Router router = Router.router(vertx);
        router.route().handler(Responses::secure);
        // one store, two cookie settings: Secure only where the browser came over TLS, so plain local http works
        SessionHandler plain = sessionHandler(false);
        SessionHandler overTls = sessionHandler(true);
        router.route().handler(ctx -> (access.overTls(ctx) ? overTls : plain).handle(ctx));
        router.route().handler(access::checkOrigin);
        BodyHandler forms = BodyHandler.create(false).setBodyLimit(FORM_LIMIT);
        for (HttpMethod method : List.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE)) {
            router.route().method(method).handler(forms);
        }
        router.get("/login").handler(access::loginForm);
        router.post("/login").handler(access::checkLoginToken).handler(access::login);
        router.route().handler(access::require);
        router.route().handler(access::checkToken);
        router.post("/logout").handler(access::logout);
        router.get("/static/:name").handler(assets::serve);
        router.get("/dashboard/").handler(reports.withStore(overview::page));
        router.get("/dashboard/offenders.csv").handler(reports::offendersCsv);
        router.get("/dashboard/chart").handler(reports.withStore(overview::chart));
        router.get("/dashboard/offender/").handler(reports.withStore(overview::offender));
        router.get("/dashboard/events").handler(live::stream);
        router.get("/dashboard/log/").handler(reports.withStore(events::list));
        router.get("/dashboard/log/event").handler(reports.withStore(events::detail));
        router.get("/api/summary").handler(reports::summary);
        router.get("/api/offenders").handler(reports::offenders);
        router.get("/api/rules").handler(reports::rules);
        router.get("/dashboard/rules/").handler(rulesPage::page);
        router.post("/dashboard/rules/").handler(rulesPage::create);
        router.post("/dashboard/rules/:name").handler(rulesPage::edit);
        router.post("/dashboard/rules/:name/enabled").handler(rulesPage::enable);
        router.post("/dashboard/rules/:name/delete").handler(rulesPage::delete);
        router.get("/api/config/rules").handler(rulesInForce::list);
        router.post("/api/config/rules").handler(rulesApi::create);
        router.get("/api/config/rules/:name").handler(rulesApi::read);
        router.put("/api/config/rules/:name").handler(rulesApi::replace);
        router.delete("/api/config/rules/:name").handler(rulesApi::delete);
        router.get("/api/config/audit").handler(reports::audit);
        router.get("/api/timeseries").handler(reports::timeSeries);
        router.get("/api/quotas").handler(quotaUsage::usage);
        router.get("/api/openapi.json").handler(apiDocument::serve);
        router.route()
                .handler(ctx -> Responses.json(
                        ctx,
                        404,
                        new JsonObject()
                                .put(
                                        "error",
                                        "no such page: " + ctx.request().path() + "; see " + Responses.base(ctx)
                                                + "dashboard/")));
        router.route().failureHandler(Dashboard::failed);
        return router;
    }

    private SessionHandler sessionHandler(boolean secure) {
        return SessionHandler.create(sessions)
                .setSessionCookieName(SESSION_COOKIE)
                .setSessionCookiePath(MOUNT_POINT.substring(0, MOUNT_POINT.length() - 1))
                .setCookieHttpOnlyFlag(true)
                .setCookieSecureFlag(secure)
                .setCookieSameSite(CookieSameSite.STRICT)
                .setLazySession(true);
    }

    /** Answers a failed request: a clear 400 or 503 where the cause says so, else 500 and a log line. */
    static void failed(RoutingContext ctx) {
        Throwable failure = ctx.failure();
        if (ctx.response().headWritten()) {
            ctx.response().reset();
            return;
        }
        if (failure instanceof IllegalArgumentException) {
            Responses.json(ctx, 400, new JsonObject().put("error", failure.getMessage()));
        } else if (failure instanceof EventStoreException) {
            LOG.log(
                    Level.WARNING,
                    "the event store cannot answer "
                            + Printable.escape(ctx.request().path()) + ": " + failure.getMessage());
            Responses.json(
                    ctx, 503, new JsonObject().put("error", "the event store cannot answer: " + failure.getMessage()));
        } else if (failure == null) {
            Responses.json(ctx, ctx.statusCode(), new JsonObject().put("error", "HTTP " + ctx.statusCode()));
        } else {
            LOG.log(
                    Level.SEVERE,
                    "dashboard request " + Printable.escape(ctx.request().path()) + " failed",
                    failure);
            Responses.json(ctx, 500, new JsonObject().put("error", "internal error; see the server log"));
        }
    }
}
