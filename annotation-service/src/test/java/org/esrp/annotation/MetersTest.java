package org.esrp.annotation;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.esrp.annotation.Streams.Dialogue;
import org.esrp.local.LocalInfraResource;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.esrp.local.Prometheus.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The annotation work on /q/metrics: each count moves by what was done, and the outbox backlog is there. */
@QuarkusTest
@QuarkusTestResource(value = LocalInfraResource.class, initArgs = @ResourceArg(name = "database", value = "annotation"))
class MetersTest {

    @Test
    void leasesRatingsAndRefusalsAreCountedAndTheOutboxBacklogIsShown() throws Exception {
        UUID study = UUID.randomUUID();
        UUID character = UUID.randomUUID();
        Api.design(study, Map.of("ratersPerItem", 1, "minSeconds", 0, "diversitySetSize", 20));
        Streams.publishDialogues(List.of(Dialogue.of(study, character, "《冰菓》的千反田爱瑠", UUID.randomUUID(), "m", "LLM")), 1, 2);
        Api.awaitItems(study, 1);
        String before = metrics();

        Api.Registered rater = Api.annotator("counted", List.of(character), List.of());
        Response task = Api.next(rater, study);
        assertEquals(200, task.statusCode());
        assertEquals(200, Api.next(rater, study).statusCode(), "the same lease again: not a new one");
        String taskId = task.path("taskId");
        assertEquals(201, Api.rate(rater, taskId, "k1", Api.scores(4), 30_000).statusCode());
        assertEquals(409, Api.rate(rater, taskId, "k2", Api.scores(3), 30_000).statusCode(), "the task is rated");

        String after = metrics();
        assertEquals(1.0, value(after, "esrp_tasks_leased_total", "") - value(before, "esrp_tasks_leased_total", ""));
        assertEquals(1.0, value(after, "esrp_ratings_accepted_total", "rater=\"HUMAN\"") - value(before, "esrp_ratings_accepted_total", "rater=\"HUMAN\""));
        assertEquals(1.0, value(after, "esrp_ratings_refused_total", "status=\"409\"") - value(before, "esrp_ratings_refused_total", "status=\"409\""));
        await().atMost(Duration.ofSeconds(20)).until(() -> metrics().contains("esrp_outbox_backlog{topic=\"esrp.ratings\""));
        assertTrue(metrics().contains("esrp_outbox_oldest_age_seconds{topic=\"esrp.designs\""));
    }

    private static String metrics() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
    }
}
