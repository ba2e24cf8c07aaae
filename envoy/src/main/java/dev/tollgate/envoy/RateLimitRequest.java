package dev.tollgate.envoy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * {@code envoy.service.ratelimit.v3.RateLimitRequest}, the question Envoy asks, with the fields the service uses.
 *
 * @param domain the configuration's domain the descriptors belong to
 * @param descriptors what to count, each a list of entries walked down the domain's descriptor tree
 * @param hitsAddend the cost of the request for descriptors without their own; 0 when not set (then 1)
 */
record RateLimitRequest(String domain, List<Descriptor> descriptors, long hitsAddend) {

    // field numbers of envoy/service/ratelimit/v3/rls.proto and envoy/extensions/common/ratelimit/v3/ratelimit.proto
    private static final int REQUEST_DOMAIN = 1;
    private static final int REQUEST_DESCRIPTORS = 2;
    private static final int REQUEST_HITS_ADDEND = 3;
    private static final int DESCRIPTOR_ENTRIES = 1;
    private static final int DESCRIPTOR_LIMIT = 2;
    private static final int DESCRIPTOR_HITS_ADDEND = 3;
    private static final int ENTRY_KEY = 1;
    private static final int ENTRY_VALUE = 2;
    private static final int OVERRIDE_REQUESTS_PER_UNIT = 1;
    private static final int OVERRIDE_UNIT = 2;
    private static final int WRAPPER_VALUE = 1;

    RateLimitRequest {
        descriptors = List.copyOf(descriptors);
    }

    /**
     * One {@code RateLimitDescriptor}.
     *
     * @param entries its key/value pairs, in order
     * @param limit the limit Envoy's route asks for instead of the configuration's
     * @param hitsAddend its own cost, which may be 0 (only look); empty to take the request's
     */
    record Descriptor(List<Entry> entries, Optional<LimitOverride> limit, OptionalLong hitsAddend) {
        Descriptor {
            entries = List.copyOf(entries);
        }
    }

    /** One {@code RateLimitDescriptor.Entry}; the value is empty when Envoy sent none. */
    record Entry(String key, String value) {}

    /**
     * {@code RateLimitDescriptor.RateLimitOverride}.
     *
     * @param unit the wire number of the unit; 0 when unset
     */
    record LimitOverride(long requestsPerUnit, long unit) {}

    /** The cost of descriptor {@code index}, as envoyproxy/ratelimit reckons it: its own, else the request's, else 1. */
    long hitsOf(int index) {
        OptionalLong own = descriptors.get(index).hitsAddend();
        return own.isPresent() ? own.getAsLong() : Math.max(1, hitsAddend);
    }

    /**
     * Reads a request from its protobuf bytes.
     *
     * @throws MalformedMessageException for bytes that are not such a message, or one past {@code bounds}
     */
    static RateLimitRequest decode(byte[] bytes, RequestBounds bounds) {
        ProtoReader reader = new ProtoReader(bytes);
        String domain = "";
        List<Descriptor> descriptors = new ArrayList<>();
        long hitsAddend = 0;
        while (reader.hasMore()) {
            reader.nextField();
            switch (reader.fieldNumber() << 3 | reader.wireType()) {
                case REQUEST_DOMAIN << 3 | ProtoReader.LENGTH_DELIMITED ->
                    domain = reader.string(bounds.maxKeyBytes(), "the domain");
                case REQUEST_DESCRIPTORS << 3 | ProtoReader.LENGTH_DELIMITED -> {
                    if (descriptors.size() == bounds.maxDescriptors()) {
                        throw new MalformedMessageException(
                                "more than " + bounds.maxDescriptors() + " descriptors in one request");
                    }
                    descriptors.add(descriptor(reader.message(), bounds));
                }
                case REQUEST_HITS_ADDEND << 3 | ProtoReader.VARINT -> hitsAddend = reader.uint32();
                default -> reader.skipField();
            }
        }
        return new RateLimitRequest(domain, descriptors, hitsAddend);
    }

    private static Descriptor descriptor(ProtoReader reader, RequestBounds bounds) {
        List<Entry> entries = new ArrayList<>();
        Optional<LimitOverride> limit = Optional.empty();
        OptionalLong hitsAddend = OptionalLong.empty();
        while (reader.hasMore()) {
            reader.nextField();
            switch (reader.fieldNumber() << 3 | reader.wireType()) {
                case DESCRIPTOR_ENTRIES << 3 | ProtoReader.LENGTH_DELIMITED -> {
                    if (entries.size() == bounds.maxEntries()) {
                        throw new MalformedMessageException(
                                "more than " + bounds.maxEntries() + " entries in one descriptor");
                    }
                    entries.add(entry(reader.message(), bounds));
                }
                case DESCRIPTOR_LIMIT << 3 | ProtoReader.LENGTH_DELIMITED ->
                    limit = Optional.of(limitOverride(reader.message(), limit));
                case DESCRIPTOR_HITS_ADDEND << 3 | ProtoReader.LENGTH_DELIMITED ->
                    hitsAddend = wrapper(reader.message(), hitsAddend);
                default -> reader.skipField();
            }
        }
        return new Descriptor(entries, limit, hitsAddend);
    }

    private static Entry entry(ProtoReader reader, RequestBounds bounds) {
        String key = "";
        String value = "";
        while (reader.hasMore()) {
            reader.nextField();
            switch (reader.fieldNumber() << 3 | reader.wireType()) {
                case ENTRY_KEY << 3 | ProtoReader.LENGTH_DELIMITED ->
                    key = reader.string(bounds.maxKeyBytes(), "a descriptor entry's key");
                case ENTRY_VALUE << 3 | ProtoReader.LENGTH_DELIMITED ->
                    value = reader.string(bounds.maxValueBytes(), "a descriptor entry's value");
                default -> reader.skipField();
            }
        }
        return new Entry(key, value);
    }

    // a message field seen twice is merged, as protobuf parsers do: the later occurrence's fields win
    private static LimitOverride limitOverride(ProtoReader reader, Optional<LimitOverride> earlier) {
        long requestsPerUnit = earlier.map(LimitOverride::requestsPerUnit).orElse(0L);
        long unit = earlier.map(LimitOverride::unit).orElse(0L);
        while (reader.hasMore()) {
            reader.nextField();
            switch (reader.fieldNumber() << 3 | reader.wireType()) {
                case OVERRIDE_REQUESTS_PER_UNIT << 3 | ProtoReader.VARINT -> requestsPerUnit = reader.uint32();
                case OVERRIDE_UNIT << 3 | ProtoReader.VARINT -> unit = reader.uint32();
                default -> reader.skipField();
            }
        }
        return new LimitOverride(requestsPerUnit, unit);
    }

    private static OptionalLong wrapper(ProtoReader reader, OptionalLong earlier) {
        long value = earlier.orElse(0);
        while (reader.hasMore()) {
            reader.nextField();
            if (reader.fieldNumber() == WRAPPER_VALUE && reader.wireType() == ProtoReader.VARINT) {
                value = reader.varint();
            } else {
                reader.skipField();
            }
        }
        return OptionalLong.of(value);
    }
}
