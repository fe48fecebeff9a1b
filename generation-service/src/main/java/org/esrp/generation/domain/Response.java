package org.esrp.generation.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * One stored answer: a round of a dialogue. Its id is the responseId on Kafka; publishedAt is the outbox mark,
 * set once the broker acknowledged the record.
 */
@Entity
@Table(name = "response")
public class Response {

    @Id
    public UUID id;

    @Column(name = "dialogue_id")
    public UUID dialogueId;

    public short round;

    @Column(name = "user_message")
    public String userMessage;

    public String answer;

    @Column(name = "latency_ms")
    public Long latencyMs;

    @Column(name = "tokens_in")
    public Integer tokensIn;

    @Column(name = "tokens_out")
    public Integer tokensOut;

    public Double temperature;

    @Column(name = "simulator_model")
    public String simulatorModel;

    /** Round 2: the tokens of the simulator's call that wrote its user message. */
    @Column(name = "simulator_tokens_in")
    public Integer simulatorTokensIn;

    @Column(name = "simulator_tokens_out")
    public Integer simulatorTokensOut;

    /** What the round's calls cost at the prices of their models; null for fans' answers and imports. */
    public java.math.BigDecimal cost;

    @Column(name = "created_at")
    public OffsetDateTime createdAt;

    @Column(name = "published_at")
    public OffsetDateTime publishedAt;
}
