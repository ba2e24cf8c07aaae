package dev.tollgate.web;

import static dev.tollgate.test.support.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.Tollgate;
import dev.tollgate.test.support.Await;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.OutputUnit;
import io.vertx.openapi.contract.MediaType;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.validation.RequestValidator;
import io.vertx.openapi.validation.ResponseValidator;
import io.vertx.openapi.validation.ValidatableResponse;
import io.vertx.openapi.validation.ValidatorException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OpenAPI document of the reports, {@code api/openapi.json}, holds for the router and for real answers: every
 * report route is in it and every path in it is a route, and every request these tests send to a dashboard over the
 * example log, and every answer they get back over HTTP, is checked against it with vertx-openapi.
 *
 * <p>vertx-openapi 5.0.7 reads OpenAPI 3.1 and checks the document against the 3.1 schema, but refuses a response
 * media type other than JSON, multipart, octet-stream and plain text. So it gets a copy of the document without the
 * CSV and HTML bodies, and those bodies, with their answers' headers, are checked against the document's own schemas
 * with vertx-json-schema (draft 2020-12, the contract's schema repository). It also reads a header value as JSON
 * first, so it would misread a string header holding a quote or only digits: string headers are handed to it
 * JSON-quoted, which it reads back as the exact string.
 */
class ApiContractTest {

    /** Names each request, so the verdict of the request check can be found for it. */
    private static final String EXCHANGE = "X-Test-Exchange";
    /** Paths of the document the decision service (tollgate-decision) serves, not the dashboard. */
    private static final String DECISIONS = "/ratelimit/v1/";

    @TempDir
    static Path dir;

    private static TestDashboard dashboard;
    /** The document, as on the class path and as the dashboard serves it. */
    private static JsonObject document;
    /** The media types vertx-openapi was not given. */
    private static Set<String> withheld;

    private static OpenAPIContract contract;
    private static ResponseValidator answers;
    private static RequestValidator requests;
    /** What the request check said of each exchange: empty when the request matched the document. */
    private static final Map<String, Optional<String>> VERDICTS = new ConcurrentHashMap<>();

    private static final AtomicInteger EXCHANGES = new AtomicInteger();

    /** The fields of a path item that are operations. */
    private static final Set<String> METHODS =
            Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");

    @BeforeAll
    static void start() {
        dashboard = TestDashboard.start(
                dir,
                TestDashboard.exampleLog(),
                Tollgate.builder().rules(RulesInForceTest.RULES),
                DashboardOptions.defaults().withLoginLimit(TestDashboard.TEST_LOGIN_LIMIT),
                (router, tollgate) -> router.route(Dashboard.MOUNT_POINT + "*").handler(ApiContractTest::checkRequest));
        // changes of the dashboard's rules for api/config/audit: a creation, an update and a deletion
        JsonObject rule = new JsonObject("{\"name\":\"kept\",\"path\":\"/kept\",\"limit\":5,\"window\":\"1m\"}");
        await(dashboard.store.saveRule("kept", rule, 0, "ops", "create", TestDashboard.NOW));
        await(dashboard.store.saveRule("kept", rule.copy().put("limit", 9), 1, "ops", "update", TestDashboard.NOW));
        await(dashboard.store.deleteRule("kept", 2, "ops", TestDashboard.NOW));
        document = resource();
        Set<String> removed = new TreeSet<>();
        JsonObject supported = withoutUnsupportedMediaTypes(document.copy(), removed);
        withheld = removed;
        contract = await(OpenAPIContract.from(dashboard.vertx, supported));
        answers = ResponseValidator.create(dashboard.vertx, contract);
        requests = RequestValidator.create(dashboard.vertx, contract);
    }

    @AfterAll
    static void stop() {
        dashboard.close();
    }

    @Test
    void everyReportRouteIsInTheDocumentAndEveryPathInItIsARoute() {
        Map<String, Set<String>> routes = new TreeMap<>();
        for (Route route : dashboard.dashboardRouter.getRoutes()) {
            if (route.getPath() == null) {
                continue;
            }
            Set<String> methods = routes.computeIfAbsent(mounted(route.getPath()), path -> new TreeSet<>());
            if (route.methods() != null) {
                route.methods().forEach(method -> methods.add(method.name().toLowerCase(Locale.ROOT)));
            }
        }
        Map<String, Set<String>> documented = new TreeMap<>();
        JsonObject paths = document.getJsonObject("paths");
        for (String path : paths.fieldNames()) {
            if (path.startsWith(DECISIONS)) {
                continue;
            }
            Set<String> methods = new TreeSet<>(paths.getJsonObject(path).fieldNames());
            methods.retainAll(METHODS);
            documented.put(path, methods);
        }
        Set<String> reports = new TreeSet<>();
        for (String path : routes.keySet()) {
            if (path.startsWith("/ratelimit/api/")
                    || path.startsWith("/ratelimit/dashboard/offender/")
                    || path.endsWith(".csv")) {
                reports.add(path);
            }
        }
        assertThat(reports)
                .as("the report routes, all of them in the document")
                .contains(
                        "/ratelimit/api/summary",
                        "/ratelimit/api/offenders",
                        "/ratelimit/api/rules",
                        "/ratelimit/api/timeseries",
                        "/ratelimit/api/openapi.json",
                        "/ratelimit/api/config/rules",
                        "/ratelimit/api/config/audit",
                        "/ratelimit/api/config/rules/{name}",
                        "/ratelimit/api/quotas",
                        "/ratelimit/dashboard/offenders.csv",
                        "/ratelimit/dashboard/offender/");
        assertThat(documented.keySet())
                .as("report routes missing from the document")
                .containsAll(reports);
        assertThat(routes.keySet())
                .as("paths of the document that are no route")
                .containsAll(documented.keySet());
        documented.forEach((path, methods) -> assertThat(methods)
                .as("the methods of " + path + ", in the document and on the router")
                .isEqualTo(routes.get(path)));
    }

    @Test
    void theDocumentIsOpenApiThreeOneServedAsJsonWithTheProjectsVersion() {
        assertThat(contract.getVersion().name()).isEqualTo("V3_1");
        assertThat(document.getString("openapi")).isEqualTo("3.1.0");
        assertThat(document.getJsonObject("info").getString("version")).matches("[0-9]+\\.[0-9]+\\.[0-9]+(-SNAPSHOT)?");
        assertThat(withheld)
                .as("the only media types vertx-openapi 5.0.7 is not given")
                .containsExactly("text/csv; charset=utf-8", "text/html; charset=utf-8");
        HttpResponse<Buffer> served = exchange(dashboard.asStaff("/ratelimit/api/openapi.json"), "getOpenApiDocument");
        assertThat(served.statusCode()).isEqualTo(200);
        assertThat(served.getHeader("Content-Type")).isEqualTo("application/json; charset=utf-8");
        assertThat(served.bodyAsJsonObject()).isEqualTo(document);
        assertThat(served.bodyAsString()).as("pretty, as written").contains("\n  \"openapi\": \"3.1.0\",\n");
        HttpResponse<Buffer> anonymous =
                exchange(dashboard.anonymous("/ratelimit/api/openapi.json"), "getOpenApiDocument");
        assertThat(anonymous.statusCode()).isEqualTo(403);
    }

    @Test
    void theReportsAnswerAsDocumented() {
        Map<String, String> reports = new TreeMap<>(Map.of(
                "/ratelimit/api/summary", "getSummary",
                "/ratelimit/api/summary?days=1", "getSummary",
                "/ratelimit/api/summary?days=0", "getSummary",
                "/ratelimit/api/offenders?days=7&limit=2", "getOffenders",
                "/ratelimit/api/offenders?days=7&shadow=true", "getOffenders",
                "/ratelimit/api/offenders?days=1&shadow=false", "getOffenders",
                "/ratelimit/api/rules?days=7&limit=10", "getRules",
                "/ratelimit/api/timeseries?days=1", "getTimeSeries",
                "/ratelimit/api/timeseries?days=30&buckets=5", "getTimeSeries"));
        reports.putAll(Map.of(
                "/ratelimit/api/config/rules", "getRulesInForce",
                "/ratelimit/api/config/audit?limit=5", "getRuleAudit",
                "/ratelimit/api/config/rules?days=1", "getRulesInForce",
                "/ratelimit/dashboard/offender/?key=ip:203.0.113.5&days=1", "getOffender",
                "/ratelimit/dashboard/offender/?key=ip:10.9.9.9", "getOffender",
                "/ratelimit/dashboard/offenders.csv?days=7", "getOffendersCsv",
                "/ratelimit/dashboard/offenders.csv?days=7&shadow=true", "getOffendersCsv"));
        reports.putAll(Map.of(
                "/ratelimit/api/summary?range=15m", "getSummary",
                "/ratelimit/api/offenders?range=6h&limit=3", "getOffenders",
                "/ratelimit/api/rules?range=24h", "getRules",
                "/ratelimit/api/timeseries?range=1h", "getTimeSeries",
                "/ratelimit/api/config/rules?range=7d", "getRulesInForce",
                "/ratelimit/dashboard/offender/?key=ip:203.0.113.5&range=30d", "getOffender",
                "/ratelimit/dashboard/offenders.csv?range=90d", "getOffendersCsv",
                "/ratelimit/api/quotas?key=ip:203.0.113.5", "getQuotaUsage"));
        reports.forEach((path, operation) -> {
            HttpResponse<Buffer> response = exchange(dashboard.asStaff(path), operation);
            assertThat(response.statusCode()).as(path).isEqualTo(200);
        });
    }

    @Test
    void aRangeTheDashboardDoesNotHaveIsRefusedAsDocumented() {
        for (String path : List.of(
                "/ratelimit/api/summary?range=2h",
                "/ratelimit/api/timeseries?range=366d",
                "/ratelimit/api/rules?range=")) {
            String operation =
                    path.contains("summary") ? "getSummary" : path.contains("rules") ? "getRules" : "getTimeSeries";
            HttpResponse<Buffer> response = exchange(dashboard.asStaff(path), operation, false);
            assertThat(response.statusCode()).as(path).isEqualTo(400);
            assertThat(response.bodyAsJsonObject().getString("error")).startsWith("range must be one of");
        }
    }

    @Test
    void theRuleChangesAnswerAsDocumented() {
        String rules = "/ratelimit/api/config/rules";
        JsonObject rule = new JsonObject("""
                {"name": "contract", "path": "/contract/*", "methods": "GET, POST", "limit": 2, "window": "1m"}""");
        HttpResponse<Buffer> created = exchange(staff(HttpMethod.POST, rules), rule, "createRule");
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(exchange(staff(HttpMethod.POST, rules), rule, "createRule").statusCode())
                .isEqualTo(409);
        JsonObject noWindow = rule.copy().put("name", "other");
        noWindow.remove("window");
        assertThat(exchange(staff(HttpMethod.POST, rules), noWindow, "createRule", false)
                        .statusCode())
                .isEqualTo(400);

        String one = rules + "/contract";
        assertThat(exchange(staff(HttpMethod.GET, one), "getRule").getHeader("ETag"))
                .isEqualTo("\"1\"");
        assertThat(exchange(staff(HttpMethod.GET, one + "-none"), "getRule").statusCode())
                .isEqualTo(404);
        assertThat(exchange(staff(HttpMethod.GET, rules + "/login"), "getRule").statusCode())
                .isEqualTo(200);
        JsonObject wider = rule.copy().put("limit", 4);
        assertThat(exchange(staff(HttpMethod.PUT, one), wider, "replaceRule").statusCode())
                .isEqualTo(428);
        assertThat(exchange(staff(HttpMethod.PUT, one).putHeader("If-Match", "\"1\""), wider, "replaceRule")
                        .statusCode())
                .isEqualTo(200);
        assertThat(exchange(staff(HttpMethod.PUT, one).putHeader("If-Match", "\"1\""), wider, "replaceRule")
                        .statusCode())
                .isEqualTo(409);
        assertThat(exchange(staff(HttpMethod.DELETE, one).putHeader("If-Match", "\"2\""), "deleteRule")
                        .statusCode())
                .isEqualTo(204);
    }

    @Test
    void rulesOfEveryKindAreCreatedAndListedAsDocumented() {
        String rules = "/ratelimit/api/config/rules";
        List<JsonObject> kinds = List.of(
                new JsonObject("""
                        {"name": "kind-delay", "path": "/kinds/delay/*", "algorithm": "token-bucket", "limit": 5,
                         "window": "1s", "burst": 10, "onExceed": "delay", "maxDelay": "2s", "maxQueued": 50}"""),
                new JsonObject("""
                        {"name": "kind-concurrency", "path": "/kinds/exports/*", "kind": "concurrency", "limit": 2,
                         "slotTimeout": "2m", "status": 503}"""),
                new JsonObject("""
                        {"name": "kind-adaptive", "path": "/kinds/upstream/*", "kind": "adaptive",
                         "algorithm": "gradient", "minLimit": 2, "maxLimit": 40, "probeInterval": "1m"}"""),
                new JsonObject("""
                        {"name": "kind-aimd", "path": "/kinds/aimd/*", "kind": "adaptive", "algorithm": "aimd",
                         "latencyThreshold": "200ms", "backoff": 0.8}"""),
                new JsonObject("""
                        {"name": "kind-quota", "path": "/kinds/plan/*", "key": "header:X-API-Key", "kind": "quota",
                         "limit": 10000, "period": "month", "zone": "Europe/Paris", "costHeader": "X-Cost"}"""));
        for (JsonObject rule : kinds) {
            HttpResponse<Buffer> created = exchange(staff(HttpMethod.POST, rules), rule, "createRule");
            assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
        }
        JsonObject concurrencyWithWindow =
                kinds.get(1).copy().put("name", "kind-bad").put("window", "1m");
        assertThat(exchange(staff(HttpMethod.POST, rules), concurrencyWithWindow, "createRule", false)
                        .statusCode())
                .isEqualTo(400);
        HttpResponse<Buffer> listed = exchange(staff(HttpMethod.GET, rules), "getRulesInForce");
        assertThat(listed.bodyAsJsonObject().getJsonArray("rules").stream()
                        .map(r -> ((JsonObject) r).getString("name"))
                        .filter(name -> name.startsWith("kind-")))
                .hasSize(kinds.size());
        for (JsonObject rule : kinds) {
            String one = rules + "/" + rule.getString("name");
            assertThat(exchange(staff(HttpMethod.GET, one), "getRule").statusCode())
                    .isEqualTo(200);
            assertThat(exchange(staff(HttpMethod.DELETE, one).putHeader("If-Match", "\"1\""), "deleteRule")
                            .statusCode())
                    .isEqualTo(204);
        }
    }

    private static HttpRequest<Buffer> staff(HttpMethod method, String path) {
        return TestDashboard.basic(dashboard.request(method, path), TestDashboard.STAFF, TestDashboard.STAFF_PASSWORD);
    }

    /**
     * Sends {@code request} with the JSON {@code body}, which must (or, when {@code valid} is false, must not) be the
     * request body of {@code operationId} in the document, and checks the answer against the document. The body is
     * checked here, not on its way in, so that the dashboard reads it as it would from any client.
     */
    private static HttpResponse<Buffer> exchange(
            HttpRequest<Buffer> request, JsonObject body, String operationId, boolean valid) {
        JsonObject schema = resolve(operation(operationId)
                .getJsonObject("requestBody")
                .getJsonObject("content")
                .getJsonObject("application/json")
                .getJsonObject("schema"));
        OutputUnit checked = contract.getSchemaRepository()
                .validator(JsonSchema.of(schema.copy()))
                .validate(body);
        assertThat(checked.getValid())
                .as("the document on the body " + body + ": " + checked.getErrors())
                .isEqualTo(valid);
        HttpResponse<Buffer> response = await(request.sendJsonObject(body));
        assertAnswerAsDocumented(operationId, request.method() + " " + request.uri(), response);
        return response;
    }

    private static HttpResponse<Buffer> exchange(HttpRequest<Buffer> request, JsonObject body, String operationId) {
        return exchange(request, body, operationId, true);
    }

    @Test
    void theFragmentOfAnHtmxRequestIsDocumentedHtml() {
        HttpResponse<Buffer> fragment = exchange(
                dashboard.asStaff("/ratelimit/dashboard/offender/?key=user:42").putHeader("HX-Request", "true"),
                "getOffender");
        assertThat(fragment.statusCode()).isEqualTo(200);
        assertThat(fragment.getHeader("Content-Type")).isEqualTo("text/html; charset=utf-8");
    }

    @Test
    void aSessionSignedInWithTheFormIsTheOtherDocumentedWayIn() {
        HttpResponse<Buffer> signedIn =
                dashboard.login(TestDashboard.STAFF, TestDashboard.STAFF_PASSWORD, "/ratelimit/dashboard/");
        String session = signedIn.cookies().stream()
                .filter(cookie -> cookie.startsWith(Dashboard.SESSION_COOKIE + "="))
                .map(cookie -> cookie.substring(0, cookie.indexOf(';')))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no session cookie in " + signedIn.cookies()));
        assertThat(document.getJsonObject("components")
                        .getJsonObject("securitySchemes")
                        .getJsonObject("sessionCookie")
                        .getString("name"))
                .isEqualTo(Dashboard.SESSION_COOKIE);
        HttpResponse<Buffer> response =
                exchange(dashboard.anonymous("/ratelimit/api/summary").putHeader("Cookie", session), "getSummary");
        assertThat(response.statusCode()).isEqualTo(200);
    }

    @Test
    void badParametersAreRefusedByTheDocumentAndAnsweredWithItsErrorShape() {
        HttpResponse<Buffer> shadow =
                exchange(dashboard.asStaff("/ratelimit/api/offenders?shadow=maybe"), "getOffenders", false);
        assertThat(shadow.statusCode()).isEqualTo(400);
        assertThat(shadow.bodyAsJsonObject().getString("error")).contains("got 'maybe'");
        HttpResponse<Buffer> csv =
                exchange(dashboard.asStaff("/ratelimit/dashboard/offenders.csv?shadow=yes"), "getOffendersCsv", false);
        assertThat(csv.statusCode()).isEqualTo(400);
        for (String path : new String[] {"/ratelimit/dashboard/offender/", "/ratelimit/dashboard/offender/?key="}) {
            HttpResponse<Buffer> key = exchange(dashboard.asStaff(path), "getOffender", false);
            assertThat(key.statusCode()).as(path).isEqualTo(400);
            assertThat(key.bodyAsJsonObject()).isEqualTo(new JsonObject().put("error", "missing ?key= parameter"));
        }
    }

    @Test
    void outOfRangeNumbersAreClampedNotRefused() {
        HttpResponse<Buffer> response =
                exchange(dashboard.asStaff("/ratelimit/api/timeseries?days=0&buckets=0"), "getTimeSeries");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.bodyAsJsonObject().getInteger("days")).isEqualTo(1);
        assertThat(response.bodyAsJsonObject().getJsonArray("buckets")).hasSize(1);
    }

    @Test
    void anyoneButStaffIsRefusedAsDocumented() {
        for (String operation : new String[] {"getSummary", "getOffenders", "getOffendersCsv"}) {
            String path = pathOf(operation);
            assertThat(exchange(dashboard.anonymous(path), operation).statusCode())
                    .as("anonymous " + path)
                    .isEqualTo(403);
            assertThat(exchange(
                                    TestDashboard.basic(
                                            dashboard.anonymous(path),
                                            TestDashboard.VIEWER,
                                            TestDashboard.VIEWER_PASSWORD),
                                    operation)
                            .statusCode())
                    .as("non-staff " + path)
                    .isEqualTo(403);
            HttpResponse<Buffer> wrong =
                    exchange(TestDashboard.basic(dashboard.anonymous(path), TestDashboard.STAFF, "wrong"), operation);
            assertThat(wrong.statusCode()).as("wrong password " + path).isEqualTo(403);
            assertThat(wrong.getHeader("WWW-Authenticate")).isNull();
            HttpResponse<Buffer> browser =
                    exchange(dashboard.anonymous(path).putHeader("Accept", "text/html"), operation);
            assertThat(browser.statusCode()).as("browser " + path).isEqualTo(403);
            assertThat(browser.getHeader("Content-Type")).isEqualTo("text/html; charset=utf-8");
        }
    }

    @Test
    void failedSignInsBeyondTheLimitAreThrottledAsDocumented(@TempDir Path own) {
        try (TestDashboard throttled = TestDashboard.start(
                own,
                List.of(),
                Tollgate.builder(),
                DashboardOptions.defaults().withLoginLimit(1).withRefusalDelay(Duration.ZERO),
                (router, tollgate) ->
                        router.route(Dashboard.MOUNT_POINT + "*").handler(ApiContractTest::checkRequest))) {
            HttpRequest<Buffer> wrong =
                    TestDashboard.basic(throttled.anonymous("/ratelimit/api/summary"), TestDashboard.STAFF, "wrong");
            assertThat(exchange(wrong.copy(), "getSummary").statusCode()).isEqualTo(403);
            HttpResponse<Buffer> refused = exchange(wrong.copy(), "getSummary");
            assertThat(refused.statusCode()).isEqualTo(429);
            assertThat(refused.getHeader("Retry-After")).isNotNull();
        }
    }

    @Test
    void withoutRecordingTheReportsAreUnavailableAsDocumented(@TempDir Path own) {
        Vertx vertx = Vertx.vertx();
        try {
            Tollgate tollgate = Tollgate.builder().vertx(vertx).build();
            await(tollgate.deployServices());
            UsersFile users = UsersFile.at(own.resolve("users.properties"));
            users.add(
                    TestDashboard.STAFF,
                    TestDashboard.STAFF_PASSWORD.toCharArray(),
                    true,
                    TestDashboard.TEST_ITERATIONS);
            Dashboard unrecorded = await(Dashboard.create(
                    vertx, tollgate, DashboardOptions.defaults().withUsersFile(users.path())));
            Router root = Router.router(vertx);
            root.route(Dashboard.MOUNT_POINT + "*").handler(ApiContractTest::checkRequest);
            root.route(Dashboard.MOUNT_POINT + "*").subRouter(unrecorded.router());
            HttpServer server =
                    await(vertx.createHttpServer().requestHandler(root).listen(0, "127.0.0.1"));
            WebClient client = WebClient.create(vertx);
            Map<String, String> reports = Map.of(
                    "/ratelimit/api/summary", "getSummary",
                    "/ratelimit/api/offenders", "getOffenders",
                    "/ratelimit/api/rules", "getRules",
                    "/ratelimit/api/timeseries", "getTimeSeries",
                    "/ratelimit/dashboard/offenders.csv", "getOffendersCsv",
                    "/ratelimit/dashboard/offender/?key=user:42", "getOffender");
            reports.forEach((path, operation) -> {
                HttpRequest<Buffer> request = TestDashboard.basic(
                        client.get(server.actualPort(), "127.0.0.1", path),
                        TestDashboard.STAFF,
                        TestDashboard.STAFF_PASSWORD);
                HttpResponse<Buffer> response = exchange(request, operation);
                assertThat(response.statusCode()).as(path).isEqualTo(503);
                assertThat(response.bodyAsJsonObject().getString("error")).contains("events.enabled is false");
            });
        } finally {
            Await.close(vertx);
        }
    }

    /**
     * Sends {@code request}, which the document must accept as a request of {@code operationId}, and checks the
     * answer against the document.
     */
    private static HttpResponse<Buffer> exchange(HttpRequest<Buffer> request, String operationId) {
        return exchange(request, operationId, true);
    }

    /**
     * Sends {@code request}, checks it against the request of {@code operationId} in the document (valid, or not when
     * {@code valid} is false) and its answer against the document's answers.
     */
    private static HttpResponse<Buffer> exchange(HttpRequest<Buffer> request, String operationId, boolean valid) {
        String id = Integer.toString(EXCHANGES.incrementAndGet());
        HttpResponse<Buffer> response = await(request.putHeader(EXCHANGE, id).send());
        String what = request.method() + " " + request.uri();
        assertThat(VERDICTS).as("the request check of " + what).containsKey(id);
        Optional<String> problem = VERDICTS.get(id);
        if (valid) {
            assertThat(problem).as("the document on " + what).isEmpty();
        } else {
            assertThat(problem).as("the document on " + what).isPresent();
        }
        assertAnswerAsDocumented(operationId, what, response);
        return response;
    }

    /** Checks the request against the document before the dashboard answers it, and notes what the check said. */
    private static void checkRequest(RoutingContext ctx) {
        String id = ctx.request().getHeader(EXCHANGE);
        if (id == null) {
            ctx.next();
            return;
        }
        Operation operation =
                contract.findOperation(ctx.request().path(), ctx.request().method());
        if (operation == null) {
            VERDICTS.put(
                    id,
                    Optional.of("no operation for " + ctx.request().method() + " "
                            + ctx.request().path()));
            ctx.next();
            return;
        }
        requests.validate(ctx.request(), operation.getOperationId()).onComplete(checked -> {
            VERDICTS.put(id, checked.succeeded() ? Optional.empty() : Optional.of(describe(checked.cause())));
            ctx.next();
        });
    }

    /** Checks status, headers and body of {@code response} against the answers of {@code operationId}. */
    private static void assertAnswerAsDocumented(String operationId, String what, HttpResponse<Buffer> response) {
        String answer = what + " → " + response.statusCode() + " " + response.bodyAsString();
        JsonObject documented = resolve(operation(operationId)
                .getJsonObject("responses")
                .getJsonObject(Integer.toString(response.statusCode())));
        assertThat(documented).as("a documented status: " + answer).isNotNull();
        JsonObject headers = documented.getJsonObject("headers", new JsonObject());
        String contentType = response.getHeader("Content-Type");
        if (contentType == null || MediaType.isMediaTypeSupported(contentType)) {
            Map<String, String> values = new HashMap<>();
            response.headers().forEach(header -> {
                JsonObject schema = documentedHeaderSchema(headers, header.getKey());
                values.put(
                        header.getKey(),
                        "string".equals(schema.getString("type")) ? Json.encode(header.getValue()) : header.getValue());
            });
            Buffer body = response.body();
            ValidatableResponse validatable = body == null || body.length() == 0
                    ? ValidatableResponse.create(response.statusCode(), values)
                    : ValidatableResponse.create(response.statusCode(), values, body, contentType);
            Future<String> checked =
                    answers.validate(validatable, operationId).map(ok -> "").otherwise(ApiContractTest::describe);
            assertThat(await(checked)).as("vertx-openapi on " + answer).isEmpty();
        } else {
            for (String name : headers.fieldNames()) {
                JsonObject header = resolve(headers.getJsonObject(name));
                String value = response.getHeader(name);
                if (value == null) {
                    assertThat(header.getBoolean("required", false))
                            .as("header " + name + " of " + answer)
                            .isFalse();
                } else {
                    JsonObject schema = header.getJsonObject("schema");
                    assertValid(
                            schema,
                            "integer".equals(schema.getString("type")) ? (Object) Long.valueOf(value) : value,
                            "header " + name + " of " + answer);
                }
            }
            JsonObject media = documented.getJsonObject("content").getJsonObject(contentType);
            assertThat(media).as("a documented media type: " + answer).isNotNull();
            assertValid(media.getJsonObject("schema"), response.bodyAsString(), "the body of " + answer);
        }
    }

    private static JsonObject documentedHeaderSchema(JsonObject headers, String name) {
        for (String documented : headers.fieldNames()) {
            if (documented.equalsIgnoreCase(name)) {
                return resolve(headers.getJsonObject(documented)).getJsonObject("schema");
            }
        }
        return new JsonObject();
    }

    private static void assertValid(JsonObject schema, Object value, String what) {
        OutputUnit result = contract.getSchemaRepository()
                .validator(JsonSchema.of(schema.copy()))
                .validate(value);
        assertThat(result.getValid()).as(what + ": " + result.getErrors()).isTrue();
    }

    private static String describe(Throwable failure) {
        if (failure instanceof ValidatorException invalid) {
            return invalid.type() + ": " + invalid.getMessage();
        }
        return failure.toString();
    }

    /** The operation {@code operationId} of the document. */
    private static JsonObject operation(String operationId) {
        JsonObject paths = document.getJsonObject("paths");
        for (String path : paths.fieldNames()) {
            JsonObject item = paths.getJsonObject(path);
            for (String method : item.fieldNames()) {
                if (METHODS.contains(method)
                        && operationId.equals(item.getJsonObject(method).getString("operationId"))) {
                    return item.getJsonObject(method);
                }
            }
        }
        throw new AssertionError("no operation " + operationId + " in the document");
    }

    private static String pathOf(String operationId) {
        JsonObject paths = document.getJsonObject("paths");
        for (String path : paths.fieldNames()) {
            JsonObject get = paths.getJsonObject(path).getJsonObject("get");
            if (get != null && get.getString("operationId").equals(operationId)) {
                return path;
            }
        }
        throw new AssertionError("no operation " + operationId + " in the document");
    }

    /** {@code node}, or what its {@code $ref} (a pointer into the document) names. */
    private static JsonObject resolve(JsonObject node) {
        JsonObject resolved = node;
        while (resolved != null && resolved.containsKey("$ref")) {
            String ref = resolved.getString("$ref");
            assertThat(ref).startsWith("#/");
            JsonObject target = document;
            for (String name : List.of(ref.substring(2).split("/", -1))) {
                target = target.getJsonObject(name);
            }
            resolved = target;
        }
        return resolved;
    }

    /** {@code node} without the media types vertx-openapi refuses, which are added to {@code removed}. */
    private static JsonObject withoutUnsupportedMediaTypes(JsonObject node, Set<String> removed) {
        for (String name : Set.copyOf(node.fieldNames())) {
            Object value = node.getValue(name);
            if (name.equals("content") && value instanceof JsonObject content) {
                for (String type : Set.copyOf(content.fieldNames())) {
                    if (!MediaType.isMediaTypeSupported(type)) {
                        content.remove(type);
                        removed.add(type);
                    }
                }
            } else if (value instanceof JsonObject object) {
                withoutUnsupportedMediaTypes(object, removed);
            }
        }
        return node;
    }

    private static String mounted(String routePath) {
        // the router writes a path parameter as :name, OpenAPI as {name}
        return Dashboard.MOUNT_POINT.substring(0, Dashboard.MOUNT_POINT.length() - 1)
                + routePath.replaceAll(":([A-Za-z]+)", "{$1}");
    }

    private static JsonObject resource() {
        try (InputStream in = ApiContractTest.class.getClassLoader().getResourceAsStream(ApiDocument.RESOURCE)) {
            assertThat(in).as(ApiDocument.RESOURCE).isNotNull();
            return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
