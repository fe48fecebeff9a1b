package org.esrp.generation;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.eclipse.microprofile.config.ConfigProvider;
import org.esrp.local.LocalInfra;
import org.esrp.local.LocalInfraResource;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

@QuarkusTest
@QuarkusTestResource(value = LocalInfraResource.class, initArgs = @ResourceArg(name = "database", value = "generation"))
class BrokerOutageTest {

    @Test
    void answersStoredWhileTheBrokerIsDownArriveOnceItIsBack() throws Exception {
        String study = StudyApi.study("outage");
        String file = """
                {"《银魂》的坂田银时": [
                  {"dialog_id": 1, "question_r1": "q1-1", "answer_r1": "a1-1", "question_r2": "q2-1", "answer_r2": "a2-1"},
                  {"dialog_id": 2, "question_r1": "q1-2", "answer_r1": "a1-2", "question_r2": "q2-2", "answer_r2": "a2-2"},
                  {"dialog_id": 3, "question_r1": "q1-3", "answer_r1": "a1-3", "question_r2": "q2-3", "answer_r2": "a2-3"}
                ]}""";
        LocalInfra.stopKafka();
        try {
            assertFalse(brokerReachable(), "the broker is really down");
            given().auth().oauth2("test-admin-token").contentType(ContentType.JSON).body(file)
                    .post("/studies/{id}/imports/chatanime?responder=fans&kind=HUMAN", study)
                    .then().statusCode(201).body("answersCreated", equalTo(6));
            // several outbox passes fail meanwhile
            Thread.sleep(4000);
        } finally {
            LocalInfra.restartKafka();
        }
        List<JsonNode> records = ResponsesTopic.records(study, 6, Duration.ofSeconds(120), Duration.ofSeconds(3));
        assertEquals(6, records.stream().map(r -> r.path("responseId").asText()).distinct().count(), "nothing lost");
        assertEquals(6, records.stream().map(r -> r.path("dialogueId").asText() + "/" + r.path("round").asInt())
                .collect(Collectors.toSet()).size());
    }

    private static boolean brokerReachable() {
        String[] hostPort = ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class).split(":");
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
