package org.esrp.metrics.diversity;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import dev.langchain4j.model.embedding.onnx.bgesmallzhv15q.BgeSmallZhV15QuantizedEmbeddingModel;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.Executor;

/**
 * LangChain4j's bge-small-zh-v1.5 (int8) from the model and tokenizer its jar ships, in an ONNX Runtime session that
 * runs each text on the calling thread: one intra-op thread, no spinning. The parallelism is across texts, on the
 * executor given.
 *
 * <p>LangChain4j's own class opens the session with ONNX Runtime's defaults: a pool of intra-op threads per session,
 * one per core, that spin while they wait for work. With texts already spread over one thread per core, those pools
 * compete with them and with the rest of the service: on 2 cores, 32-36 ms of CPU per ChatAnime answer against 24-28 ms
 * in this session ({@code deploy/bench/embeddings.sh}).
 *
 * <p>The session is opened once per class loader, by the first instance, and shared, as LangChain4j does for its own.
 */
final class BgeSmallZhModel extends AbstractInProcessEmbeddingModel {

    private static final String MODEL = "/bge-small-zh-v1.5-q.onnx";
    private static final String TOKENIZER = "/bge-small-zh-v1.5-q-tokenizer.json";

    /** Opened on first use: the holder's class is initialised then, once. */
    private static final class Shared {
        static final OnnxBertBiEncoder ENCODER = open();
    }

    BgeSmallZhModel(Executor executor) {
        super(executor);
        // open the session now, on the caller's thread: the constructor is where the cost is documented to be paid
        model();
    }

    @Override
    protected OnnxBertBiEncoder model() {
        return Shared.ENCODER;
    }

    @Override
    protected Integer knownDimension() {
        return EmbeddingDispersion.DIMENSIONS;
    }

    private static OnnxBertBiEncoder open() {
        // the resources of LangChain4j's jar, read through its class without initialising it (which would load a
        // second copy of the model with the default session)
        Class<?> jar = BgeSmallZhV15QuantizedEmbeddingModel.class;
        try (InputStream model = jar.getResourceAsStream(MODEL);
             InputStream tokenizer = jar.getResourceAsStream(TOKENIZER);
             OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            if (model == null || tokenizer == null) {
                throw new IllegalStateException("the bge-small-zh-v1.5 model is missing from the class path");
            }
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            options.addConfigEntry("session.intra_op.allow_spinning", "0");
            options.addConfigEntry("session.inter_op.allow_spinning", "0");
            OrtEnvironment environment = OrtEnvironment.getEnvironment();
            OrtSession session = environment.createSession(model.readAllBytes(), options);
            return new OnnxBertBiEncoder(environment, session, tokenizer, PoolingMode.CLS);
        } catch (OrtException e) {
            throw new IllegalStateException("cannot open the bge-small-zh-v1.5 model: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
