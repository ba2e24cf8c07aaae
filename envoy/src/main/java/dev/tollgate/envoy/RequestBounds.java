package dev.tollgate.envoy;

/**
 * What one request may hold, beyond the message size the gRPC server bounds: descriptors, entries per descriptor, and
 * the bytes of a domain or entry key and of an entry value.
 */
record RequestBounds(int maxDescriptors, int maxEntries, int maxKeyBytes, int maxValueBytes) {}
