package dev.tollgate.web;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The accounts of the users file as the server sees them: read on a worker thread, kept in memory, and
 * read again when the file changes (looked at no more than once a second), so {@code tollgate users}
 * takes effect while the server runs. Passwords are checked on a pool of their own, since PBKDF2 is slow
 * on purpose, and no more of them at once than the pool has threads: a check beyond that is refused at
 * once rather than queued, so a flood of wrong passwords cannot pile up work.
 */
final class Accounts {

    private static final long RECHECK_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final char[] NO_PASSWORD = "no such user".toCharArray();
    private static final AtomicLong POOLS = new AtomicLong();

    private final Vertx vertx;
    private final UsersFile file;
    private final AtomicReference<Snapshot> snapshot = new AtomicReference<>();
    private final int hashConcurrency;
    private final AtomicInteger hashing = new AtomicInteger();
    private final WorkerExecutor hashers;

    Accounts(Vertx vertx, UsersFile file, int hashConcurrency) {
        this.vertx = vertx;
        this.file = file;
        this.hashConcurrency = hashConcurrency;
        // a pool of this dashboard's own: a shared one of the same name would be shared with its size
        this.hashers =
                vertx.createSharedWorkerExecutor("tollgate-password-hash-" + POOLS.incrementAndGet(), hashConcurrency);
    }

    /** The account {@code name}, empty when there is none. */
    Future<Optional<DashboardUser>> find(String name) {
        return account(name).map(entry -> entry.map(UsersFile.Entry::user));
    }

    /** The account {@code name} with its password hash, empty when there is none; hashes nothing. */
    Future<Optional<UsersFile.Entry>> account(String name) {
        return entries().map(entries -> Optional.ofNullable(entries.get(name)));
    }

    /**
     * Checks {@code password} for the account {@code name}: {@link Check#busy()} without hashing when
     * {@code hashConcurrency} checks are already running.
     */
    Future<Check> authenticate(String name, char[] password) {
        return entries().compose(entries -> {
            if (hashing.incrementAndGet() > hashConcurrency) {
                hashing.decrementAndGet();
                return Future.succeededFuture(Check.BUSY);
            }
            return hashers.executeBlocking(() -> check(entries, name, password), false)
                    .andThen(done -> hashing.decrementAndGet());
        });
    }

    private static Check check(Map<String, UsersFile.Entry> entries, String name, char[] password) {
        UsersFile.Entry entry = entries.get(name);
        if (entry == null) {
            // the same work as for a real account, so timing does not tell which names exist
            entries.values().stream()
                    .findFirst()
                    .ifPresent(decoy -> decoy.hash().matches(NO_PASSWORD));
            return Check.WRONG;
        }
        return entry.hash().matches(password) ? new Check(Optional.of(entry), false) : Check.WRONG;
    }

    private Future<Map<String, UsersFile.Entry>> entries() {
        Snapshot current = snapshot.get();
        if (current != null && System.nanoTime() - current.checkedAt() < RECHECK_NANOS) {
            return Future.succeededFuture(current.entries());
        }
        return vertx.executeBlocking(this::refresh, false);
    }

    private Map<String, UsersFile.Entry> refresh() throws IOException {
        Snapshot current = snapshot.get();
        long now = System.nanoTime();
        String version;
        try {
            BasicFileAttributes attributes = Files.readAttributes(file.path(), BasicFileAttributes.class);
            version = attributes.lastModifiedTime() + "/" + attributes.size() + "/" + attributes.fileKey();
        } catch (NoSuchFileException e) {
            version = "missing";
        }
        if (current != null && current.version().equals(version)) {
            snapshot.compareAndSet(current, new Snapshot(current.entries(), version, now));
            return current.entries();
        }
        Map<String, UsersFile.Entry> entries = Map.copyOf(file.readIfExists());
        snapshot.set(new Snapshot(entries, version, now));
        return entries;
    }

    /**
     * What a password check found.
     *
     * @param account the account whose password it is, empty when the name or the password is wrong
     * @param busy    whether the check was refused because too many were running
     */
    record Check(Optional<UsersFile.Entry> account, boolean busy) {

        static final Check WRONG = new Check(Optional.empty(), false);
        static final Check BUSY = new Check(Optional.empty(), true);
    }

    private record Snapshot(Map<String, UsersFile.Entry> entries, String version, long checkedAt) {}
}
