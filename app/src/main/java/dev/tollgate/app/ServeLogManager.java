package dev.tollgate.app;

import java.util.logging.LogManager;

/**
 * The JDK's log manager, except that once {@code serve} is up its handlers stay open at shutdown. {@code serve}
 * stops in a shutdown hook, logging what becomes of the event buffer, and the JDK's log manager closes every
 * handler in a shutdown hook of its own that runs at the same time; {@code serve}'s hook ends the process itself
 * when it is done, and every line it logged is flushed by then. {@link Main} installs this one through
 * {@code java.util.logging.manager} unless another one is named.
 */
public final class ServeLogManager extends LogManager {

    private volatile boolean keepHandlersAtShutdown;

    /** Made by {@link LogManager} itself, from {@code java.util.logging.manager}. */
    public ServeLogManager() {}

    /** From now on, a reset while the JVM shuts down leaves the handlers as they are. */
    void keepHandlersAtShutdown() {
        keepHandlersAtShutdown = true;
    }

    @Override
    public void reset() {
        if (keepHandlersAtShutdown && shuttingDown()) {
            return;
        }
        super.reset();
    }

    private static boolean shuttingDown() {
        try {
            // throws once the JVM is shutting down; a hook that was never added is otherwise just not removed
            Runtime.getRuntime().removeShutdownHook(new Thread(() -> {}));
            return false;
        } catch (IllegalStateException e) {
            return true;
        }
    }
}
