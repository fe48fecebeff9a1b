package org.esrp.helm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
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

    /** The chart's default images are the ones the build makes: each service's Jib configuration, at the project's version. */
    @Test
    void theImagesTheChartNamesAreTheOnesTheBuildMakes() throws Exception {
        Map<String, JsonNode> deployments = deployments(new Helm(CHART).template().withName("esrp").call());
        String version = System.getProperty("esrp.version", "1.0.0-SNAPSHOT");
        for (String service : List.of("generation-service", "annotation-service", "metrics-service")) {
            java.util.Properties config = new java.util.Properties();
            try (var in = Files.newInputStream(Path.of("..", "..", service, "src", "main", "resources", "application.properties"))) {
                config.load(in);
            }
            String group = config.getProperty("quarkus.container-image.group").replaceAll("^\\$\\{[A-Z_]+:(.*)}$", "$1");
            String name = config.getProperty("quarkus.container-image.name", config.getProperty("quarkus.application.name"));
            assertEquals(service, name);
            assertEquals("185", config.getProperty("quarkus.jib.user"), "the chart's runAsUser");
            assertEquals(group + "/" + name + ":" + version,
                    deployments.get("esrp-" + service).path("spec").path("template").path("spec").path("containers").path(0).path("image").asText());
        }
    }

    @Test
    void podsRunAsANumericNonRootUserOnAReadOnlyRootWithoutCapabilitiesOrAServiceAccountToken() throws Exception {
        for (JsonNode deployment : deployments(new Helm(CHART).template().withName("esrp").call()).values()) {
            String name = deployment.path("metadata").path("name").asText();
            JsonNode pod = deployment.path("spec").path("template").path("spec");
            assertFalse(pod.path("automountServiceAccountToken").asBoolean(true), name);
            assertTrue(pod.path("securityContext").path("runAsNonRoot").asBoolean(), name);
            assertEquals(185, pod.path("securityContext").path("runAsUser").asInt(), name);
            JsonNode container = pod.path("containers").path(0);
            assertTrue(container.path("securityContext").path("readOnlyRootFilesystem").asBoolean(), name);
            assertFalse(container.path("securityContext").path("allowPrivilegeEscalation").asBoolean(true), name);
            assertEquals("ALL", container.path("securityContext").path("capabilities").path("drop").path(0).asText(), name);
            assertEquals("/tmp", container.path("volumeMounts").path(0).path("mountPath").asText(), name);
            assertEquals("tmp", pod.path("volumes").path(0).path("name").asText(), name);
            assertTrue(pod.path("volumes").path(0).has("emptyDir"), name);
        }
    }

    @Test
    void everyServiceHasADisruptionBudgetAndTheTwoThatScaleOutAnAutoscalerThatOwnsTheirReplicas() throws Exception {
        String manifest = new Helm(CHART).template().withName("esrp").call();
        Map<String, List<String>> kinds = new HashMap<>();
        for (JsonNode document : documents(manifest)) {
            kinds.computeIfAbsent(document.path("kind").asText(), k -> new ArrayList<>()).add(document.path("metadata").path("name").asText());
        }
        assertEquals(List.of("esrp-annotation-service", "esrp-generation-service", "esrp-metrics-service"),
                kinds.get("PodDisruptionBudget").stream().sorted().toList());
        assertEquals(List.of("esrp-annotation-service", "esrp-generation-service"),
                kinds.get("HorizontalPodAutoscaler").stream().sorted().toList());
        Map<String, JsonNode> deployments = deployments(manifest);
        assertFalse(deployments.get("esrp-generation-service").path("spec").has("replicas"), "the autoscaler sets them");
        assertEquals(1, deployments.get("esrp-metrics-service").path("spec").path("replicas").asInt());
        JsonNode fixed = deployments(new Helm(CHART).template().withName("esrp").set("services.generation.autoscaling.enabled", false).call())
                .get("esrp-generation-service");
        assertEquals(2, fixed.path("spec").path("replicas").asInt());
    }

    @Test
    void theIngressGivesEachServiceAHostOfItsOwnAndRefusesAHostThatWouldRouteTwo() throws Exception {
        JsonNode ingress = documents(new Helm(CHART).template().withName("esrp").set("ingress.enabled", true).call()).stream()
                .filter(d -> "Ingress".equals(d.path("kind").asText())).findFirst().orElseThrow();
        Map<String, String> routes = new HashMap<>();
        for (JsonNode rule : ingress.path("spec").path("rules")) {
            assertEquals(1, rule.path("http").path("paths").size(), rule.toString());
            routes.put(rule.path("host").asText(), rule.path("http").path("paths").path(0).path("backend").path("service").path("name").asText());
        }
        assertEquals(Map.of("generation.esrp.example.org", "esrp-generation-service", "annotation.esrp.example.org", "esrp-annotation-service",
                "metrics.esrp.example.org", "esrp-metrics-service"), routes);

        Path shared = Files.createTempFile("one-host", ".yaml");
        Files.writeString(shared, """
                ingress:
                  enabled: true
                  hosts:
                    - host: esrp.example.org
                      paths:
                        - {path: /, service: annotation}
                        - {path: /leaderboard, service: metrics}
                """);
        Exception refused = assertThrows(Exception.class, () -> new Helm(CHART).template().withName("esrp").withValuesFile(shared).call());
        assertTrue(refused.getMessage().contains("ingress host esrp.example.org routes to annotation, metrics"), refused.getMessage());
    }

    @Test
    void onlyTheReleasesPodsAndTheConfiguredPeersReachAService() throws Exception {
        List<JsonNode> policies = documents(new Helm(CHART).template().withName("esrp").call()).stream()
                .filter(d -> "NetworkPolicy".equals(d.path("kind").asText())).toList();
        assertEquals(3, policies.size());
        for (JsonNode policy : policies) {
            JsonNode spec = policy.path("spec");
            assertEquals("Ingress", spec.path("policyTypes").path(0).asText());
            assertEquals(1, spec.path("ingress").size(), "one rule: nothing else is let in");
            JsonNode from = spec.path("ingress").path(0).path("from");
            assertEquals("esrp", from.path(0).path("podSelector").path("matchLabels").path("app.kubernetes.io/instance").asText(), policy.toString());
            assertEquals("ingress-nginx", from.path(1).path("namespaceSelector").path("matchLabels").path("kubernetes.io/metadata.name").asText());
            assertEquals("http", spec.path("ingress").path(0).path("ports").path(0).path("port").asText());
            String component = spec.path("podSelector").path("matchLabels").path("app.kubernetes.io/component").asText();
            assertTrue(component.endsWith("-service"), component);
        }
    }

    @Test
    void aServiceMonitorScrapesEachServicesMetricsWhenAsked() throws Exception {
        assertTrue(documents(new Helm(CHART).template().withName("esrp").call()).stream()
                .noneMatch(d -> "ServiceMonitor".equals(d.path("kind").asText())), "off by default");
        List<JsonNode> monitors = documents(new Helm(CHART).template().withName("esrp").set("serviceMonitor.enabled", true).call()).stream()
                .filter(d -> "ServiceMonitor".equals(d.path("kind").asText())).toList();
        assertEquals(3, monitors.size());
        for (JsonNode monitor : monitors) {
            JsonNode endpoint = monitor.path("spec").path("endpoints").path(0);
            assertEquals("/q/metrics", endpoint.path("path").asText());
            assertEquals("http", endpoint.path("port").asText(), "the Service's port name");
        }
    }

    @Test
    void wrongValuesAreRefusedByTheSchemaNamingTheValue() {
        Exception port = assertThrows(Exception.class, () -> new Helm(CHART).template().withName("esrp").set("services.metrics.port", "http").call());
        assertTrue(port.getMessage().contains("/services/metrics/port") && port.getMessage().contains("want integer"), port.getMessage());
        Exception unknown = assertThrows(Exception.class, () -> new Helm(CHART).template().withName("esrp").set("services.gateway.port", 9000).call());
        assertTrue(unknown.getMessage().contains("gateway"), unknown.getMessage());
        Exception autoscaling = assertThrows(Exception.class, () -> new Helm(CHART).template().withName("esrp")
                .set("services.annotation.autoscaling.targetCPUUtilizationPercentage", 150).call());
        assertTrue(autoscaling.getMessage().contains("targetCPUUtilizationPercentage"), autoscaling.getMessage());
    }

    @Test
    void aServiceGivenADatabaseWithoutItsLoginIsRefusedWithTheValueToSet() {
        Exception refused = assertThrows(Exception.class, () -> new Helm(CHART).template().withName("esrp")
                .set("common.database.username", "").call());
        assertTrue(refused.getMessage().contains("common.database.username is required"), refused.getMessage());
    }

    private static Map<String, JsonNode> deployments(String manifest) throws Exception {
        Map<String, JsonNode> deployments = new HashMap<>();
        for (JsonNode document : documents(manifest)) {
            if ("Deployment".equals(document.path("kind").asText())) {
                deployments.put(document.path("metadata").path("name").asText(), document);
            }
        }
        return deployments;
    }

    private static List<JsonNode> documents(String manifest) throws Exception {
        try (MappingIterator<JsonNode> documents = YAML.readerFor(JsonNode.class).readValues(manifest)) {
            return documents.readAll().stream().filter(d -> d != null && !d.isNull() && !d.isMissingNode()).toList();
        }
    }

    private static Map<String, JsonNode> env(JsonNode container) {
        Map<String, JsonNode> env = new HashMap<>();
        List<JsonNode> entries = new ArrayList<>();
        container.path("env").forEach(entries::add);
        entries.forEach(entry -> env.put(entry.path("name").asText(), entry));
        return env;
    }
}
