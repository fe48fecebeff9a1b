package org.esrp.annotation;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import org.esrp.annotation.Streams.Dialogue;
import org.esrp.local.LocalInfra;
import org.esrp.local.LocalInfraResource;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

@QuarkusTest
@QuarkusTestResource(value = LocalInfraResource.class, initArgs = @ResourceArg(name = "database", value = "annotation"))
class RatingOutageTest {

    @Test
    void aRatingAcceptedWhileTheBrokerIsDownIsPublishedOnceItIsBack() throws Exception {
        UUID study = UUID.randomUUID();
        UUID character = UUID.randomUUID();
        Streams.publishDialogues(List.of(Dialogue.of(study, character, "《进击的巨人》的利威尔·阿克曼", UUID.randomUUID(), "m", "LLM")), 1, 2);
        Api.awaitItems(study, 1);
        Api.Registered annotator = Api.annotator("outage", List.of(character), List.of());
        String taskId = Api.next(annotator, study).then().statusCode(200).extract().path("taskId");
        String key = UUID.randomUUID().toString();
        String ratingId;
        LocalInfra.stopKafka();
        try {
            assertFalse(brokerReachable(), "the broker is really down");
            ratingId = Api.rate(annotator, taskId, key, Api.scores(3), 30_000).then().statusCode(201).extract().path("ratingId");
            // a client retry during the outage is answered from the database, not counted again
            Api.rate(annotator, taskId, key, Api.scores(3), 30_000).then().statusCode(200);
            Thread.sleep(3000);
        } finally {
            LocalInfra.restartKafka();
        }
        List<JsonNode> records = Streams.ratings(study, 1, Duration.ofSeconds(120), Duration.ofSeconds(3));
        assertEquals(1, records.stream().map(r -> r.path("ratingId").asText()).distinct().count());
        assertEquals(ratingId, records.get(0).path("ratingId").asText());
        assertEquals(1, Api.export(study).size());
    }

    private static boolean brokerReachable() {
        String[] hostPort = Streams.bootstrap().split(":");
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
