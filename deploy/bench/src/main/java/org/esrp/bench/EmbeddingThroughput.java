package org.esrp.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Driver of {@code deploy/bench/embeddings.sh}: embeds recorded ChatAnime answers in batches of 32 (as metrics-service's
 * embedding worker does) and reports the wall time and the process's CPU time. {@code platform}: metrics-service's
 * {@code EmbeddingDispersion}, as packaged; {@code langchain4j}: LangChain4j's own bge-small-zh-v1.5 class (ONNX
 * Runtime's default session) over one thread per core, as metrics-service ran it before. Both from metrics-service's
 * packaged libraries, on the class path the script gives; called by reflection, so that this module needs none of them.
 *
 * <p>Arguments: platform|langchain4j, number of answers, data folder.
 */
public final class EmbeddingThroughput {

    private static final int BATCH = 32;

    private EmbeddingThroughput() {
    }

    public static void main(String[] args) throws Exception {
        String variant = args[0];
        int count = Integer.parseInt(args[1]);
        List<String> answers = new ArrayList<>();
        JsonNode root = new ObjectMapper().readTree(Path.of(args[2], "gpt-4.1.json").toFile());
        root.fields().forEachRemaining(character -> character.getValue().forEach(d -> {
            answers.add(d.path("answer_r1").asText());
            answers.add(d.path("answer_r2").asText());
        }));
        List<String> texts = answers.subList(0, count);
        int cores = Runtime.getRuntime().availableProcessors();
        ExecutorService pool = Executors.newFixedThreadPool(cores);
        Embedder embedder = variant.equals("platform") ? platform() : langchain4j(pool);

        embedder.embed(texts.subList(0, BATCH)); // loads the model, warms up
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu = os.getProcessCpuTime();
        long wall = System.nanoTime();
        for (int i = 0; i < texts.size(); i += BATCH) {
            embedder.embed(texts.subList(i, Math.min(texts.size(), i + BATCH)));
        }
        double seconds = (System.nanoTime() - wall) / 1e9;
        double cpuSeconds = (os.getProcessCpuTime() - cpu) / 1e9;
        System.out.printf(Locale.ROOT, "%-11s %d answers (mean %.0f characters) on %d cores: %.1f s, %.1f CPU-s, %.1f ms CPU per answer%n",
                variant, texts.size(), texts.stream().mapToInt(String::length).average().orElse(0), cores, seconds,
                cpuSeconds, cpuSeconds * 1000 / texts.size());
        System.exit(0);
    }

    private interface Embedder {
        void embed(List<String> texts) throws Exception;
    }

    private static Embedder platform() throws Exception {
        Class<?> type = Class.forName("org.esrp.metrics.diversity.EmbeddingDispersion");
        Object model = type.getConstructor().newInstance();
        Method embed = type.getMethod("embed", List.class);
        return texts -> embed.invoke(model, texts);
    }

    private static Embedder langchain4j(ExecutorService pool) throws Exception {
        Class<?> type = Class.forName("dev.langchain4j.model.embedding.onnx.bgesmallzhv15q.BgeSmallZhV15QuantizedEmbeddingModel");
        Object model = type.getConstructor(java.util.concurrent.Executor.class).newInstance(pool);
        Method embedAll = type.getMethod("embedAll", List.class);
        Method segment = Class.forName("dev.langchain4j.data.segment.TextSegment").getMethod("from", String.class);
        // embedAll spreads the batch over the pool, one text per task
        return texts -> {
            List<Object> segments = new ArrayList<>();
            for (String text : texts) {
                segments.add(segment.invoke(null, text));
            }
            embedAll.invoke(model, segments);
        };
    }
}
