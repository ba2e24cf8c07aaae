package dev.tollgate.app;

import dev.tollgate.web.DashboardException;
import dev.tollgate.web.DashboardUser;
import dev.tollgate.web.UsersFile;
import java.io.ByteArrayOutputStream;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ScopeType;

/**
 * {@code tollgate users add|remove|list}: the dashboard's accounts, in the users file that
 * {@code dashboard.usersFile} of {@code --config} names (relative to the configuration file), or
 * {@code tollgate-users.properties} in the working directory. {@code add} refuses, with exit code 2, a
 * password shorter than {@value #MIN_PASSWORD_LENGTH} characters unless told {@code --allow-short}.
 */
@Command(
        name = "users",
        mixinStandardHelpOptions = true,
        description = "Manage the dashboard's accounts in the users file.")
final class UsersCommand {

    /** The shortest password {@code add} takes without {@code --allow-short}. */
    static final int MIN_PASSWORD_LENGTH = 12;

    @Option(
            names = {"-c", "--config"},
            paramLabel = "FILE",
            scope = ScopeType.INHERIT,
            description = "YAML or JSON configuration file whose dashboard.usersFile to use.")
    Path config;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private final Map<String, String> env;
    private final InputStream stdin;

    UsersCommand(Map<String, String> env, InputStream stdin) {
        this.env = env;
        this.stdin = stdin;
    }

    @Command(
            name = "add",
            mixinStandardHelpOptions = true,
            description = "Add an account, or change its password and role. Asks for the password twice. "
                    + "Passwords have at least " + MIN_PASSWORD_LENGTH + " characters.")
    int add(
            @Parameters(paramLabel = "NAME", description = "Letters, digits and . _ @ -") String name,
            @Option(names = "--staff", description = "May see the dashboard and the reports.") boolean staff,
            @Option(names = "--password-stdin", description = "Read the password from the first line of stdin.")
                    boolean passwordStdin,
            @Option(
                            names = "--allow-short",
                            description = "Accept a password shorter than " + MIN_PASSWORD_LENGTH + " characters.")
                    boolean allowShort)
            throws IOException {
        UsersFile users = usersFile();
        char[] password = passwordStdin ? firstLine(stdin) : prompt(name);
        try {
            int length = Character.codePointCount(password, 0, password.length);
            if (length > 0 && length < MIN_PASSWORD_LENGTH && !allowShort) {
                PrintWriter err = spec.commandLine().getErr();
                err.println("tollgate: the password of '" + name + "' has " + length
                        + " characters; give one of at least "
                        + MIN_PASSWORD_LENGTH + " (a few words make one), or add --allow-short to keep it; nothing was "
                        + "changed");
                err.flush();
                return Main.CONFIG_ERROR;
            }
            boolean known = users.exists()
                    && users.list().stream().anyMatch(u -> u.name().equals(name));
            users.add(name, password, staff);
            out().println((known ? "updated " : "added ") + (staff ? "staff" : "non-staff") + " user '" + name + "' in "
                    + users.path());
        } finally {
            Arrays.fill(password, '\0');
        }
        return 0;
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove an account.")
    int remove(@Parameters(paramLabel = "NAME") String name) {
        UsersFile users = usersFile();
        if (!users.remove(name)) {
            throw new DashboardException("there is no user '" + name + "' in " + users.path());
        }
        out().println("removed user '" + name + "' from " + users.path());
        return 0;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the accounts and their roles.")
    int list() {
        UsersFile users = usersFile();
        List<DashboardUser> accounts = users.list();
        PrintWriter out = out();
        accounts.forEach(user -> out.println(user.name() + "\t" + (user.staff() ? "staff" : "user")));
        if (accounts.isEmpty()) {
            out.println("no users in " + users.path());
        }
        return 0;
    }

    private UsersFile usersFile() {
        return UsersFile.at(ServeCommand.load(config, env).usersFile());
    }

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }

    // on Java 17, the release this is built for, System.console() is null exactly when there is no terminal
    @SuppressWarnings("SystemConsoleNull")
    private char[] prompt(String name) {
        Console console = System.console();
        if (console == null) {
            throw new DashboardException("there is no terminal to ask for the password of '" + name
                    + "'; give it on stdin with --password-stdin");
        }
        char[] first = console.readPassword("Password for %s: ", name);
        char[] second = console.readPassword("Again: ");
        if (first == null || second == null || !Arrays.equals(first, second)) {
            throw new DashboardException("the two passwords differ; nothing was changed");
        }
        Arrays.fill(second, '\0');
        return first;
    }

    /** The first line of {@code in}, without its line end. */
    static char[] firstLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != -1 && b != '\n'; b = in.read()) {
            line.write(b);
        }
        byte[] bytes = line.toByteArray();
        int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        CharBuffer chars = StandardCharsets.UTF_8.decode(java.nio.ByteBuffer.wrap(bytes, 0, length));
        Arrays.fill(bytes, (byte) 0);
        char[] password = new char[chars.remaining()];
        chars.get(password);
        return password;
    }
}
