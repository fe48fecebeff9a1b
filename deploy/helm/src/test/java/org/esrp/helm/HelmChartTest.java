package org.esrp.helm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The chart as Helm itself lints and renders it (helm-java: the Helm library, no helm binary needed). */
class HelmChartTest {

    private static final Path CHART = Release.CHART;
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
        assertRefused(command -> command.set("services.metrics.port", "http"), "at '/services/metrics/port': got string, want integer");
        assertRefused(command -> command.set("services.gateway.port", 9000), "gateway");
        assertRefused(command -> command.set("services.annotation.autoscaling.targetCPUUtilizationPercentage", 150), "targetCPUUtilizationPercentage");
        assertRefused(command -> command.set("common.kafka.securityProtocol", "TLS"),
                "at '/common/kafka/securityProtocol': value must be one of 'PLAINTEXT', 'SSL', 'SASL_SSL', 'SASL_PLAINTEXT'");
        assertRefused(command -> command.set("common.database.tls.sslMode", "verify-full"), "at '/common/database/tls': missing property 'caSecret'");
        assertRefused(command -> command.set("common.database.tls.sslMode", "prefer"), "/common/database/tls/sslMode");
        assertRefused(command -> command.set("topics.strimzi.enabled", true), "/topics/strimzi/clusterName");
        assertRefused(command -> command.set("services.annotation.kafka.tlsUserSecret.secretKey", "user.p12"), "/services/annotation/kafka/tlsUserSecret");
    }

    /** A credential is never a plain value: not in env (the ConfigMap or a container's), nor as an extraEnv literal. */
    @Test
    void aCredentialGivenAsAPlainValueIsRefusedNamingIt() {
        assertRefused(command -> command.set("common.env.KAFKA_SASL_JAAS_CONFIG", "org.apache.kafka...ScramLoginModule required;"),
                "/common/env/KAFKA_SASL_JAAS_CONFIG");
        assertRefused(command -> command.set("services.generation.env.OPENAI_API_KEY", "sk-1"), "/services/generation/env/OPENAI_API_KEY");
        assertRefused(command -> command.set("services.metrics.extraEnv[0].name", "KAFKA_SSL_KEYSTORE_PASSWORD")
                .set("services.metrics.extraEnv[0].value", "changeit"), "at '/services/metrics/extraEnv/0': missing property 'valueFrom'");
    }

    /** What the schema cannot say (it sees no rendering), the templates refuse, naming the value to set. */
    @Test
    void settingsThatCannotWorkTogetherAreRefusedNamingTheValue(@TempDir Path temp) throws Exception {
        assertRefused(command -> command.set("common.kafka.securityProtocol", "SASL_SSL").set("services.generation.kafka.saslJaasConfigSecret.secretName", "g")
                        .set("services.annotation.kafka.saslJaasConfigSecret.secretName", "a"),
                "services.metrics.kafka.saslJaasConfigSecret.secretName is required: common.kafka.securityProtocol SASL_SSL logs each service in as its own principal");
        assertRefused(command -> command.set("common.kafka.tls.caSecret.secretName", "my-cluster-cluster-ca-cert"),
                "common.kafka.tls.caSecret is set, but common.kafka.securityProtocol PLAINTEXT does not use TLS");
        assertRefused(command -> command.set("services.metrics.kafka.saslJaasConfigSecret.secretName", "m"),
                "services.metrics.kafka.saslJaasConfigSecret is set, but common.kafka.securityProtocol PLAINTEXT does not use SASL");
        assertRefused(command -> command.set("common.database.tls.sslMode", "require").set("common.database.parameters", "sslmode=disable"),
                "common.database.parameters sets sslmode or sslrootcert");

        // helm install --skip-schema-validation: the template says it too.
        Path unchecked = temp.resolve("esrp");
        try (var files = Files.walk(CHART)) {
            for (Path file : files.filter(f -> !f.getFileName().toString().equals("values.schema.json")).toList()) {
                Files.copy(file, unchecked.resolve(CHART.relativize(file).toString()));
            }
        }
        Exception refused = assertThrows(Exception.class, () -> new Helm(unchecked).template().withName("esrp")
                .set("common.database.tls.sslMode", "verify-ca").call());
        assertTrue(refused.getMessage().contains("common.database.tls.caSecret is required for sslMode verify-ca"), refused.getMessage());
    }

    /** sslmode=require as PostgreSQL means it: encrypted, the server's certificate not checked; parameters kept in both URLs. */
    @Test
    void sslModeRequireWithoutACaEncryptsWithoutCheckingTheServer() {
        Release release = Release.render("require", command -> command.set("common.database.tls.sslMode", "require")
                .set("common.database.parameters", "?connectTimeout=10"));
        Map<String, EnvVar> env = Release.env(Release.container(release.named(Deployment.class, "esrp-annotation-service")));
        assertEquals("require", env.get("QUARKUS_DATASOURCE_REACTIVE_POSTGRESQL_SSL_MODE").getValue());
        assertEquals("true", env.get("QUARKUS_DATASOURCE_REACTIVE_TRUST_ALL").getValue());
        assertFalse(env.containsKey("QUARKUS_DATASOURCE_REACTIVE_TRUST_CERTIFICATE_PEM"));
        assertEquals("jdbc:postgresql://$(ESRP_DATABASE_HOST):$(ESRP_DATABASE_PORT)/annotation?connectTimeout=10&sslmode=require",
                env.get("QUARKUS_DATASOURCE_JDBC_URL").getValue());
        assertEquals("postgresql://$(ESRP_DATABASE_HOST):$(ESRP_DATABASE_PORT)/annotation?connectTimeout=10",
                env.get("QUARKUS_DATASOURCE_REACTIVE_URL").getValue());
    }

    @Test
    void aServiceGivenADatabaseWithoutItsLoginIsRefusedWithTheValueToSet() {
        assertRefused(command -> command.set("common.database.username", ""), "common.database.username is required");
    }

    private static void assertRefused(UnaryOperator<TemplateCommand> values, String message) {
        Exception refused = assertThrows(Exception.class, () -> values.apply(Release.template()).call());
        assertTrue(refused.getMessage().contains(message), refused.getMessage());
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
