package org.esrp.metrics.diversity;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Semantic diversity of a set of answers: the mean pairwise cosine distance between their sentence
 * embeddings. Where {@link DistinctN} and {@link SelfBleu} count shared character n-grams, this
 * measure sees through rewording: two paraphrases are close even when they share few characters.
 *
 * <p>The embeddings come from BAAI bge-small-zh-v1.5 (int8-quantized, 512 dimensions, CLS pooling),
 * run in this JVM by ONNX Runtime through LangChain4j ({@link BgeSmallZhModel}); the model ships inside its jar,
 * so nothing is downloaded. Texts longer than the model's 512-token window are split and their embeddings averaged
 * by LangChain4j; ChatAnime answers are far shorter than that.
 *
 * <p>Cost: the model is kept in a static field, so it is loaded once per class loader, by
 * the first instance (0.5 to 1 s, and some 140 MB of native memory; the Java heap hardly grows), and
 * it stays loaded until that class loader goes away; {@link #close()} only stops this instance's
 * threads. Create one instance and share it: {@link #embed(List)} may be called from several threads.
 * Neither the constructor nor {@code embed} may run on an event loop.
 *
 * <p>ONNX Runtime and the tokenizer are native libraries, and the JVM lets only one class loader load
 * a native library: within one JVM, load the model from one class loader only. (A plain unit test and
 * a {@code @QuarkusTest} whose application also builds one, run in the same surefire JVM, fail with
 * "already loaded in another classloader".)
 */
public final class EmbeddingDispersion implements AutoCloseable {

    /** Dimensions of a bge-small-zh-v1.5 embedding. */
    public static final int DIMENSIONS = 512;

    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final ExecutorService executor;
    private final EmbeddingModel model;
    private volatile boolean closed;

    /** Loads the in-JVM model once (expensive: call from a worker thread, never from an event loop). */
    public EmbeddingDispersion() {
        int instance = INSTANCES.incrementAndGet();
        // LangChain4j spreads a batch over this executor, one text per task, each run on its thread.
        // Half the cores: embedding is background work, and on all of them it held back the stream
        // thread and, on a machine shared with the other services, their work (BENCHMARKS.md). Daemon
        // threads that time out when idle, so a forgotten close() neither pins threads nor keeps the
        // JVM alive.
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 10, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), daemonThreads("embedding-dispersion-" + instance + "-"));
        pool.allowCoreThreadTimeOut(true);
        executor = pool;

        // The first construction opens the model, and DJL finds the tokenizer's native library
        // through the thread's context class loader. Threads of some pools have none, or one that
        // does not see this module's dependencies, so use the loader that loaded this class.
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(EmbeddingDispersion.class.getClassLoader());
        try {
            model = new BgeSmallZhModel(executor);
        } catch (RuntimeException | Error e) {
            executor.shutdownNow();
            throw e;
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /**
     * Unit-length embeddings of the texts, in the order given (batch through the model's embedAll).
     *
     * @param texts the texts; none may be null or blank (the model has nothing to embed in a blank text)
     * @return one {@value #DIMENSIONS}-dimensional unit vector per text; an empty array for no texts
     * @throws IllegalArgumentException if a text is blank
     * @throws IllegalStateException if this instance is closed
     */
    public float[][] embed(List<String> texts) {
        Objects.requireNonNull(texts, "texts");
        if (closed) {
            throw new IllegalStateException("EmbeddingDispersion is closed");
        }
        if (texts.isEmpty()) {
            return new float[0][];
        }
        List<TextSegment> segments = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            String text = texts.get(i);
            if (text == null) {
                throw new NullPointerException("texts[" + i + "] is null");
            }
            if (text.isBlank()) {
                throw new IllegalArgumentException("texts[" + i + "] is blank: there is nothing to embed");
            }
            segments.add(TextSegment.from(text));
        }

        List<Embedding> embeddings;
        try {
            embeddings = model.embedAll(segments).content();
        } catch (RejectedExecutionException e) {
            throw new IllegalStateException("EmbeddingDispersion was closed during embed", e);
        }
        if (embeddings.size() != texts.size()) {
            throw new IllegalStateException("model returned " + embeddings.size() + " embeddings for "
                    + texts.size() + " texts");
        }
        float[][] vectors = new float[embeddings.size()][];
        for (int i = 0; i < vectors.length; i++) {
            // LangChain4j already normalises, in float arithmetic; doing it again in double makes the
            // unit length this method promises independent of that.
            vectors[i] = toUnitLength(embeddings.get(i).vector(), i);
        }
        return vectors;
    }

    /**
     * Mean pairwise cosine distance (1 - cosine similarity) over all unordered pairs of the given
     * embeddings; NaN for fewer than 2. Pure math, static.
     *
     * <p>The vectors need not be unit length: each pair's cosine is computed from the vectors as given.
     * Rounding can take a cosine a hair outside [-1, 1]; it is clamped, so every pair contributes a
     * distance in [0, 2], and identical vectors contribute 0 up to rounding (about 1e-16). Sums are kept
     * in double.
     * Costs O(n^2 d) for n vectors of d dimensions: about 7,000 pairs for a character's 120 answers.
     *
     * @param embeddings the vectors, all of one dimension, none null, zero or non-finite
     * @return the mean distance in [0, 2] (0 = all point the same way; 1 for mutually orthogonal
     *     vectors), or NaN for fewer than 2 vectors
     * @throws IllegalArgumentException if the dimensions differ, or a vector is zero, empty, or has a
     *     NaN or infinite component
     */
    public static double dispersion(float[][] embeddings) {
        Objects.requireNonNull(embeddings, "embeddings");
        int n = embeddings.length;
        double[][] unit = new double[n][];
        for (int i = 0; i < n; i++) {
            float[] v = embeddings[i];
            if (v == null) {
                throw new NullPointerException("embeddings[" + i + "] is null");
            }
            if (v.length != embeddings[0].length) {
                throw new IllegalArgumentException("embedding " + i + " has " + v.length
                        + " dimensions, embedding 0 has " + embeddings[0].length);
            }
            double norm = norm(v, i);
            unit[i] = new double[v.length];
            for (int k = 0; k < v.length; k++) {
                unit[i][k] = v[k] / norm;
            }
        }
        if (n < 2) {
            return Double.NaN;
        }

        double sum = 0;
        for (int i = 0; i < n; i++) {
            double[] a = unit[i];
            for (int j = i + 1; j < n; j++) {
                double[] b = unit[j];
                double dot = 0;
                for (int k = 0; k < a.length; k++) {
                    dot += a[k] * b[k];
                }
                sum += 1 - Math.max(-1, Math.min(1, dot));
            }
        }
        return sum / ((double) n * (n - 1) / 2);
    }

    /** Stops this instance's threads; the model itself stays loaded (see the class comment). Idempotent. */
    @Override
    public void close() {
        closed = true;
        executor.shutdown();
    }

    private static float[] toUnitLength(float[] v, int index) {
        double norm = norm(v, index);
        float[] unit = new float[v.length];
        for (int k = 0; k < v.length; k++) {
            unit[k] = (float) (v[k] / norm);
        }
        return unit;
    }

    private static double norm(float[] v, int index) {
        double squares = 0;
        for (float x : v) {
            squares += (double) x * x;
        }
        double norm = Math.sqrt(squares);
        if (!(norm > 0) || Double.isInfinite(norm)) {
            throw new IllegalArgumentException("embedding " + index + " is "
                    + (v.length == 0 ? "empty" : Double.isNaN(norm) || Double.isInfinite(norm) ? "not finite" : "zero"));
        }
        return norm;
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread t = new Thread(task, prefix + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
