package dev.tollgate.envoy;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads the protobuf wire format from a byte array, one field at a time, for the few messages of Envoy's rate-limit
 * API. Hand-made so that the service needs no protobuf runtime, and careful because its input comes from the network:
 * every length is checked against the bytes left before anything is read or allocated, a varint has at most ten
 * bytes, strings must be UTF-8 as proto3 requires, and a field the reader does not know is skipped whatever its wire
 * type (groups included, nested at most {@value #MAX_GROUP_DEPTH} deep). Any violation is a
 * {@link MalformedMessageException}.
 */
final class ProtoReader {

    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LENGTH_DELIMITED = 2;
    static final int START_GROUP = 3;
    static final int END_GROUP = 4;
    static final int FIXED32 = 5;

    private static final int MAX_GROUP_DEPTH = 16;

    private final byte[] data;
    private final int end;
    private int position;
    private int lastTag;

    ProtoReader(byte[] data) {
        this(data, 0, data.length);
    }

    private ProtoReader(byte[] data, int start, int end) {
        this.data = data;
        this.position = start;
        this.end = end;
    }

    /** Whether another field follows. */
    boolean hasMore() {
        return position < end;
    }

    /** Reads the next field's tag; {@link #fieldNumber()} and {@link #wireType()} then describe it. */
    void nextField() {
        long tag = varint();
        if (tag > 0xFFFF_FFFFL) {
            throw new MalformedMessageException("a field tag is out of range");
        }
        int wireType = (int) (tag & 7);
        long number = tag >>> 3;
        if (number == 0 || wireType > FIXED32) {
            throw new MalformedMessageException("invalid field tag " + tag);
        }
        lastTag = (int) tag;
    }

    int fieldNumber() {
        return lastTag >>> 3;
    }

    int wireType() {
        return lastTag & 7;
    }

    /** A varint of up to 64 bits. */
    long varint() {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (position >= end) {
                throw new MalformedMessageException("the message ends inside a varint");
            }
            byte b = data[position++];
            result |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return result;
            }
        }
        throw new MalformedMessageException("a varint is longer than ten bytes");
    }

    /** A {@code uint32} (or enum) field: the low 32 bits of its varint, as protobuf parsers read it. */
    long uint32() {
        return varint() & 0xFFFF_FFFFL;
    }

    /** The payload of a length-delimited field, as a reader of its own; this reader moves past it. */
    ProtoReader message() {
        int length = length();
        ProtoReader nested = new ProtoReader(data, position, position + length);
        position += length;
        return nested;
    }

    /**
     * A string field of at most {@code maxBytes} bytes of UTF-8.
     *
     * @param what the field, for the message of a problem
     */
    String string(int maxBytes, String what) {
        int length = length();
        if (length > maxBytes) {
            throw new MalformedMessageException(
                    what + " is " + length + " bytes, more than the " + maxBytes + " allowed");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(data, position, length))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new MalformedMessageException(what + " is not valid UTF-8");
        }
        position += length;
        return text;
    }

    /** Skips the field whose tag was just read, whatever its wire type. */
    void skipField() {
        skip(lastTag, 0);
    }

    private void skip(int tag, int depth) {
        switch (tag & 7) {
            case VARINT -> varint();
            case FIXED64 -> advance(8);
            case LENGTH_DELIMITED -> advance(length());
            case FIXED32 -> advance(4);
            case START_GROUP -> {
                if (depth >= MAX_GROUP_DEPTH) {
                    throw new MalformedMessageException("groups nested more than " + MAX_GROUP_DEPTH + " deep");
                }
                int number = tag >>> 3;
                while (true) {
                    if (!hasMore()) {
                        throw new MalformedMessageException("the message ends inside group " + number);
                    }
                    nextField();
                    int inner = lastTag;
                    if ((inner & 7) == END_GROUP) {
                        if ((inner >>> 3) != number) {
                            throw new MalformedMessageException("group " + number + " ends as group " + (inner >>> 3));
                        }
                        return;
                    }
                    skip(inner, depth + 1);
                }
            }
            case END_GROUP -> throw new MalformedMessageException("a group ends that never started");
            default -> throw new MalformedMessageException("invalid wire type " + (tag & 7));
        }
    }

    private int length() {
        long length = varint();
        if (length < 0 || length > end - position) {
            throw new MalformedMessageException("a field's length runs past the end of the message");
        }
        return (int) length;
    }

    private void advance(int bytes) {
        if (bytes > end - position) {
            throw new MalformedMessageException("the message ends inside a field");
        }
        position += bytes;
    }
}
