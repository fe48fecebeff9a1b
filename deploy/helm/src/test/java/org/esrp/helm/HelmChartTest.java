package org.esrp.helm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The chart as Helm itself lints and renders it (helm-java: the Helm library, no helm binary needed). */
class HelmChartTest {

    private static final Path CHART = Path.of("esrp");
    private static final YAMLMapper YAML = new YAMLMapper();

    @Test
    void theChartLintsClean() {
        LintResult lint = new Helm(CHART).lint().strict().call();
        assertFalse(lint.isFailed(), String.join("\n", lint.getMessages()));
    }

    @Test
    void eachServiceGetsItsImageAndOnlyTheServicesWithADatabaseAreGivenOne() throws Exception {
        Map<String, JsonNode> deployments = deployments(new Helm(CHART).template().withName("esrp").call());
        assertEquals(List.of("esrp-annotation-service", "esrp-generation-service", "esrp-metrics-service"),
                deployments.keySet().stream().sorted().toList());
        for (String service : List.of("generation-service", "annotation-service", "metrics-service")) {
            JsonNode container = deployments.get("esrp-" + service).path("spec").path("template").path("spec").path("containers").path(0);
            assertEquals("esrp/" + service + ":1.0.0-SNAPSHOT", container.path("image").asText(), "the tag is the chart's appVersion");
            Map<String, JsonNode> env = env(container);
            boolean database = !service.equals("metrics-service");
            assertEquals(database, env.containsKey("QUARKUS_DATASOURCE_REACTIVE_URL"), service + ": " + env.keySet());
            assertEquals(database, env.containsKey("QUARKUS_DATASOURCE_PASSWORD"), service + ": " + env.keySet());
            assertTrue(env.containsKey("ESRP_ADMIN_TOKEN"), service + ": " + env.keySet());
        }
        assertEquals("postgresql://$(ESRP_DATABASE_HOST):$(ESRP_DATABASE_PORT)/annotation",
                env(deployments.get("esrp-annotation-service").path("spec").path("template").path("spec").path("containers").path(0))
                        .get("QUARKUS_DATASOURCE_REACTIVE_URL").path("value").asText());
    }

    @Test
    void aServiceGivenADatabaseWithoutItsLoginIsRefusedWithTheValueToSet() {
        Exception refused = assertThrows(Exception.class, () -> new Helm(CHART).template().withName("esrp")
                .set("common.database.username", "").call());
        assertTrue(refused.getMessage().contains("common.database.username is required"), refused.getMessage());
    }

    private static Map<String, JsonNode> deployments(String manifest) throws Exception {
        Map<String, JsonNode> deployments = new HashMap<>();
        try (MappingIterator<JsonNode> documents = YAML.readerFor(JsonNode.class).readValues(manifest)) {
            for (JsonNode document : documents.readAll()) {
                if ("Deployment".equals(document.path("kind").asText())) {
                    deployments.put(document.path("metadata").path("name").asText(), document);
                }
            }
        }
        return deployments;
    }

    private static Map<String, JsonNode> env(JsonNode container) {
        Map<String, JsonNode> env = new HashMap<>();
        List<JsonNode> entries = new ArrayList<>();
        container.path("env").forEach(entries::add);
        entries.forEach(entry -> env.put(entry.path("name").asText(), entry));
        return env;
    }
}
