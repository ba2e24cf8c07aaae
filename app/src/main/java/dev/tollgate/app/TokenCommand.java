package dev.tollgate.app;

import dev.tollgate.decision.ServiceTokens;
import dev.tollgate.web.UsersFile;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code tollgate token NAME}: makes a service token for the decision service and prints it once, with the entry
 * {@code decision.tokens} keeps of it (its PBKDF2 hash, never the token). Nothing is written: the operator puts the
 * entry into the configuration and hands the token to the service named {@code NAME}.
 */
@Command(
        name = "token",
        mixinStandardHelpOptions = true,
        description = "Make a service token for the decision service: prints the token once and its decision.tokens"
                + " entry.")
final class TokenCommand implements java.util.concurrent.Callable<Integer> {

    @Parameters(paramLabel = "NAME", description = "Who holds it, shown in its events: letters, digits and . _ @ -")
    String name;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        ServiceTokens.Minted minted;
        try {
            minted = ServiceTokens.mint(name, UsersFile.DEFAULT_ITERATIONS);
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("tollgate: " + e.getMessage());
            return Main.CONFIG_ERROR;
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("Service token for '" + name + "' (shown once; send it as Authorization: Bearer TOKEN, or as"
                + " headers.token in bridge frames):");
        out.println();
        out.println("  " + minted.token());
        out.println();
        out.println("Add its entry to decision.tokens in the configuration:");
        out.println();
        out.println("decision:");
        out.println("  tokens:");
        out.println("    " + minted.yaml());
        out.flush();
        return 0;
    }
}
