package org.esrp.helm;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/** The chart rendered as a release named "esrp" (Helm's library through helm-java), each document a typed Kubernetes object. */
final class Release {

    static final Path CHART = Path.of("esrp");
    /** A values file with every option of the chart on. */
    static final Path EVERY_OPTION = Path.of("src", "test", "resources", "every-option.yaml");

    private static final KubernetesSerialization KUBERNETES = new KubernetesSerialization();
    /** Rendered once each, on first use (so that a chart that does not render fails the tests with Helm's message). */
    private static final Map<String, Release> RENDERED = new ConcurrentHashMap<>();
    private static final Pattern DOCUMENTS = Pattern.compile("(?m)^---\\s*$");

    private final String description;
    private final List<HasMetadata> documents;

    private Release(String description, List<HasMetadata> documents) {
        this.description = description;
        this.documents = documents;
    }

    static Release defaults() {
        return RENDERED.computeIfAbsent("default values", description -> render(description, command -> command));
    }

    static Release everyOptionOn() {
        return RENDERED.computeIfAbsent("every option on", description -> render(description, command -> command.withValuesFile(EVERY_OPTION)));
    }

    static Release render(String description, UnaryOperator<TemplateCommand> options) {
        String manifest = options.apply(template()).call();
        List<HasMetadata> documents = Arrays.stream(DOCUMENTS.split(manifest))
                .filter(Release::hasContent)
                .map(document -> (HasMetadata) KUBERNETES.unmarshal(document))
                .toList();
        return new Release(description, documents);
    }

    static TemplateCommand template() {
        return new Helm(CHART).template().withName("esrp");
    }

    List<HasMetadata> documents() {
        return documents;
    }

    <T extends HasMetadata> List<T> all(Class<T> type) {
        return documents.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** The custom resources of a kind (ServiceMonitor, KafkaTopic), which have no typed model here. */
    List<GenericKubernetesResource> custom(String kind) {
        return all(GenericKubernetesResource.class).stream().filter(r -> kind.equals(r.getKind())).toList();
    }

    <T extends HasMetadata> T named(Class<T> type, String name) {
        return all(type).stream().filter(r -> name.equals(r.getMetadata().getName())).findFirst()
                .orElseThrow(() -> new AssertionError(description + ": no " + type.getSimpleName() + " " + name));
    }

    /** The keys of the ConfigMaps the container loads with envFrom, each with its value. */
    Map<String, String> envFrom(Container container) {
        Map<String, String> env = new LinkedHashMap<>();
        container.getEnvFrom().forEach(source -> env.putAll(named(ConfigMap.class, source.getConfigMapRef().getName()).getData()));
        return env;
    }

    static Container container(Deployment deployment) {
        return deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    static Map<String, EnvVar> env(Container container) {
        Map<String, EnvVar> env = new LinkedHashMap<>();
        container.getEnv().forEach(variable -> env.put(variable.getName(), variable));
        return env;
    }

    /** The container port a probe, a Service or a NetworkPolicy names, by number or by name. */
    static int port(Container container, IntOrString port) {
        if (port.getIntVal() != null) {
            return port.getIntVal();
        }
        return container.getPorts().stream().filter(p -> port.getStrVal().equals(p.getName())).findFirst()
                .orElseThrow(() -> new AssertionError(container.getName() + " has no port named " + port.getStrVal()))
                .getContainerPort();
    }

    /** Whether the selector picks pods with these labels (matchLabels only: the chart uses no expressions). */
    static boolean selects(LabelSelector selector, Map<String, String> labels) {
        if (selector.getMatchExpressions() != null && !selector.getMatchExpressions().isEmpty()) {
            throw new AssertionError("a selector with expressions: " + selector);
        }
        return selects(selector.getMatchLabels(), labels);
    }

    static boolean selects(Map<String, String> matchLabels, Map<String, String> labels) {
        return matchLabels != null && !matchLabels.isEmpty() && labels.entrySet().containsAll(matchLabels.entrySet());
    }

    static Map<String, String> podLabels(Deployment deployment) {
        return deployment.getSpec().getTemplate().getMetadata().getLabels();
    }

    private static boolean hasContent(String document) {
        return document.lines().map(String::strip).anyMatch(line -> !line.isEmpty() && !line.startsWith("#"));
    }

    @Override
    public String toString() {
        return description;
    }
}
