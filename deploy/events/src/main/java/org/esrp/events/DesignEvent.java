package org.esrp.events;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The record of topic {@value #TOPIC} (compacted): a study's annotation design, written by annotation-service whenever
 * it is set, read by metrics-service so that every statistic uses the study's own rubric. Key: {@code studyId}. A study
 * with no record is rated on {@link Rubric#DIALOGUE} and {@link Rubric#DIVERSITY}.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonClassDescription("A study's annotation design, on the compacted topic esrp.designs (key: studyId); the latest record "
        + "of a study is its design. A study with no record uses the default rubric (the 9 metrics of Qiu et al. 2025).")
public record DesignEvent(
        @JsonPropertyDescription("Version of this record's schema.")
        int schemaVersion,
        @JsonProperty(required = true) @JsonPropertyDescription("The study.")
        UUID studyId,
        @JsonProperty(required = true) @JsonPropertyDescription("k: how many raters each item gets.")
        int ratersPerItem,
        @JsonPropertyDescription("Whether annotators rate only characters they know.")
        boolean matchCharacters,
        @JsonPropertyDescription("Share of tasks that are planted gold items.")
        double goldShare,
        @JsonPropertyDescription("Ratings made faster than this are flagged TOO_FAST.")
        int minSeconds,
        @JsonPropertyDescription("How long a task stays leased to an annotator.")
        int leaseSeconds,
        @JsonPropertyDescription("M: answers per DIVERSITY item.")
        int diversitySetSize,
        @JsonProperty(required = true) @JsonPropertyDescription("The metrics DIALOGUE items are rated on, in order, grouped into dimensions.")
        List<RubricMetric> rubric,
        @JsonProperty(required = true) @JsonPropertyDescription("The metrics DIVERSITY items are rated on.")
        List<RubricMetric> diversityRubric,
        @JsonPropertyDescription("When the design was last set (ISO-8601).")
        OffsetDateTime updatedAt,
        @JsonPropertyDescription("Which ratings count in the study's statistics; absent: the default policy.")
        QualityPolicy quality) {

    public static final String TOPIC = "esrp.designs";
    public static final int SCHEMA_VERSION = 1;

    /** The study's quality policy, defaults filled in. */
    public QualityPolicy policy() {
        return quality == null ? QualityPolicy.DEFAULT : quality.withDefaults();
    }

    public DesignEvent {
        if (schemaVersion == 0) {
            schemaVersion = 1;
        }
    }

    /** What makes this record break the contract; empty when it keeps it. */
    public List<String> violations() {
        List<String> problems = new ArrayList<>();
        Contract.required(problems, "studyId", studyId);
        Contract.metrics(problems, "rubric", rubric);
        Contract.metrics(problems, "diversityRubric", diversityRubric);
        if (quality != null) {
            quality.violations().forEach(problem -> problems.add("quality." + problem));
        }
        return problems;
    }
}
