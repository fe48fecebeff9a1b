package org.esrp.metrics.repository;

import org.apache.kafka.common.utils.Bytes;

import java.nio.ByteBuffer;
import java.util.UUID;

/**
 * Keys of the {@code study-state} store: the study's id, a type byte, then the entry's own ids, so that one study's
 * entries of one type sit together (and a group's answers together) for prefix scans.
 */
public final class StateKeys {

    public static final byte ANSWER = 'A';
    public static final byte DIALOGUE = 'D';
    public static final byte GROUP = 'G';
    public static final byte ITEM = 'I';
    public static final byte META = 'M';
    public static final byte RATING = 'R';
    public static final byte VECTOR = 'V';

    /** Where the type byte sits. */
    public static final int TYPE = 16;
    /** Length of an answer's or vector's key: study, type, responder, character, round, response. */
    public static final int TEXT_KEY = 16 + 1 + 16 + 16 + 1 + 16;

    private StateKeys() {
    }

    public static Bytes meta(UUID study) {
        return Bytes.wrap(buffer(17, study, META).array());
    }

    public static Bytes of(byte type, UUID study, UUID id) {
        return Bytes.wrap(put(buffer(33, study, type), id).array());
    }

    public static Bytes group(UUID study, UUID responder, UUID character) {
        return Bytes.wrap(put(put(buffer(49, study, GROUP), responder), character).array());
    }

    /** An answer's (or its embedding's) key. */
    public static Bytes text(byte type, UUID study, UUID responder, UUID character, int round, UUID response) {
        ByteBuffer buffer = put(put(buffer(TEXT_KEY, study, type), responder), character);
        buffer.put((byte) round);
        return Bytes.wrap(put(buffer, response).array());
    }

    /** The prefix of a group's answers (or embeddings): study, type, responder, character. */
    public static Bytes textPrefix(byte type, UUID study, UUID responder, UUID character) {
        return Bytes.wrap(put(put(buffer(49, study, type), responder), character).array());
    }

    /** The same key with another type byte (an answer's key to its embedding's). */
    public static Bytes retype(Bytes key, byte type) {
        byte[] copy = key.get().clone();
        copy[TYPE] = type;
        return Bytes.wrap(copy);
    }

    public static UUID study(byte[] key) {
        return uuid(key, 0);
    }

    public static byte type(byte[] key) {
        return key[TYPE];
    }

    public static UUID uuid(byte[] key, int offset) {
        ByteBuffer buffer = ByteBuffer.wrap(key, offset, 16);
        return new UUID(buffer.getLong(), buffer.getLong());
    }

    /** The responder of a group's, an answer's or an embedding's key. */
    public static UUID responder(byte[] key) {
        return uuid(key, TYPE + 1);
    }

    /** The character of a group's, an answer's or an embedding's key. */
    public static UUID character(byte[] key) {
        return uuid(key, TYPE + 17);
    }

    /** An answer's or an embedding's response id. */
    public static UUID response(byte[] key) {
        return uuid(key, TYPE + 34);
    }

    /** An answer key's round. */
    public static int round(byte[] key) {
        return key[TYPE + 33];
    }

    private static ByteBuffer buffer(int size, UUID study, byte type) {
        return put(ByteBuffer.allocate(size), study).put(type);
    }

    private static ByteBuffer put(ByteBuffer buffer, UUID id) {
        return buffer.putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits());
    }
}
