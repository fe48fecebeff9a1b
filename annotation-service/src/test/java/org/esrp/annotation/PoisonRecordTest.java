package org.esrp.annotation;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.esrp.annotation.Streams.Dialogue;
import org.esrp.local.Topics;
import org.esrp.local.LocalInfraResource;
import org.esrp.local.Prometheus;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Records on esrp.responses that break the contract are parked on esrp.dlq and counted; the service keeps serving. */
@QuarkusTest
@QuarkusTestResource(value = LocalInfraResource.class, initArgs = @ResourceArg(name = "database", value = "annotation"))
class PoisonRecordTest {

    @Test
    void poisonAnswersAreParkedWithTheirReasonAndTheAnswersAfterThemStillBecomeItems() throws Exception {
        UUID study = UUID.randomUUID();
        UUID character = UUID.randomUUID();
        Api.design(study, Map.of("ratersPerItem", 1, "diversitySetSize", 20));
        double parkedBefore = parked();
        Dialogue poisoned = Dialogue.of(study, character, "《冰菓》的伊原摩耶花", UUID.randomUUID(), "m", "LLM");
        Map<String, Object> noCharacter = poisoned.round(1, UUID.randomUUID());
        noCharacter.remove("characterId");
        String withoutCharacter = Streams.MAPPER.writeValueAsString(noCharacter);
        Map<String, Object> nul = poisoned.round(2, UUID.randomUUID());
        nul.put("answer", "a\u0000b");
        String withNul = Streams.MAPPER.writeValueAsString(nul);
        String marker = UUID.randomUUID().toString();
        Topics.publish(Streams.bootstrap(), "esrp.responses", List.of(
                new Topics.Keyed(study.toString(), withoutCharacter),
                new Topics.Keyed(study.toString(), "not json " + marker),
                new Topics.Keyed(study.toString(), withNul)));
        Dialogue good = Dialogue.of(study, character, "《冰菓》的伊原摩耶花", UUID.randomUUID(), "m", "LLM");
        Streams.publishDialogues(List.of(good), 1, 2);

        Api.awaitItems(study, 1);
        List<ConsumerRecord<String, String>> parked = Topics.read(Streams.bootstrap(), "esrp.dlq",
                r -> study.toString().equals(r.key()), 3, Duration.ofSeconds(60), Duration.ofSeconds(2));
        assertEquals(3, parked.size(), "each poison record parked once");
        assertTrue(reason(parked.get(0)).contains("characterId"), reason(parked.get(0)));
        assertEquals(withoutCharacter, parked.get(0).value(), "parked as read");
        assertTrue(reason(parked.get(1)).contains("not JSON"), reason(parked.get(1)));
        assertTrue(parked.get(1).value().contains(marker));
        assertTrue(reason(parked.get(2)).contains("U+0000"), reason(parked.get(2)));
        assertEquals("esrp.responses", header(parked.get(0), "dead-letter-topic"));
        assertEquals(3.0, parked() - parkedBefore, 0.0);
        given().get("/q/health/ready").then().statusCode(200);
        given().header("Authorization", Api.ADMIN).get("/studies/{id}/progress", study).then().body("dialogueItems", equalTo(1));
    }

    private static String reason(ConsumerRecord<String, String> record) {
        return header(record, "dead-letter-reason");
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        return record.headers().lastHeader(name) == null ? "" : new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    /** This JVM's count of parked esrp.responses records, as Prometheus scrapes it. */
    static double parked() {
        String scrape = given().get("/q/metrics").then().statusCode(200).extract().asString();
        return Prometheus.value(scrape, "esrp_dlq_records_total", "topic=\"esrp.responses\"");
    }
}
