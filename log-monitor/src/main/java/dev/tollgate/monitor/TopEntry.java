package dev.tollgate.monitor;

import java.util.Objects;

/**
 * One row of a top list in a {@link ChunkReport}: a section or a host and its hits.
 *
 * @param name the section or host
 * @param hits its requests in the chunk
 * @param share {@code hits} divided by all the chunk's requests, between 0 and 1
 */
public record TopEntry(String name, long hits, double share) {

    public TopEntry {
        Objects.requireNonNull(name, "name");
    }
}
