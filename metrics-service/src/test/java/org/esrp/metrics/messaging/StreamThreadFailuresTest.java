package org.esrp.metrics.messaging;

import org.junit.jupiter.api.Test;

import static org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
import static org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
import static org.junit.jupiter.api.Assertions.assertEquals;

class StreamThreadFailuresTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void aFailedThreadIsReplacedUntilFailuresKeepComingBackWithinTheWindow() {
        StreamThreadFailures failures = new StreamThreadFailures(3, 600 * SECOND);
        assertEquals(REPLACE_THREAD, failures.response(0));
        assertEquals(REPLACE_THREAD, failures.response(100 * SECOND));
        assertEquals(REPLACE_THREAD, failures.response(200 * SECOND));
        assertEquals(SHUTDOWN_CLIENT, failures.response(300 * SECOND), "a fourth failure within 10 minutes stops the client");
    }

    @Test
    void failuresOlderThanTheWindowNoLongerCount() {
        StreamThreadFailures failures = new StreamThreadFailures(2, 600 * SECOND);
        assertEquals(REPLACE_THREAD, failures.response(0));
        assertEquals(REPLACE_THREAD, failures.response(500 * SECOND));
        assertEquals(REPLACE_THREAD, failures.response(601 * SECOND), "the failure at 0 s left the window");
        assertEquals(SHUTDOWN_CLIENT, failures.response(700 * SECOND), "500 s and 601 s are within the window of 700 s");
    }
}
