package org.esrp.metrics.repository;

import java.nio.ByteBuffer;

/** An embedding as stored: its floats, big-endian. */
public final class Vectors {

    private Vectors() {
    }

    public static byte[] encode(float[] vector) {
        ByteBuffer buffer = ByteBuffer.allocate(4 * vector.length);
        buffer.asFloatBuffer().put(vector);
        return buffer.array();
    }

    public static float[] decode(byte[] bytes) {
        float[] vector = new float[bytes.length / 4];
        ByteBuffer.wrap(bytes).asFloatBuffer().get(vector);
        return vector;
    }
}
