package org.esrp.helm;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.CrossVersionObjectReference;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressServiceBackend;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLS;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.esrp.helm.Release.container;
import static org.esrp.helm.Release.env;
import static org.esrp.helm.Release.podLabels;
import static org.esrp.helm.Release.port;
import static org.esrp.helm.Release.selects;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every document of a release read as the typed object Kubernetes takes (fabric8's model; ServiceMonitor and KafkaTopic,
 * custom resources, as generic ones), with the chart's defaults and with every option on: that the pieces fit each other
 * (ports, selectors, names) and what the services read (their application.properties, the event contract).
 */
class RenderedManifestTest {

    /**
     * A variable that holds a credential, by how its name ends: not KAFKA_SSL_KEYSTORE_LOCATION nor
     * QUARKUS_OIDC_TOKEN_AUDIENCE, which only mention one (the same pattern values.schema.json refuses as a plain value).
     */
    private static final Pattern CREDENTIAL = Pattern.compile("(PASSWORD|TOKEN|SECRET|JAAS_CONFIG|_KEY)$");
    /** A variable a property needs, having no default: ${VAR}, not ${VAR:default}. */
    private static final Pattern REQUIRED_VARIABLE = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)}");
    /** The variable a property reads first, whatever its default. */
    private static final Pattern VARIABLE = Pattern.compile("^\\$\\{([A-Z][A-Z0-9_]*)[:}]");
    /** Kubernetes' $(VAR) in an environment value. */
    private static final Pattern REFERENCE = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");
    private static final Map<String, Class<? extends HasMetadata>> TYPED = Map.of("Deployment", Deployment.class, "Service", Service.class,
            "ConfigMap", ConfigMap.class, "Ingress", Ingress.class, "NetworkPolicy", NetworkPolicy.class,
            "HorizontalPodAutoscaler", HorizontalPodAutoscaler.class, "PodDisruptionBudget", PodDisruptionBudget.class);

    static Stream<Release> releases() {
        return Stream.of(Release.defaults(), Release.everyOptionOn());
    }

    @ParameterizedTest
    @MethodSource("releases")
    void everyDocumentIsTheTypedObjectOfItsKindWithAValidName(Release release) {
        for (HasMetadata document : release.documents()) {
            String name = document.getMetadata().getName();
            Class<? extends HasMetadata> type = TYPED.get(document.getKind());
            if (type != null) {
                assertInstanceOf(type, document, name);
                assertTrue(DNS_LABEL.matcher(name).matches() && name.length() <= 63, document.getKind() + " " + name);
            } else {
                assertInstanceOf(GenericKubernetesResource.class, document, name);
                assertTrue(Set.of("ServiceMonitor", "KafkaTopic").contains(document.getKind()), document.getKind());
                assertTrue(DNS_SUBDOMAIN.matcher(name).matches() && name.length() <= 253, document.getKind() + " " + name);
            }
        }
        assertEquals(3, release.all(Deployment.class).size(), release.toString());
    }

    @ParameterizedTest
    @MethodSource("releases")
    void theProbesAskTheHealthEndpointsOnThePortTheServiceListensOnAndTheServiceSendsTo(Release release) {
        for (Deployment deployment : release.all(Deployment.class)) {
            Container container = container(deployment);
            int port = Integer.parseInt(env(container).get("QUARKUS_HTTP_PORT").getValue());
            assertEquals(List.of(port), container.getPorts().stream().map(p -> p.getContainerPort()).toList(), container.getName());
            Map<String, Probe> probes = Map.of("/q/health/started", container.getStartupProbe(), "/q/health/live", container.getLivenessProbe(),
                    "/q/health/ready", container.getReadinessProbe());
            probes.forEach((path, probe) -> {
                assertEquals(path, probe.getHttpGet().getPath(), container.getName());
                assertEquals(port, port(container, probe.getHttpGet().getPort()), container.getName() + " " + path);
            });
            List<Service> services = release.all(Service.class).stream().filter(s -> selects(s.getSpec().getSelector(), podLabels(deployment))).toList();
            assertEquals(1, services.size(), container.getName() + ": the Services that select its pods");
            for (ServicePort servicePort : services.get(0).getSpec().getPorts()) {
                assertEquals(port, port(container, servicePort.getTargetPort()), services.get(0).getMetadata().getName());
            }
        }
    }

    /**
     * What a service reads in production is set: each ${VAR} without a default in its application.properties, the
     * settings every deployment overrides (broker, admin token, and the datasource of a service that has one), counting
     * the ConfigMap it loads; and each $(VAR) a value refers to is defined before it, as Kubernetes expands them.
     */
    @ParameterizedTest
    @MethodSource("releases")
    void everyVariableAServiceReadsInProductionIsSet(Release release) throws IOException {
        for (Deployment deployment : release.all(Deployment.class)) {
            Container container = container(deployment);
            Properties config = applicationProperties(deployment);
            Set<String> set = new HashSet<>(release.envFrom(container).keySet());
            set.addAll(env(container).keySet());
            Set<String> missing = new TreeSet<>(productionVariables(config));
            missing.removeAll(set);
            assertTrue(missing.isEmpty(), release + ", " + container.getName() + " lacks " + missing);

            Set<String> defined = new HashSet<>(release.envFrom(container).keySet());
            for (EnvVar variable : container.getEnv()) {
                for (String reference : references(variable.getValue())) {
                    assertTrue(defined.contains(reference), container.getName() + ": " + variable.getName() + " refers to $(" + reference
                            + ") before it is defined");
                }
                defined.add(variable.getName());
            }
        }
    }

    /** metrics-service's instances forward requests to each other at the address each advertises: its own pod's. */
    @ParameterizedTest
    @MethodSource("releases")
    void aKafkaStreamsServiceAdvertisesItsOwnPodsAddress(Release release) throws IOException {
        List<String> advertising = new ArrayList<>();
        for (Deployment deployment : release.all(Deployment.class)) {
            Optional<String> advertised = advertisedVariable(applicationProperties(deployment));
            if (advertised.isEmpty()) {
                continue;
            }
            Container container = container(deployment);
            Map<String, EnvVar> env = env(container);
            assertTrue(env.containsKey(advertised.get()), container.getName() + " lacks " + advertised.get());
            String value = env.get(advertised.get()).getValue();
            List<String> references = references(value);
            assertEquals(1, references.size(), value);
            EnvVar podIp = env.get(references.get(0));
            assertEquals("status.podIP", podIp.getValueFrom().getFieldRef().getFieldPath());
            assertEquals("$(" + podIp.getName() + "):" + container.getPorts().get(0).getContainerPort(), value);
            advertising.add(container.getName());
        }
        assertEquals(List.of("metrics-service"), advertising);
    }

    /**
     * Kafka Streams static membership: the id is the pod's name, so that a container restarted in its pod takes its
     * partitions back at once, and no two running pods share one (the second would fence the first).
     */
    @ParameterizedTest
    @MethodSource("releases")
    void aKafkaStreamsServiceIsAStaticMemberNamedAfterItsPod(Release release) throws IOException {
        List<String> members = new ArrayList<>();
        for (Deployment deployment : release.all(Deployment.class)) {
            Matcher matcher = VARIABLE.matcher(applicationProperties(deployment).getProperty("kafka-streams.group.instance.id", ""));
            if (!matcher.find()) {
                continue;
            }
            Container container = container(deployment);
            EnvVar id = env(container).get(matcher.group(1));
            assertNotNull(id, container.getName() + " lacks " + matcher.group(1));
            assertNull(id.getValue(), id.getName());
            assertEquals("metadata.name", id.getValueFrom().getFieldRef().getFieldPath());
            members.add(container.getName());
        }
        assertEquals(List.of("metrics-service"), members);
    }

    @ParameterizedTest
    @MethodSource("releases")
    void credentialsComeOnlyFromSecretsAndCertificatesFromReadOnlySecretVolumes(Release release) {
        for (ConfigMap configMap : release.all(ConfigMap.class)) {
            configMap.getData().forEach((name, value) -> {
                assertFalse(CREDENTIAL.matcher(name).find(), configMap.getMetadata().getName() + " holds " + name);
                assertFalse(value.contains("-----BEGIN"), configMap.getMetadata().getName() + " holds a PEM block in " + name);
            });
        }
        for (Deployment deployment : release.all(Deployment.class)) {
            Container container = container(deployment);
            for (EnvVar variable : container.getEnv()) {
                if (CREDENTIAL.matcher(variable.getName()).find()) {
                    assertNull(variable.getValue(), container.getName() + ": " + variable.getName() + " has a literal value");
                    assertNotNull(variable.getValueFrom().getSecretKeyRef(), container.getName() + ": " + variable.getName() + " is not from a Secret");
                }
                assertFalse(variable.getValue() != null && variable.getValue().contains("-----BEGIN"), variable.getName());
            }
            files(container).forEach(file -> assertReadOnlySecretFile(deployment, file));
        }
    }

    @ParameterizedTest
    @MethodSource("releases")
    void everyContainerRequestsCpuAndMemoryAndHasAMemoryLimitAboveItsRequest(Release release) {
        for (Deployment deployment : release.all(Deployment.class)) {
            Container container = container(deployment);
            Map<String, Quantity> requests = container.getResources().getRequests();
            Map<String, Quantity> limits = container.getResources().getLimits();
            assertNotNull(requests.get("cpu"), container.getName());
            assertNotNull(requests.get("memory"), container.getName());
            assertNotNull(limits.get("memory"), container.getName());
            assertTrue(limits.get("memory").getNumericalAmount().compareTo(requests.get("memory").getNumericalAmount()) >= 0, container.getName());
        }
    }

    /**
     * Each service's pods take connections on their HTTP port from the ingress controller, from the monitoring namespace
     * when a ServiceMonitor scrapes them, and from their own instances when they forward to each other (metrics-service);
     * from nothing else, and no rule leaves its peers out (which would let everyone in).
     */
    @ParameterizedTest
    @MethodSource("releases")
    void theNetworkPolicyLetsInTheIngressControllerTheScraperAndForwardingInstancesOnly(Release release) throws IOException {
        boolean scraped = !release.custom("ServiceMonitor").isEmpty();
        for (Deployment deployment : release.all(Deployment.class)) {
            Container container = container(deployment);
            int port = container.getPorts().get(0).getContainerPort();
            List<NetworkPolicy> policies = release.all(NetworkPolicy.class).stream()
                    .filter(p -> selects(p.getSpec().getPodSelector(), podLabels(deployment))).toList();
            assertEquals(1, policies.size(), container.getName());
            assertEquals(List.of("Ingress"), policies.get(0).getSpec().getPolicyTypes());
            List<NetworkPolicyPeer> peers = new ArrayList<>();
            for (NetworkPolicyIngressRule rule : policies.get(0).getSpec().getIngress()) {
                assertFalse(rule.getFrom().isEmpty(), container.getName() + ": a rule without peers lets everyone in");
                for (NetworkPolicyPort allowed : rule.getPorts()) {
                    assertEquals(port, port(container, allowed.getPort()), container.getName());
                    assertEquals("TCP", allowed.getProtocol());
                }
                peers.addAll(rule.getFrom());
            }
            assertTrue(peers.stream().anyMatch(peer -> isNamespace(peer, "ingress-nginx")), container.getName() + ": the ingress controller");
            assertEquals(scraped, peers.stream().anyMatch(peer -> isNamespace(peer, "monitoring")), container.getName() + ": the scraper");
            List<NetworkPolicyPeer> pods = peers.stream().filter(peer -> peer.getPodSelector() != null).toList();
            if (advertisedVariable(applicationProperties(deployment)).isPresent()) {
                assertEquals(1, pods.size(), container.getName() + ": its own instances");
                assertNull(pods.get(0).getNamespaceSelector(), "in the release's namespace");
                assertEquals(List.of(deployment), release.all(Deployment.class).stream()
                        .filter(d -> selects(pods.get(0).getPodSelector(), podLabels(d))).toList(), "its own pods only");
            } else {
                assertEquals(List.of(), pods, container.getName() + ": no pod calls it");
            }
            assertEquals(peers.size(), peers.stream().filter(peer -> isNamespace(peer, "ingress-nginx") || isNamespace(peer, "monitoring")
                    || pods.contains(peer)).count(), container.getName() + ": " + peers);
        }
    }

    @ParameterizedTest
    @MethodSource("releases")
    void autoscalersBudgetsIngressAndMonitorsPointAtWhatTheReleaseHas(Release release) {
        List<Deployment> deployments = release.all(Deployment.class);
        for (HorizontalPodAutoscaler autoscaler : release.all(HorizontalPodAutoscaler.class)) {
            CrossVersionObjectReference target = autoscaler.getSpec().getScaleTargetRef();
            assertEquals("apps/v1", target.getApiVersion());
            assertEquals("Deployment", target.getKind());
            Deployment scaled = release.named(Deployment.class, target.getName());
            assertNull(scaled.getSpec().getReplicas(), target.getName() + ": the autoscaler owns the replicas");
            assertTrue(autoscaler.getSpec().getMinReplicas() <= autoscaler.getSpec().getMaxReplicas(), target.getName());
        }
        for (PodDisruptionBudget budget : release.all(PodDisruptionBudget.class)) {
            assertEquals(List.of(budget.getMetadata().getName()), deployments.stream()
                    .filter(d -> selects(budget.getSpec().getSelector(), podLabels(d))).map(d -> d.getMetadata().getName()).toList());
        }
        for (Ingress ingress : release.all(Ingress.class)) {
            Set<String> hosts = new HashSet<>();
            ingress.getSpec().getRules().forEach(rule -> {
                hosts.add(rule.getHost());
                rule.getHttp().getPaths().forEach(path -> {
                    IngressServiceBackend backend = path.getBackend().getService();
                    Service service = release.named(Service.class, backend.getName());
                    assertTrue(service.getSpec().getPorts().stream().anyMatch(p -> backend.getPort().getName() != null
                            ? backend.getPort().getName().equals(p.getName()) : backend.getPort().getNumber().equals(p.getPort())), backend.toString());
                });
            });
            for (IngressTLS tls : ingress.getSpec().getTls()) {
                assertFalse(tls.getSecretName().isBlank());
                assertTrue(hosts.containsAll(tls.getHosts()), tls.getHosts() + " among " + hosts);
            }
        }
        for (GenericKubernetesResource monitor : release.custom("ServiceMonitor")) {
            Map<String, String> selector = monitor.get("spec", "selector", "matchLabels");
            List<Service> services = release.all(Service.class).stream().filter(s -> selects(selector, s.getMetadata().getLabels())).toList();
            assertEquals(1, services.size(), monitor.getMetadata().getName());
            List<Map<String, Object>> endpoints = monitor.get("spec", "endpoints");
            for (Map<String, Object> endpoint : endpoints) {
                assertEquals("/q/metrics", endpoint.get("path"));
                assertTrue(services.get(0).getSpec().getPorts().stream().anyMatch(p -> p.getName().equals(endpoint.get("port"))), endpoint.toString());
            }
        }
    }

    /** Kafka over SASL_SSL with client certificates and PostgreSQL with verify-full: the variables the services map onto their clients. */
    @Test
    void withEveryOptionOnEachServiceIsItsOwnKafkaPrincipalAndChecksTheDatabasesCertificate() throws IOException {
        Release release = Release.everyOptionOn();
        Map<String, String> common = release.named(ConfigMap.class, "esrp-common").getData();
        assertEquals("SASL_SSL", common.get("KAFKA_SECURITY_PROTOCOL"));
        assertEquals("SCRAM-SHA-512", common.get("KAFKA_SASL_MECHANISM"));
        for (Deployment deployment : release.all(Deployment.class)) {
            Container container = container(deployment);
            String service = container.getName();
            Map<String, EnvVar> env = env(container);
            assertSecret(env.get("KAFKA_SASL_JAAS_CONFIG"), service, "sasl.jaas.config");
            assertEquals("PEM", env.get("KAFKA_SSL_TRUSTSTORE_TYPE").getValue());
            assertEquals("/etc/esrp/kafka-ca/ca.crt", env.get("KAFKA_SSL_TRUSTSTORE_LOCATION").getValue());
            assertEquals("PKCS12", env.get("KAFKA_SSL_KEYSTORE_TYPE").getValue());
            assertEquals("/etc/esrp/kafka-user/user.p12", env.get("KAFKA_SSL_KEYSTORE_LOCATION").getValue());
            assertSecret(env.get("KAFKA_SSL_KEYSTORE_PASSWORD"), service + "-tls", "user.password");

            boolean database = applicationProperties(deployment).containsKey("quarkus.datasource.db-kind");
            assertEquals(database, env.containsKey("QUARKUS_DATASOURCE_REACTIVE_POSTGRESQL_SSL_MODE"), service);
            if (database) {
                String ca = "/etc/esrp/db-ca/ca.crt";
                assertEquals("verify-full", env.get("QUARKUS_DATASOURCE_REACTIVE_POSTGRESQL_SSL_MODE").getValue());
                assertEquals("true", env.get("QUARKUS_DATASOURCE_REACTIVE_TRUST_CERTIFICATE_PEM").getValue());
                assertEquals(ca, env.get("QUARKUS_DATASOURCE_REACTIVE_TRUST_CERTIFICATE_PEM_CERTS").getValue());
                assertEquals("HTTPS", env.get("QUARKUS_DATASOURCE_REACTIVE_HOSTNAME_VERIFICATION_ALGORITHM").getValue());
                assertEquals("connectTimeout=10&sslmode=verify-full&sslrootcert=" + ca, query(env.get("QUARKUS_DATASOURCE_JDBC_URL").getValue()));
                assertEquals("connectTimeout=10", query(env.get("QUARKUS_DATASOURCE_REACTIVE_URL").getValue()),
                        "the reactive client would send sslrootcert to the server as a setting");
            }
            assertEquals(database ? 4 : 2, files(container).size(), service + ": " + files(container));
        }
    }

    @Test
    void byDefaultKafkaIsPlainTheDatabaseUnencryptedAndTheServicesMakeTheirTopics() {
        Release release = Release.defaults();
        assertEquals("PLAINTEXT", release.named(ConfigMap.class, "esrp-common").getData().get("KAFKA_SECURITY_PROTOCOL"));
        assertEquals(List.of(), release.custom("KafkaTopic"));
        for (Deployment deployment : release.all(Deployment.class)) {
            Container container = container(deployment);
            assertTrue(env(container).keySet().stream().noneMatch(name -> name.startsWith("KAFKA_") || name.contains("_SSL_")),
                    container.getName() + ": " + env(container).keySet());
            assertEquals(List.of("tmp"), deployment.getSpec().getTemplate().getSpec().getVolumes().stream().map(Volume::getName).toList());
        }
    }

    /**
     * The KafkaTopics are the topics the event contract declares (EventTopics.ALL in deploy/events), by their exact names,
     * kept for ever or compacted as it says, with the partitions and replication the services are told (so that a service
     * that starts first creates them alike and metrics-service sizes its state to them), and kept when the release goes.
     */
    @Test
    void theStrimziTopicsAreTheContractsTopicsWithTheSettingsTheServicesAreGiven() throws IOException {
        Map<String, Boolean> contract = contractTopics();
        Release release = Release.everyOptionOn();
        Map<String, String> common = release.named(ConfigMap.class, "esrp-common").getData();
        Map<String, Boolean> rendered = new HashMap<>();
        for (GenericKubernetesResource topic : release.custom("KafkaTopic")) {
            String name = topic.get("spec", "topicName");
            Map<String, Object> config = topic.get("spec", "config");
            rendered.put(name, "compact".equals(config.get("cleanup.policy")));
            assertEquals("kafka.strimzi.io/v1beta2", topic.getApiVersion());
            assertEquals("my-cluster", topic.getMetadata().getLabels().get("strimzi.io/cluster"), name);
            assertEquals("kafka", topic.getMetadata().getNamespace(), "the topic operator's namespace");
            assertEquals("keep", topic.getMetadata().getAnnotations().get("helm.sh/resource-policy"), name);
            assertEquals(common.get("ESRP_TOPICS_PARTITIONS"), String.valueOf(topic.<Object>get("spec", "partitions")), name);
            assertEquals(common.get("ESRP_TOPICS_REPLICATION"), String.valueOf(topic.<Object>get("spec", "replicas")), name);
            assertEquals(common.get("ESRP_TOPICS_MIN_INSYNC_REPLICAS"), config.get("min.insync.replicas"), name);
            if (!contract.getOrDefault(name, false)) {
                assertEquals("-1", config.get("retention.ms"), name);
                assertEquals("-1", config.get("retention.bytes"), name);
            }
        }
        assertEquals(contract, rendered);
    }

    private static Set<String> productionVariables(Properties config) {
        Set<String> variables = new TreeSet<>(List.of("KAFKA_BOOTSTRAP_SERVERS", "ESRP_ADMIN_TOKEN"));
        config.stringPropertyNames().stream()
                .filter(key -> !key.startsWith("%") || key.startsWith("%prod."))
                .flatMap(key -> REQUIRED_VARIABLE.matcher(config.getProperty(key)).results().map(m -> m.group(1)))
                .forEach(variables::add);
        if (config.containsKey("quarkus.datasource.db-kind")) {
            variables.addAll(List.of("QUARKUS_DATASOURCE_REACTIVE_URL", "QUARKUS_DATASOURCE_JDBC_URL", "QUARKUS_DATASOURCE_USERNAME",
                    "QUARKUS_DATASOURCE_PASSWORD"));
        }
        advertisedVariable(config).ifPresent(variables::add);
        return variables;
    }

    /** The variable a Kafka Streams service takes its advertised address from (its default only serves one local instance). */
    private static Optional<String> advertisedVariable(Properties config) {
        Matcher matcher = VARIABLE.matcher(config.getProperty("quarkus.kafka-streams.application-server", ""));
        return matcher.find() ? Optional.of(matcher.group(1)) : Optional.empty();
    }

    /** The service's own configuration, found by the component label (the module's name). */
    private static Properties applicationProperties(Deployment deployment) throws IOException {
        String module = podLabels(deployment).get("app.kubernetes.io/component");
        Properties config = new Properties();
        try (InputStream in = Files.newInputStream(Path.of("..", "..", module, "src", "main", "resources", "application.properties"))) {
            config.load(in);
        }
        return config;
    }

    /** The platform's topics as deploy/events declares them (EventTopics.ALL), each with whether it is compacted. */
    private static Map<String, Boolean> contractTopics() throws IOException {
        Path events = Path.of("..", "events", "src", "main", "java", "org", "esrp", "events");
        Matcher all = Pattern.compile("ALL\\s*=\\s*Map\\.of\\((.*?)\\);", Pattern.DOTALL).matcher(Files.readString(events.resolve("EventTopics.java")));
        assertTrue(all.find(), "EventTopics.ALL");
        Map<String, Boolean> topics = new HashMap<>();
        Matcher entries = Pattern.compile("([A-Za-z]+(?:\\.[A-Z_]+)?)\\s*,\\s*(true|false)").matcher(all.group(1));
        while (entries.find()) {
            String[] constant = entries.group(1).contains(".") ? entries.group(1).split("\\.") : new String[] {"EventTopics", entries.group(1)};
            Matcher value = Pattern.compile(constant[1] + "\\s*=\\s*\"([^\"]+)\"").matcher(Files.readString(events.resolve(constant[0] + ".java")));
            assertTrue(value.find(), entries.group(1));
            topics.put(value.group(1), Boolean.parseBoolean(entries.group(2)));
        }
        assertEquals(4, topics.size(), topics.toString());
        return topics;
    }

    /** The files a container is pointed at: each *_LOCATION and *_CERTS variable, and the JDBC URL's sslrootcert. */
    private static List<String> files(Container container) {
        List<String> files = new ArrayList<>();
        for (EnvVar variable : container.getEnv()) {
            if (variable.getName().endsWith("_LOCATION") || variable.getName().endsWith("_CERTS")) {
                files.add(variable.getValue());
            }
            if (variable.getName().equals("QUARKUS_DATASOURCE_JDBC_URL")) {
                Matcher root = Pattern.compile("[?&]sslrootcert=([^&]+)").matcher(variable.getValue());
                if (root.find()) {
                    files.add(root.group(1));
                }
            }
        }
        return files;
    }

    private static void assertReadOnlySecretFile(Deployment deployment, String file) {
        Container container = container(deployment);
        VolumeMount mount = container.getVolumeMounts().stream().filter(m -> file.startsWith(m.getMountPath() + "/")).findFirst()
                .orElseThrow(() -> new AssertionError(container.getName() + ": nothing mounted at " + file));
        assertTrue(Boolean.TRUE.equals(mount.getReadOnly()), mount.getMountPath());
        Volume volume = deployment.getSpec().getTemplate().getSpec().getVolumes().stream().filter(v -> v.getName().equals(mount.getName()))
                .findFirst().orElseThrow();
        assertNotNull(volume.getSecret(), volume.getName() + " is not a Secret volume");
        String path = file.substring(mount.getMountPath().length() + 1);
        assertEquals(List.of(path), volume.getSecret().getItems().stream().map(KeyToPath::getPath).toList(), file);
    }

    private static void assertSecret(EnvVar variable, String secretName, String key) {
        SecretKeySelector secret = variable.getValueFrom().getSecretKeyRef();
        assertEquals(secretName, secret.getName(), variable.getName());
        assertEquals(key, secret.getKey(), variable.getName());
    }

    private static boolean isNamespace(NetworkPolicyPeer peer, String namespace) {
        return peer.getPodSelector() == null && peer.getNamespaceSelector() != null
                && Map.of("kubernetes.io/metadata.name", namespace).equals(peer.getNamespaceSelector().getMatchLabels());
    }

    private static List<String> references(String value) {
        return value == null ? List.of() : REFERENCE.matcher(value).results().map(m -> m.group(1)).collect(Collectors.toList());
    }

    private static String query(String url) {
        return url.contains("?") ? url.substring(url.indexOf('?') + 1) : "";
    }
}
