package org.esrp.metrics.domain;

import java.nio.ByteBuffer;
import java.util.UUID;

/**
 * What one rating contributes to a study's statistics, and all that is stored of it: its item, its rater, its flags and
 * its integer scores, the metrics given as indices into the study's metric dictionary ({@link StudyMeta#metrics()}).
 * About 40 bytes plus 4 per metric, no text.
 */
public record RatingValues(UUID itemKey, UUID annotatorId, byte raterKind, byte flags, short[] metrics, short[] scores) {

    public static final byte HUMAN = 0;
    public static final byte LLM_JUDGE = 1;
    public static final int RATER_KINDS = 2;

    public static final byte TOO_FAST = 1;
    public static final byte STRAIGHT_LINED = 2;
    public static final byte GOLD = 4;
    public static final byte GOLD_PASSED = 8;
    public static final byte GOLD_FAILED = 16;

    private static final byte VERSION = 1;

    public boolean has(byte flag) {
        return (flags & flag) != 0;
    }

    public byte[] encode() {
        ByteBuffer buffer = ByteBuffer.allocate(36 + 4 * metrics.length);
        buffer.put(VERSION);
        buffer.putLong(itemKey.getMostSignificantBits()).putLong(itemKey.getLeastSignificantBits());
        buffer.putLong(annotatorId.getMostSignificantBits()).putLong(annotatorId.getLeastSignificantBits());
        buffer.put(raterKind).put(flags).put((byte) metrics.length);
        for (int i = 0; i < metrics.length; i++) {
            buffer.putShort(metrics[i]).putShort(scores[i]);
        }
        return buffer.array();
    }

    public static RatingValues decode(byte[] bytes) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        if (buffer.get() != VERSION) {
            throw new IllegalArgumentException("unknown rating values version " + bytes[0]);
        }
        UUID item = new UUID(buffer.getLong(), buffer.getLong());
        UUID annotator = new UUID(buffer.getLong(), buffer.getLong());
        byte kind = buffer.get();
        byte flags = buffer.get();
        int m = buffer.get() & 0xff;
        short[] metrics = new short[m];
        short[] scores = new short[m];
        for (int i = 0; i < m; i++) {
            metrics[i] = buffer.getShort();
            scores[i] = buffer.getShort();
        }
        return new RatingValues(item, annotator, kind, flags, metrics, scores);
    }
}
