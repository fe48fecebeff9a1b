package org.esrp.annotation.domain;

import org.esrp.llm.LlmSettings;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * An LLM that rates a study's DIALOGUE items beside its annotators, blind, on the study's rubric. It is a rater: its id
 * is the annotatorId of its ratings, and its model goes with them as raterModel.
 */
public class Judge {

    public UUID id;
    public UUID studyId;
    public String name;
    /** What the researcher adds to the judging prompt (e.g. the study's guidelines); may be null. */
    public String instructions;
    public LlmSettings llm;
    public OffsetDateTime createdAt;
}
