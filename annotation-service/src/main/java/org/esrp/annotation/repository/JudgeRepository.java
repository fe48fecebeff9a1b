package org.esrp.annotation.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.esrp.annotation.domain.Judge;
import org.esrp.common.security.Tokens;
import org.esrp.llm.LlmSettings;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/** A study's judges. Plain SQL on the reactive pool, read by the judge worker's threads outside any Hibernate session. */
@ApplicationScoped
public class JudgeRepository {

    private final Pool pool;

    public JudgeRepository(Pool pool) {
        this.pool = pool;
    }

    /**
     * Stores the judge with the annotator row its ratings name: of kind LLM_JUDGE, with the hash of a token nobody was
     * given, so that no request ever authenticates as a judge.
     */
    public Uni<Judge> create(Judge judge) {
        LlmSettings llm = judge.llm;
        return pool.withTransaction(conn -> conn.preparedQuery(
                                "INSERT INTO annotator (id, display_name, token_hash, created_at, kind) VALUES ($1, $2, $3, now(), 'LLM_JUDGE')")
                        .execute(Tuple.of(judge.id, "judge: " + judge.name, Tokens.hash(UUID.randomUUID() + "/" + UUID.randomUUID())))
                        .flatMap(annotator -> conn.preparedQuery("""
                                        INSERT INTO judge (id, study_id, name, instructions, base_url, model_name, api_key_env, temperature,
                                                           max_tokens, max_concurrency, requests_per_minute, timeout_seconds,
                                                           price_input_per_million, price_output_per_million, created_at)
                                        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, now())
                                        RETURNING *""")
                                .execute(Tuple.tuple(Arrays.asList(judge.id, judge.studyId, judge.name, judge.instructions, llm.baseUrl,
                                        llm.modelName, llm.apiKeyEnv, llm.temperature, llm.maxTokens, llm.maxConcurrency,
                                        llm.requestsPerMinute, llm.timeoutSeconds, llm.priceInputPerMillion, llm.priceOutputPerMillion)))))
                .map(rows -> toJudge(rows.iterator().next()));
    }

    public Uni<List<Judge>> list(UUID studyId) {
        return pool.preparedQuery("SELECT * FROM judge WHERE study_id = $1 ORDER BY created_at, id").execute(Tuple.of(studyId))
                .map(rows -> {
                    List<Judge> judges = new ArrayList<>();
                    rows.forEach(row -> judges.add(toJudge(row)));
                    return judges;
                });
    }

    /** The judge, or null when the study has none with this id. */
    public Uni<Judge> find(UUID studyId, UUID judgeId) {
        return pool.preparedQuery("SELECT * FROM judge WHERE id = $1 AND study_id = $2").execute(Tuple.of(judgeId, studyId))
                .map(rows -> rows.iterator().hasNext() ? toJudge(rows.iterator().next()) : null);
    }

    public Uni<Judge> find(UUID judgeId) {
        return pool.preparedQuery("SELECT * FROM judge WHERE id = $1").execute(Tuple.of(judgeId))
                .map(rows -> rows.iterator().hasNext() ? toJudge(rows.iterator().next()) : null);
    }

    private static Judge toJudge(Row row) {
        Judge judge = new Judge();
        judge.id = row.getUUID("id");
        judge.studyId = row.getUUID("study_id");
        judge.name = row.getString("name");
        judge.instructions = row.getString("instructions");
        LlmSettings llm = new LlmSettings();
        llm.baseUrl = row.getString("base_url");
        llm.modelName = row.getString("model_name");
        llm.apiKeyEnv = row.getString("api_key_env");
        llm.temperature = row.getDouble("temperature");
        llm.maxTokens = row.getInteger("max_tokens");
        llm.maxConcurrency = row.getInteger("max_concurrency");
        llm.requestsPerMinute = row.getInteger("requests_per_minute");
        llm.timeoutSeconds = row.getInteger("timeout_seconds");
        llm.priceInputPerMillion = row.getBigDecimal("price_input_per_million");
        llm.priceOutputPerMillion = row.getBigDecimal("price_output_per_million");
        judge.llm = llm;
        judge.createdAt = row.getOffsetDateTime("created_at");
        return judge;
    }
}
