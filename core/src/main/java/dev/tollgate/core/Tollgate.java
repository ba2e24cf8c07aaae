package dev.tollgate.core;

import dev.tollgate.core.spi.KeyResolverProvider;
import dev.tollgate.events.EventStore;
import dev.tollgate.events.RateLimitEvent;
import dev.tollgate.limiter.ConcurrencyLimiter;
import dev.tollgate.limiter.LimitSpec;
import dev.tollgate.limiter.LimiterOptions;
import dev.tollgate.limiter.LimiterRegistry;
import dev.tollgate.limiter.NanoClock;
import dev.tollgate.limiter.RateLimiter;
import dev.tollgate.plugin.ProviderRegistry;
import dev.tollgate.plugin.Settings;
import dev.tollgate.plugin.SettingsException;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.ServiceLoader;
import java.util.logging.Logger;

/**
 * The core of one Tollgate: its rules with their limiters, the key resolvers, the allow and deny
 * lists, and the event store the recorder writes to. It decides requests ({@link #check}); the
 * {@link RateLimitHandler} and the bus services put those decisions to work.
 *
 * <p>Rules can be replaced while requests flow ({@link #updateRules}): the next request sees the
 * whole new set, and a rule that did not change keeps its limiter and so its counts.
 */
public final class Tollgate {

    private static final Logger LOG = Logger.getLogger(Tollgate.class.getName());

    private final Vertx vertx;
    private final LimiterOptions limiterOptions;
    private final ClientAddresses clientAddresses;
    private final boolean keepEncodedSlashes;
    private final Optional<EventStore> store;
    private final RecorderOptions recorderOptions;
    private final boolean publishEvents;
    private final TollgateMetrics metrics;
    private final EventFeed feed;
    private final LimiterHealth limiterHealth;
    private final VerdictAssembler verdicts;
    private final LimiterRegistry limiters;
    private final String backend;
    // decides every request: the rules in force (a RuleSet), the allow and deny lists
    private final Gatekeeper gatekeeper;
    private final DashboardRules dashboardRules;
    private final LimitChecks limitChecks;
    private final WaitTimer waitTimer;
    /** The two sources of rules; replaced whole, under {@link #ruleUpdates}, so that replacements never overlap. */
    private volatile RuleLayers layers = RuleLayers.NONE;

    private final Object ruleUpdates = new Object();

    private Tollgate(Builder builder, List<Cidr> trusted) {
        this.metrics =
                builder.meterRegistry == null ? new TollgateMetrics() : new TollgateMetrics(builder.meterRegistry);
        this.vertx = Objects.requireNonNull(builder.vertx, "vertx");
        // taken from the builder now: rules compiled later must not see it changed after build()
        LimiterOptions options = builder.limiterOptions.withVertx(vertx);
        LimiterRegistry limiters = builder.limiters;
        String backend = builder.backend;
        this.limiters = limiters;
        this.backend = backend;
        this.limiterOptions = options;
        this.clientAddresses = new ClientAddresses(trusted, builder.clientAddressHeader);
        this.keepEncodedSlashes = builder.keepEncodedSlashes;
        this.store = Optional.ofNullable(builder.store);
        this.recorderOptions = builder.recorderOptions;
        this.publishEvents = builder.publishEvents;
        this.limiterHealth = new LimiterHealth(builder.failOpen, metrics);
        this.verdicts = new VerdictAssembler(metrics, builder.failOpen, options.clock());
        // quota rules on the local backend count in the store when it keeps counts across restarts
        Optional<EventStore> quotaStore = store.filter(EventStore::keepsQuotas);
        this.gatekeeper = new Gatekeeper(
                new KeyKinds(builder.keyResolvers),
                rule -> {
                    if (rule.adaptive().isPresent()) {
                        return new AdaptiveLimiter(
                                rule.limit(), rule.adaptive().get(), options.clock(), options.maxKeys());
                    }
                    LimiterOptions scoped = options.withScope(rule.name());
                    LimiterOptions limited =
                            rule.quotaPeriod().map(scoped::withQuotaPeriod).orElse(scoped);
                    if (rule.isQuota() && backend.equals("local")) {
                        if (quotaStore.isPresent()) {
                            return StoredQuotaLimiter.create(rule.limit(), limited, quotaStore.get());
                        }
                        LOG.warning("the quota rule '" + Printable.escape(rule.name())
                                + "' counts in this process on the local limiter backend: its counts are lost on a"
                                + " restart and not shared with other nodes; use limiter.backend: redis, or"
                                + " events.store: postgres, for quotas that must hold");
                    }
                    return limiters.create(rule.limit(), backend, limited);
                },
                builder.allow,
                builder.deny,
                limiterHealth,
                verdicts);
        this.dashboardRules = new DashboardRules(this, store);
        this.limitChecks = new LimitChecks(this, verdicts, builder.failOpen);
        this.waitTimer = builder.waitTimer == null ? WaitTimer.of(vertx) : builder.waitTimer;
        EventCodec.registerOn(vertx);
        this.feed = new EventFeed(vertx.eventBus(), vertx.isClustered());
    }

    public static Builder builder() {
        return new Builder();
    }

    public Vertx vertx() {
        return vertx;
    }

    public TollgateMetrics metrics() {
        return metrics;
    }

    /** The store events are recorded to; empty when recording is off. */
    public Optional<EventStore> store() {
        return store;
    }

    public RecorderOptions recorderOptions() {
        return recorderOptions;
    }

    /**
     * Publishes {@code event} on {@code tollgate.events}, and hands it to the recorder, the live counters and
     * the traffic alerts (in batches, on {@code tollgate.events.batches}); does nothing when publishing is off.
     */
    public void publish(RateLimitEvent event) {
        if (publishEvents) {
            feed.publish(event);
            metrics.published();
        }
    }

    /** What lets delayed requests go on once their delay has passed. */
    WaitTimer waitTimer() {
        return waitTimer;
    }

    /** The clock limiters and events read. */
    public NanoClock clock() {
        return limiterOptions.clock();
    }

    public ClientAddresses clientAddresses() {
        return clientAddresses;
    }

    /** Whether an encoded slash or backslash in a path is kept (else the request is refused with 400). */
    public boolean keepsEncodedSlashes() {
        return keepEncodedSlashes;
    }

    /**
     * Why this Tollgate is not fully well, for {@code /health}: the limiter backend failing (requests then
     * decided by {@code failOpen}), the event store unreachable for over 10 s. Empty when all is well.
     */
    public List<String> degradedReasons() {
        List<String> reasons = new ArrayList<>(2);
        limiterHealth.degradedReason().ifPresent(reasons::add);
        metrics.storeUnreachableFor(System.currentTimeMillis())
                .filter(d -> d.toSeconds() >= 10)
                .ifPresent(d -> reasons.add("the event store has been unreachable for " + d.toSeconds() + " s ("
                        + metrics.storeFailure() + "); events wait in the buffer and the spool"));
        return reasons;
    }

    /** The rules kept from the dashboard: checked, stored, audited and laid over the configuration's. */
    public DashboardRules dashboardRules() {
        return dashboardRules;
    }

    Gatekeeper gatekeeper() {
        return gatekeeper;
    }

    /** The rules in force with their limiters. */
    RuleSet ruleSet() {
        return gatekeeper.rules();
    }

    /** The rules in force, highest priority first: the configuration's, with the dashboard's laid over them. */
    public List<Rule> rules() {
        return gatekeeper.rules().rules();
    }

    /**
     * The state of {@code key} under the rule named {@code ruleName}, taking nothing: for a concurrency rule, the
     * slots it holds in {@code count}. Fails with an {@link UnknownRuleException} for a rule this Tollgate does not
     * have.
     */
    public Future<RuleResult> peekKey(String ruleName, String key) {
        return gatekeeper.peekKey(ruleName, key);
    }

    /**
     * What {@code key} used of every quota rule in force, in the current period of each, highest priority first: its
     * count, limit, remaining and the period's bounds. Takes nothing. Fails like a limiter does when the backend
     * cannot answer; an empty key fails with {@link IllegalArgumentException}.
     */
    public Future<List<QuotaUsage>> quotaUsage(String key) {
        if (key == null || key.isEmpty()) {
            return Future.failedFuture(new IllegalArgumentException("key must not be empty"));
        }
        return gatekeeper.quotaUsage(key, limiterOptions.clock().epochNanos());
    }

    /**
     * Replaces every rule of the configuration at once (the builder's, a reloaded file's). Unchanged rules keep their
     * limiters and counts; a dashboard rule of the same name as one of them stays in its place.
     *
     * @throws SettingsException naming the rule and field at fault; the running rules then stay
     */
    public void updateRules(List<Rule> newRules) {
        synchronized (ruleUpdates) {
            gatekeeper.replaceRules(RuleLayers.laid(newRules, layers.dashboard()));
            layers = new RuleLayers(List.copyOf(newRules), layers.dashboard());
            reportRuleGauges();
        }
    }

    /**
     * Shows on {@code /metrics} the current limit of every adaptive rule in force, the slots held of every rule that
     * holds slots and the requests waiting of every delaying one, and no other rule's.
     */
    private void reportRuleGauges() {
        List<Rule> rules = gatekeeper.rules().rules();
        metrics.adaptiveLimits(
                rules.stream()
                        .filter(rule -> rule.kind() == Rule.Kind.ADAPTIVE)
                        .map(Rule::name)
                        .toList(),
                name -> gatekeeper
                        .rules()
                        .named(name)
                        .filter(compiled -> compiled.limiter() instanceof AdaptiveLimiter)
                        .map(compiled -> (double) ((AdaptiveLimiter) compiled.limiter()).currentLimit())
                        .orElse(Double.NaN));
        metrics.slotsHeld(
                rules.stream().filter(Rule::holdsSlots).map(Rule::name).toList(),
                name -> gatekeeper
                        .rules()
                        .named(name)
                        .map(compiled -> (double) compiled.slotsHeld().get())
                        .orElse(Double.NaN));
        metrics.delayedRequests(
                rules.stream()
                        .filter(rule -> rule.onExceed().delays())
                        .map(Rule::name)
                        .toList(),
                name -> gatekeeper
                        .rules()
                        .named(name)
                        .map(compiled -> (double) compiled.queue().waiting())
                        .orElse(Double.NaN));
    }

    /**
     * The current limit of the adaptive rule named {@code ruleName}: that of its one key under {@code key: global},
     * the lowest of its keys' otherwise; empty for a rule that is not in force or not adaptive.
     */
    public OptionalInt adaptiveLimit(String ruleName) {
        return gatekeeper
                .rules()
                .named(ruleName)
                .filter(compiled -> compiled.limiter() instanceof AdaptiveLimiter)
                .map(compiled -> OptionalInt.of(((AdaptiveLimiter) compiled.limiter()).currentLimit()))
                .orElse(OptionalInt.empty());
    }

    /**
     * Replaces every rule kept from the dashboard at once: each overrides the configuration's rule of its name, or
     * adds to them. Unchanged rules keep their limiters and counts.
     *
     * @throws SettingsException naming the rule and field at fault; the running rules then stay
     */
    public void updateDashboardRules(List<Rule> newRules) {
        synchronized (ruleUpdates) {
            gatekeeper.replaceRules(RuleLayers.laid(layers.configuration(), newRules));
            layers = new RuleLayers(layers.configuration(), List.copyOf(newRules));
            reportRuleGauges();
        }
    }

    /** The configuration's rule named {@code name}, whether or not a dashboard rule takes its place. */
    public Optional<Rule> configurationRule(String name) {
        return layers.configuration().stream()
                .filter(rule -> rule.name().equals(name))
                .findFirst();
    }

    /** Where the rule in force named {@code name} comes from: {@code dashboard} or {@code configuration}. */
    public String ruleSource(String name) {
        return layers.source(name);
    }

    /**
     * A limiter for {@code spec} on this Tollgate's backend and limiter options, for decisions made outside the rules
     * (Envoy's rate-limit descriptors): on Redis it shares its counts with every node whose limiter has the same
     * {@code scope} and spec, as a rule's limiter does under the rule's name. The caller closes it.
     *
     * @throws SettingsException for a spec the backend cannot enforce, keyed by the spec's field; for the
     *     {@code concurrency} algorithm, whose slots only a request's end gives back, keyed {@code algorithm}
     */
    public RateLimiter newLimiter(String scope, LimitSpec spec) {
        if (spec.algorithm().equals(ConcurrencyLimiter.ALGORITHM)
                || spec.algorithm().equals(Rule.ADAPTIVE_ALGORITHM)) {
            throw new SettingsException(
                    "algorithm",
                    "concurrency limits are held by HTTP requests until their response ends (rules of kind"
                            + " concurrency or adaptive); a decision made outside a request would never give its slot"
                            + " back");
        }
        return limiters.create(spec, backend, limiterOptions.withScope(scope));
    }

    /**
     * The event to record for {@code result}, a decision made outside a request (a bus check, an Envoy descriptor), as
     * {@code tollgate.limit.check} records it: {@code allowed} unless an enforced rule refused, {@code shadow} when a
     * shadow rule would have. Not published: see {@link #publish}.
     */
    public RateLimitEvent eventFor(RuleResult result, String path, String method) {
        return verdicts.eventFor(result, path, method, Optional.empty(), Optional.empty());
    }

    /** A {@link RateLimitHandler} for a Vert.x Web router, recording to this Tollgate's event stream. */
    public RateLimitHandler handler() {
        return new RateLimitHandler(this, false);
    }

    /**
     * A {@link RateLimitHandler} in front of a proxy: the event of a served request is not published at once but put
     * in the routing context as an {@link UpstreamEvent} ({@link RateLimitHandler#UPSTREAM_EVENT}) for the proxy to
     * publish with the upstream's status and latency; it is published without them when the response ends first.
     */
    public RateLimitHandler gatewayHandler() {
        return new RateLimitHandler(this, true);
    }

    /**
     * Deploys the event recorder and the dashboard rules' sync (when a store is set: the stored rules are in force when
     * the future completes, unless the store cannot answer), the {@code tollgate.limit.check} service and the stats
     * publisher.
     */
    public Future<Void> deployServices() {
        List<Future<String>> deployments = new ArrayList<>();
        store.ifPresent(s -> deployments.add(vertx.deployVerticle(new EventRecorder(s, recorderOptions, metrics))));
        store.ifPresent(s -> deployments.add(vertx.deployVerticle(new RuleSync(dashboardRules))));
        deployments.add(vertx.deployVerticle(new LimitCheckService(limitChecks)));
        deployments.add(vertx.deployVerticle(new StatsPublisher(metrics)));
        return Future.all(deployments).mapEmpty();
    }

    /**
     * Decides a request: deny list, allow list, then every rule that covers it. Builds the event to
     * record but does not publish it: {@code allowed} when the request is served, {@code shadow} when it is served
     * although a shadow rule would have refused it (the event then names that rule), so that no report counts a
     * served request as blocked. A request that {@code onExceed: delay} rules admitted with a delay carries it in
     * {@link Verdict#waiting()}: the caller waits that long, then calls {@link Wait#end()}, or {@link Wait#cancel()}
     * if the request will not go on ({@link RateLimitHandler} does both).
     * A request whose cost header a quota rule cannot read (no whole number from 0 to the rule's limit, or sent twice)
     * fails the future with an {@link IllegalArgumentException} saying what to send, before anything is counted: the
     * {@link RateLimitHandler} answers it with 400.
     */
    public Future<Verdict> check(RequestInfo request) {
        return gatekeeper.check(request);
    }

    /**
     * Takes {@code permits} from {@code key} under the rule named {@code ruleName}, for the bus service; fails with an
     * {@link UnknownRuleException} for a rule this Tollgate does not have.
     */
    public Future<RuleResult> checkKey(String ruleName, String key, long permits) {
        return gatekeeper.checkKey(ruleName, key, permits);
    }

    /**
     * Takes {@code permits} under the rule named {@code ruleName} from the key the rule's own key resolver picks for
     * {@code request} (its path as {@link RequestPath#normalize} gives it), for checks that describe a request rather
     * than name a key; fails with an {@link UnknownRuleException} for a rule this Tollgate does not have. The rule's
     * path and methods are not matched: the caller named the rule.
     */
    public Future<RuleResult> checkRequest(String ruleName, RequestInfo request, long permits) {
        return gatekeeper.checkRequest(ruleName, request, permits);
    }

    /** The limit-check protocol of the bus service, for other interfaces that take checks from outside the JVM. */
    public LimitChecks limitChecks() {
        return limitChecks;
    }

    /** Composes a {@link Tollgate}; everything but the Vert.x instance has a default. */
    public static final class Builder {
        private Vertx vertx;
        private LimiterRegistry limiters;
        private String backend = "local";
        private String backendKey = "backend";
        private LimiterOptions limiterOptions = LimiterOptions.defaults();
        private final ProviderRegistry<KeyResolverProvider> keyResolvers = KeyKinds.load();
        private boolean failOpen = true;
        private List<Cidr> trustedProxies = List.of();
        private AccessList allow = AccessList.empty();
        private AccessList deny = AccessList.empty();
        private EventStore store;
        private RecorderOptions recorderOptions = RecorderOptions.defaults();
        private List<Rule> rules = List.of();
        private boolean publishEvents = true;
        private ClientAddresses.Header clientAddressHeader = ClientAddresses.Header.X_FORWARDED_FOR;
        private boolean keepEncodedSlashes;
        private PrometheusMeterRegistry meterRegistry;
        private WaitTimer waitTimer;

        private Builder() {}

        /**
         * What lets requests delayed by {@code onExceed: delay} rules go on once their delay has passed; by default
         * the Vert.x instance's timers. Tests give one that follows their clock.
         */
        public Builder waitTimer(WaitTimer waitTimer) {
            this.waitTimer = Objects.requireNonNull(waitTimer, "waitTimer");
            return this;
        }

        public Builder vertx(Vertx vertx) {
            this.vertx = vertx;
            return this;
        }

        /** Where limiter algorithms come from; by default every provider {@link ServiceLoader} finds. */
        public Builder limiters(LimiterRegistry limiters) {
            this.limiters = limiters;
            return this;
        }

        /** The limiter backend: {@code local} (default) or {@code redis}. */
        public Builder backend(String backend) {
            this.backend = backend;
            return this;
        }

        /** The clock, key bounds and backend settings of the limiters. */
        public Builder limiterOptions(LimiterOptions options) {
            this.limiterOptions = options;
            return this;
        }

        /** Adds or replaces a key kind. */
        public Builder keyResolver(KeyResolverProvider provider) {
            keyResolvers.register(provider);
            return this;
        }

        /** Whether a failing limiter lets requests through (default) or answers 503. */
        public Builder failOpen(boolean failOpen) {
            this.failOpen = failOpen;
            return this;
        }

        /**
         * Addresses or CIDR blocks whose forwarding headers are believed.
         *
         * @throws IllegalArgumentException naming an entry that is neither
         */
        public Builder trustedProxies(List<String> proxies) {
            List<Cidr> parsed = new ArrayList<>();
            for (String proxy : proxies) {
                parsed.add(Cidr.parse(proxy));
            }
            this.trustedProxies = List.copyOf(parsed);
            return this;
        }

        /**
         * Reads the limiter's section of a configuration: {@code backend}, {@code failOpen},
         * {@code trustedProxies}, {@code clientAddressHeader}, {@code allow} and {@code deny}; a key the section does
         * not have leaves what was set before; other keys of the section are left to their own readers. A problem names the full key
         * ({@code limiter.trustedProxies[1]: ...}), and so does an unknown backend found by {@link #build}.
         *
         * @throws SettingsException for a value that cannot be used
         */
        public Builder limiter(Settings limiter) {
            backend = limiter.text("backend", backend);
            backendKey = limiter.key("backend");
            failOpen = limiter.bool("failOpen", failOpen);
            if (limiter.has("trustedProxies")) {
                List<String> proxies = limiter.list("trustedProxies");
                List<Cidr> parsed = new ArrayList<>();
                for (int i = 0; i < proxies.size(); i++) {
                    try {
                        parsed.add(Cidr.parse(proxies.get(i)));
                    } catch (IllegalArgumentException e) {
                        throw limiter.problem("trustedProxies[" + i + "]", e.getMessage());
                    }
                }
                trustedProxies = List.copyOf(parsed);
            }
            Optional<String> header = limiter.text("clientAddressHeader");
            if (header.isPresent()) {
                try {
                    clientAddressHeader = ClientAddresses.Header.named(header.get());
                } catch (IllegalArgumentException e) {
                    throw limiter.problem("clientAddressHeader", e.getMessage());
                }
            }
            allow = limiter.has("allow") ? accessList(limiter, "allow") : allow;
            deny = limiter.has("deny") ? accessList(limiter, "deny") : deny;
            return this;
        }

        private static AccessList accessList(Settings limiter, String name) {
            try {
                return AccessList.of(limiter.list(name));
            } catch (IllegalArgumentException e) {
                throw limiter.problem(name, e.getMessage());
            }
        }

        /** The one forwarding header believed from trusted proxies (default {@code X-Forwarded-For}). */
        public Builder clientAddressHeader(ClientAddresses.Header header) {
            this.clientAddressHeader = Objects.requireNonNull(header, "header");
            return this;
        }

        /**
         * Whether a path with an encoded slash or backslash ({@code %2F}, {@code %5C}) goes on with it kept
         * encoded, for an upstream that needs them; by default such a request is refused with 400.
         */
        public Builder keepEncodedSlashes(boolean keep) {
            this.keepEncodedSlashes = keep;
            return this;
        }

        /**
         * Keys or CIDR blocks never limited.
         *
         * @throws IllegalArgumentException naming an entry that is not a key or a CIDR block
         */
        public Builder allow(List<String> entries) {
            this.allow = AccessList.of(entries);
            return this;
        }

        /**
         * Keys or CIDR blocks always refused.
         *
         * @throws IllegalArgumentException naming an entry that is not a key or a CIDR block
         */
        public Builder deny(List<String> entries) {
            this.deny = AccessList.of(entries);
            return this;
        }

        /**
         * The registry {@link Tollgate#metrics()} keeps its meters in, e.g. the one the Vert.x instance reports its
         * HTTP server and client into, so that {@code /metrics} shows both; by default one of their own.
         */
        public Builder meterRegistry(PrometheusMeterRegistry registry) {
            this.meterRegistry = registry;
            return this;
        }

        /** Where events are recorded; without one, nothing is. */
        public Builder store(EventStore store) {
            this.store = store;
            return this;
        }

        public Builder recorderOptions(RecorderOptions options) {
            this.recorderOptions = options;
            return this;
        }

        /** Whether checked requests publish events on {@code tollgate.events} (default: yes). */
        public Builder publishEvents(boolean publishEvents) {
            this.publishEvents = publishEvents;
            return this;
        }

        public Builder rules(List<Rule> rules) {
            this.rules = List.copyOf(rules);
            return this;
        }

        /**
         * A Tollgate with these settings.
         *
         * @throws SettingsException for a rule or list the registries cannot satisfy
         */
        public Tollgate build() {
            if (limiters == null) {
                limiters = LimiterRegistry.fromServiceLoader();
            }
            if (limiters.algorithms(backend).isEmpty()) {
                throw new SettingsException(
                        backendKey,
                        "unknown limiter backend '" + backend + "'; known: " + String.join(", ", limiters.backends()));
            }
            Tollgate tollgate = new Tollgate(this, trustedProxies);
            tollgate.updateRules(rules);
            return tollgate;
        }
    }
}
