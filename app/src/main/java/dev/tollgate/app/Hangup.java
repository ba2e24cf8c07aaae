package dev.tollgate.app;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code SIGHUP} asks a running {@code serve} to read its configuration file again, as {@code kill -HUP} and systemd's
 * {@code ExecReload} send it, instead of ending the process. The JDK's signal API is reached by name: it lives in
 * {@code jdk.unsupported}, which every JDK and the self-contained runtime have, but which the compiler warns about.
 */
final class Hangup {

    private static final Logger LOG = Logger.getLogger(Hangup.class.getName());

    private Hangup() {}

    /** Runs {@code action} on the JVM's signal thread at every {@code SIGHUP}; false (logged) where that is not possible. */
    static boolean onSignal(Runnable action) {
        try {
            Class<?> signal = Class.forName("sun.misc.Signal");
            Class<?> handler = Class.forName("sun.misc.SignalHandler");
            InvocationHandler calls = (proxy, method, args) -> switch (method.getName()) {
                case "handle" -> {
                    action.run();
                    yield null;
                }
                case "hashCode" -> System.identityHashCode(proxy);
                case "equals" -> proxy == args[0];
                default -> "SIGHUP: reload the configuration";
            };
            Object hup = signal.getConstructor(String.class).newInstance("HUP");
            Object onHup = Proxy.newProxyInstance(handler.getClassLoader(), new Class<?>[] {handler}, calls);
            signal.getMethod("handle", signal, handler).invoke(null, hup, onHup);
            return true;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            LOG.log(Level.WARNING, "SIGHUP cannot reload the configuration on this JVM; it ends serve instead", e);
            return false;
        }
    }
}
