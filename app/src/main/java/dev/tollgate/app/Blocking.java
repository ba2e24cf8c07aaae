package dev.tollgate.app;

import io.vertx.core.Future;
import java.util.concurrent.ExecutionException;

/** Waits on a future from a command's own thread, never an event loop's. */
final class Blocking {

    private Blocking() {}

    /** The result of {@code future}; its failure is rethrown as it is when unchecked. */
    static <T> T await(Future<T> future) throws Exception {
        try {
            return future.toCompletionStage().toCompletableFuture().get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }
}
