package dev.tollgate.web;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The accounts of the users file as the server sees them: read on a worker thread, kept in memory, and
 * read again when the file changes (looked at no more than once a second), so {@code tollgate users}
 * takes effect while the server runs. Passwords are checked on worker threads too: PBKDF2 is slow on
 * purpose.
 */
final class Accounts {

    private static final long RECHECK_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final char[] NO_PASSWORD = "no such user".toCharArray();

    private final Vertx vertx;
    private final UsersFile file;
    private final AtomicReference<Snapshot> snapshot = new AtomicReference<>();

    Accounts(Vertx vertx, UsersFile file) {
        this.vertx = vertx;
        this.file = file;
    }

    /** The account {@code name}, empty when there is none. */
    Future<Optional<DashboardUser>> find(String name) {
        return entries().map(entries -> Optional.ofNullable(entries.get(name)).map(UsersFile.Entry::user));
    }

    /** The account whose name and password these are, empty when they do not match one. */
    Future<Optional<DashboardUser>> authenticate(String name, char[] password) {
        return entries().compose(entries -> vertx.executeBlocking(() -> {
            UsersFile.Entry entry = entries.get(name);
            if (entry == null) {
                // the same work as for a real account, so timing does not tell which names exist
                PasswordHash decoy = entries.values().stream().findFirst().map(UsersFile.Entry::hash)
                        .orElse(null);
                if (decoy != null) {
                    decoy.matches(NO_PASSWORD);
                }
                return Optional.<DashboardUser>empty();
            }
            return entry.hash().matches(password) ? Optional.of(entry.user()) : Optional.<DashboardUser>empty();
        }, false));
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

    private record Snapshot(Map<String, UsersFile.Entry> entries, String version, long checkedAt) {
    }
}
