package dev.tollgate.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The dashboard's accounts, kept in a text file of one line per user:
 *
 * <pre>
 * # comments and blank lines are ignored
 * NAME=ROLE:pbkdf2-sha256:ITERATIONS:SALT:HASH
 * </pre>
 *
 * <p>{@code ROLE} is {@code staff} or {@code user}; only staff see the dashboard. The password is kept as a
 * salted PBKDF2-HMAC-SHA256 hash ({@value #DEFAULT_ITERATIONS} iterations unless told otherwise), never in
 * clear. Names are 1 to 64 letters, digits and {@code . _ @ -}, starting with a letter or digit.
 *
 * <p>Every method reads or writes the file at once, so it blocks: call it from a worker thread in a
 * Vert.x application. Writes go to a temporary file first and replace the old file in one move, so a
 * server reading the file never sees half of it; the file is readable by its owner only where the file
 * system has POSIX permissions.
 */
public final class UsersFile {

    /** The PBKDF2 iteration count of new passwords. */
    public static final int DEFAULT_ITERATIONS = 600_000;
    /** The account the first start creates. */
    public static final String FIRST_USER = "admin";
    /** The file, beside the users file, that holds the first start's password of {@value #FIRST_USER}. */
    public static final String FIRST_PASSWORD_FILE = "tollgate-admin-password.txt";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");
    private static final String STAFF = "staff";
    private static final String USER = "user";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    private final Path path;

    private UsersFile(Path path) {
        this.path = Objects.requireNonNull(path, "path");
    }

    /** The users file at {@code path}; nothing is read until asked. */
    public static UsersFile at(Path path) {
        return new UsersFile(path);
    }

    public Path path() {
        return path;
    }

    /** Whether the file exists. */
    public boolean exists() {
        return Files.exists(path);
    }

    /**
     * The accounts, by name.
     *
     * @throws DashboardException when the file cannot be read or a line is not an account
     */
    public List<DashboardUser> list() {
        return read().values().stream().map(Entry::user).toList();
    }

    /**
     * Adds the account {@code name}, or replaces its password and role, with {@value #DEFAULT_ITERATIONS}
     * iterations. Creates the file when it is missing.
     *
     * @throws DashboardException for a name that is not allowed or a file that cannot be written
     */
    public void add(String name, char[] password, boolean staff) {
        add(name, password, staff, DEFAULT_ITERATIONS);
    }

    /** {@link #add(String, char[], boolean)} with another PBKDF2 iteration count. */
    public void add(String name, char[] password, boolean staff, int iterations) {
        checkName(name);
        if (password.length == 0) {
            throw new DashboardException("the password of '" + name + "' is empty; give a password");
        }
        Map<String, Entry> entries = exists() ? read() : new TreeMap<>();
        entries.put(name, new Entry(new DashboardUser(name, staff), PasswordHash.of(password, iterations)));
        write(entries);
    }

    /**
     * Removes the account {@code name}; answers whether there was one.
     *
     * @throws DashboardException when the file cannot be read or written
     */
    public boolean remove(String name) {
        if (!exists()) {
            return false;
        }
        Map<String, Entry> entries = read();
        if (entries.remove(name) == null) {
            return false;
        }
        write(entries);
        return true;
    }

    /**
     * Creates the file with one staff account, {@value #FIRST_USER}, and a random password, when there is
     * no file yet. The password goes to {@value #FIRST_PASSWORD_FILE} in the same directory, a file created
     * readable and writable by its owner only (where the file system has POSIX permissions), and nowhere
     * else in clear; answers that file. Answers empty when the users file exists, whatever it holds.
     *
     * @throws DashboardException when a file cannot be written
     */
    public Optional<Path> createIfMissing() {
        return createIfMissing(DEFAULT_ITERATIONS);
    }

    Optional<Path> createIfMissing(int iterations) {
        if (exists()) {
            return Optional.empty();
        }
        byte[] random = new byte[15];
        RANDOM.nextBytes(random);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        Map<String, Entry> entries = new TreeMap<>();
        entries.put(
                FIRST_USER,
                new Entry(new DashboardUser(FIRST_USER, true), PasswordHash.of(password.toCharArray(), iterations)));
        Path passwordFile = firstPasswordFile();
        try {
            // written aside first, so a password is never in place for an account that was not created
            Path pending = temporaryFile(passwordFile);
            try {
                Files.writeString(pending, password + "\n", StandardCharsets.UTF_8);
                try {
                    writeNew(entries);
                } catch (FileAlreadyExistsException e) {
                    return Optional.empty();
                }
                moveInto(pending, passwordFile);
            } finally {
                Files.deleteIfExists(pending);
            }
        } catch (IOException e) {
            throw new DashboardException(
                    "cannot write the first password to " + passwordFile + ": " + e.getMessage() + "; give "
                            + FIRST_USER + " a password with 'tollgate users add " + FIRST_USER + " --staff'",
                    e);
        }
        return Optional.of(passwordFile);
    }

    /** Where {@link #createIfMissing()} writes the first password: {@value #FIRST_PASSWORD_FILE} beside this file. */
    public Path firstPasswordFile() {
        return path.toAbsolutePath().resolveSibling(FIRST_PASSWORD_FILE);
    }

    /** The accounts with their password hashes, by name; empty when the file does not exist. */
    Map<String, Entry> readIfExists() {
        try {
            return parse(Files.readAllLines(path, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return new TreeMap<>();
        } catch (IOException e) {
            throw new DashboardException("cannot read the users file " + path + ": " + e.getMessage(), e);
        }
    }

    private Map<String, Entry> read() {
        try {
            return parse(Files.readAllLines(path, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            throw new DashboardException(
                    "there is no users file " + path + "; 'tollgate users add NAME --staff' creates it");
        } catch (IOException e) {
            throw new DashboardException("cannot read the users file " + path + ": " + e.getMessage(), e);
        }
    }

    private Map<String, Entry> parse(List<String> lines) {
        Map<String, Entry> entries = new TreeMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String at = "users file " + path + " line " + (i + 1) + ": ";
            int equals = line.indexOf('=');
            int colon = line.indexOf(':', equals + 1);
            if (equals < 0 || colon < 0) {
                throw new DashboardException(at + "expected NAME=ROLE:" + PasswordHash.ALGORITHM
                        + ":ITERATIONS:SALT:HASH; 'tollgate users add' writes such lines");
            }
            String name = line.substring(0, equals).strip();
            String role = line.substring(equals + 1, colon).strip();
            if (!NAME.matcher(name).matches()) {
                throw new DashboardException(at + "'" + name + "' is not a user name: use 1 to 64 letters, digits "
                        + "and . _ @ -, starting with a letter or digit");
            }
            if (!role.equals(STAFF) && !role.equals(USER)) {
                throw new DashboardException(
                        at + "the role of '" + name + "' is '" + role + "'; use " + STAFF + " or " + USER);
            }
            PasswordHash hash;
            try {
                hash = PasswordHash.parse(line.substring(colon + 1).strip());
            } catch (IllegalArgumentException e) {
                throw new DashboardException(at + "the password of '" + name + "' is not a hash: " + e.getMessage());
            }
            entries.put(name, new Entry(new DashboardUser(name, role.equals(STAFF)), hash));
        }
        return entries;
    }

    private static String render(Map<String, Entry> entries) {
        StringBuilder out = new StringBuilder()
                .append("# Tollgate dashboard users, managed with 'tollgate users add|remove|list'.\n")
                .append("# NAME=ROLE:")
                .append(PasswordHash.ALGORITHM)
                .append(":ITERATIONS:SALT:HASH; ROLE is ")
                .append(STAFF)
                .append(" or ")
                .append(USER)
                .append(".\n");
        entries.values()
                .forEach(entry -> out.append(entry.user().name())
                        .append('=')
                        .append(entry.user().staff() ? STAFF : USER)
                        .append(':')
                        .append(entry.hash().format())
                        .append('\n'));
        return out.toString();
    }

    private void write(Map<String, Entry> entries) {
        try {
            Path temporary = temporaryFile(path);
            try {
                Files.writeString(temporary, render(entries), StandardCharsets.UTF_8);
                moveInto(temporary, path);
            } finally {
                Files.deleteIfExists(temporary);
            }
        } catch (IOException e) {
            throw new DashboardException("cannot write the users file " + path + ": " + e.getMessage(), e);
        }
    }

    /** Writes a file that must not exist yet, so two first starts cannot both create one. */
    private void writeNew(Map<String, Entry> entries) throws FileAlreadyExistsException {
        try {
            Path temporary = temporaryFile(path);
            try {
                Files.writeString(temporary, render(entries), StandardCharsets.UTF_8);
                Files.createLink(path, temporary);
            } catch (UnsupportedOperationException noHardLinks) {
                // a file system without hard links: a move without REPLACE_EXISTING still refuses an existing file
                Files.move(temporary, path);
            } finally {
                Files.deleteIfExists(temporary);
            }
        } catch (FileAlreadyExistsException e) {
            throw e;
        } catch (IOException e) {
            throw new DashboardException("cannot write the users file " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * A new empty file beside {@code target}, created readable and writable by its owner only where the file
     * system has POSIX permissions: created so, never loosened and then tightened.
     */
    private static Path temporaryFile(Path target) throws IOException {
        Path directory = target.toAbsolutePath().getParent();
        Files.createDirectories(directory);
        String prefix = "." + target.getFileName();
        try {
            return Files.createTempFile(directory, prefix, ".tmp", OWNER_ONLY);
        } catch (UnsupportedOperationException notPosix) {
            // not a POSIX file system: the file gets the directory's default access
            return Files.createTempFile(directory, prefix, ".tmp");
        }
    }

    /** Replaces {@code target} with {@code source} in one move where the file system can. */
    private static void moveInto(Path source, Path target) throws IOException {
        try {
            Files.move(source, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(source, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void checkName(String name) {
        if (!NAME.matcher(Objects.requireNonNull(name, "name")).matches()) {
            throw new DashboardException("'" + name + "' is not a user name: use 1 to 64 letters, digits and . _ @ -, "
                    + "starting with a letter or digit");
        }
    }

    @Override
    public String toString() {
        return "UsersFile[" + path + "]";
    }

    /** An account with its password hash. */
    record Entry(DashboardUser user, PasswordHash hash) {}
}
