package dev.tollgate.envoy;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/**
 * Writes the protobuf wire format into a {@link Buffer}, the counterpart of {@link ProtoReader}. As proto3 does, a
 * field holding its default (0, an empty string) is left out.
 */
final class ProtoWriter {

    private final Buffer buffer = Buffer.buffer(128);

    /** The bytes written so far. */
    Buffer buffer() {
        return buffer;
    }

    ProtoWriter varint(int field, long value) {
        if (value != 0) {
            tag(field, ProtoReader.VARINT);
            rawVarint(value);
        }
        return this;
    }

    ProtoWriter string(int field, String value) {
        if (!value.isEmpty()) {
            bytes(field, value.getBytes(StandardCharsets.UTF_8));
        }
        return this;
    }

    /** A message field, written even when empty: its presence can mean something (a wrapper, a status). */
    ProtoWriter message(int field, ProtoWriter message) {
        Buffer payload = message.buffer;
        tag(field, ProtoReader.LENGTH_DELIMITED);
        rawVarint(payload.length());
        buffer.appendBuffer(payload);
        return this;
    }

    private void bytes(int field, byte[] value) {
        tag(field, ProtoReader.LENGTH_DELIMITED);
        rawVarint(value.length);
        buffer.appendBytes(value);
    }

    private void tag(int field, int wireType) {
        rawVarint(((long) field << 3) | wireType);
    }

    private void rawVarint(long value) {
        long rest = value;
        while ((rest & ~0x7FL) != 0) {
            buffer.appendByte((byte) ((rest & 0x7F) | 0x80));
            rest >>>= 7;
        }
        buffer.appendByte((byte) rest);
    }
}
