package org.esrp.generation.replay;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.esrp.generation.config.ReplayConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The recorded dialogues are read when the service starts, not by the first calls of a run. */
class ReplayIndexTest {

    private static final String DATA = System.getProperty("esrp.data.dir", "../../shared/data/chatanime");

    @Test
    void switchedOnTheIndexIsLoadedAtStartBeforeAnyCall() {
        ReplayIndex index = new ReplayIndex(new ObjectMapper(), config(true));
        assertFalse(index.loaded());
        index.onStart(null);
        await().atMost(Duration.ofSeconds(60)).until(index::loaded);
        assertTrue(index.hasModel("deepseek-v3"));
    }

    @Test
    void switchedOffNothingIsReadAtStart() throws InterruptedException {
        ReplayIndex index = new ReplayIndex(new ObjectMapper(), config(false));
        index.onStart(null);
        // the switched-on case loads in well under this on the same machine
        Thread.sleep(3_000);
        assertFalse(index.loaded());
    }

    private static ReplayConfig config(boolean enabled) {
        return new ReplayConfig() {
            @Override
            public boolean enabled() {
                return enabled;
            }

            @Override
            public String dataDir() {
                return DATA;
            }
        };
    }
}
