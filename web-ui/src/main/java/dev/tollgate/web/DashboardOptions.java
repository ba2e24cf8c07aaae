package dev.tollgate.web;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How a {@link Dashboard} runs: where its users file is, optionally a directory of templates that
 * replace the shipped ones, how many failed sign-ins a client address or a user name gets a minute, and
 * how many passwords may be checked at once. Immutable; the {@code with…} methods return changed copies.
 */
public final class DashboardOptions {

    /** The users file when none is configured, relative to the working directory. */
    public static final Path DEFAULT_USERS_FILE = Path.of("tollgate-users.properties");
    /** Failed sign-ins a minute allowed to one client address, and to one user name, unless told otherwise. */
    public static final int DEFAULT_LOGIN_LIMIT = 5;

    /** How long a refused sign-in waits for its answer unless told otherwise. */
    public static final Duration DEFAULT_REFUSAL_DELAY = Duration.ofSeconds(1);

    private static final DashboardOptions DEFAULTS =
            new DashboardOptions(DEFAULT_USERS_FILE, null, DEFAULT_LOGIN_LIMIT, 0, DEFAULT_REFUSAL_DELAY, true);

    private final Path usersFile;
    private final Path templateDirectory;
    private final int loginLimit;
    /** 0: the number of cores, read when asked. */
    private final int hashConcurrency;

    private final Duration refusalDelay;
    private final boolean rulesEditable;

    private DashboardOptions(
            Path usersFile,
            Path templateDirectory,
            int loginLimit,
            int hashConcurrency,
            Duration refusalDelay,
            boolean rulesEditable) {
        this.usersFile = Objects.requireNonNull(usersFile, "usersFile");
        this.templateDirectory = templateDirectory;
        this.loginLimit = loginLimit;
        this.hashConcurrency = hashConcurrency;
        this.refusalDelay = refusalDelay;
        this.rulesEditable = rulesEditable;
    }

    /**
     * The default users file, the shipped templates, {@value #DEFAULT_LOGIN_LIMIT} failed sign-ins a minute,
     * as many password checks at once as there are cores.
     */
    public static DashboardOptions defaults() {
        return DEFAULTS;
    }

    /** The file of accounts ({@link UsersFile}); the dashboard creates it with an {@code admin} when missing. */
    public Path usersFile() {
        return usersFile;
    }

    public DashboardOptions withUsersFile(Path usersFile) {
        return new DashboardOptions(
                usersFile, templateDirectory, loginLimit, hashConcurrency, refusalDelay, rulesEditable);
    }

    /** A directory whose {@code .jte} files replace the shipped templates of the same name. */
    public Optional<Path> templateDirectory() {
        return Optional.ofNullable(templateDirectory);
    }

    public DashboardOptions withTemplateDirectory(Path directory) {
        return new DashboardOptions(
                usersFile,
                Objects.requireNonNull(directory, "directory"),
                loginLimit,
                hashConcurrency,
                refusalDelay,
                rulesEditable);
    }

    /**
     * How many failed sign-ins (form or HTTP Basic) one client address, and separately one user name, may
     * make in any minute; past it they get 429 until the oldest failure is a minute old.
     */
    public int loginLimit() {
        return loginLimit;
    }

    /**
     * These options with {@code perMinute} failed sign-ins a minute per client address and per user name.
     *
     * @throws IllegalArgumentException when {@code perMinute} is not between 1 and 100,000
     */
    public DashboardOptions withLoginLimit(int perMinute) {
        if (perMinute < 1 || perMinute > 100_000) {
            throw new IllegalArgumentException("the dashboard's login limit must be between 1 and 100000 failed "
                    + "sign-ins a minute, got " + perMinute);
        }
        return new DashboardOptions(
                usersFile, templateDirectory, perMinute, hashConcurrency, refusalDelay, rulesEditable);
    }

    /**
     * How many passwords may be checked (hashed with PBKDF2) at the same time; a sign-in or HTTP Basic
     * request beyond it gets 503 at once rather than waiting. By default the number of cores.
     */
    public int hashConcurrency() {
        return hashConcurrency > 0 ? hashConcurrency : Runtime.getRuntime().availableProcessors();
    }

    /**
     * These options with at most {@code concurrency} password checks at once.
     *
     * @throws IllegalArgumentException when {@code concurrency} is less than 1
     */
    public DashboardOptions withHashConcurrency(int concurrency) {
        if (concurrency < 1) {
            throw new IllegalArgumentException(
                    "the dashboard's hash concurrency must be at least 1, got " + concurrency);
        }
        return new DashboardOptions(usersFile, templateDirectory, loginLimit, concurrency, refusalDelay, rulesEditable);
    }

    /**
     * How long a sign-in refused for being throttled (429) or for too many password checks at once (503) waits
     * for its answer. A client hammering the sign-in then gets one answer per connection per delay, instead of
     * as many as the machine can send, and the gateway beside the dashboard keeps its CPU. Nothing blocks
     * meanwhile: the answer is sent from a timer.
     */
    public Duration refusalDelay() {
        return refusalDelay;
    }

    /**
     * These options with refused sign-ins answered after {@code delay} ({@link Duration#ZERO}: at once).
     *
     * @throws IllegalArgumentException when {@code delay} is negative or longer than a minute
     */
    public DashboardOptions withRefusalDelay(Duration delay) {
        if (delay.isNegative() || delay.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new IllegalArgumentException(
                    "the dashboard's refusal delay must be between 0 and 1 minute, got " + delay);
        }
        return new DashboardOptions(usersFile, templateDirectory, loginLimit, hashConcurrency, delay, rulesEditable);
    }

    /**
     * Whether staff may create, edit and delete rules from the dashboard and its API (the default); without, the Rules
     * page and {@code api/config/rules} only show them, for teams that keep every rule in the configuration file.
     */
    public boolean rulesEditable() {
        return rulesEditable;
    }

    /** These options with the rules editable from the dashboard, or read-only there. */
    public DashboardOptions withRulesEditable(boolean editable) {
        return new DashboardOptions(usersFile, templateDirectory, loginLimit, hashConcurrency, refusalDelay, editable);
    }

    @Override
    public String toString() {
        return "DashboardOptions[usersFile=" + usersFile + ", templateDirectory=" + templateDirectory
                + ", loginLimit=" + loginLimit + ", hashConcurrency=" + hashConcurrency() + ", refusalDelay="
                + refusalDelay + ", rulesEditable=" + rulesEditable + "]";
    }
}
