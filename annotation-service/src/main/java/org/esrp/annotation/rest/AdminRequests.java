package org.esrp.annotation.rest;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.esrp.events.QualityPolicy;
import org.esrp.events.RubricMetric;
import org.esrp.annotation.domain.StudyDesign;

import java.util.List;
import java.util.UUID;

public final class AdminRequests {

    private AdminRequests() {
    }

    public record AnnotatorRequest(@NotBlank @Size(max = 200) String displayName,
                                   @NotNull @Size(max = 500) List<@NotNull UUID> characterIds,
                                   @Size(max = 20) List<@NotBlank String> languages,
                                   @Size(max = 100) List<@NotNull UUID> responderIds) {
    }

    public record DesignRequest(@NotNull @Min(1) @Max(50) Integer ratersPerItem,
                                Boolean matchCharacters,
                                @DecimalMin("0.0") @DecimalMax("0.5") Double goldShare,
                                @Min(0) @Max(3600) Integer minSeconds,
                                @Min(2) @Max(86400) Integer leaseSeconds,
                                @Min(2) @Max(20) Integer diversitySetSize,
                                @Size(min = 1, max = 30) List<@Valid MetricRequest> rubric,
                                QualityPolicy quality) {

        StudyDesign toDesign(UUID studyId) {
            StudyDesign design = StudyDesign.defaults(studyId);
            design.ratersPerItem = ratersPerItem;
            if (matchCharacters != null) {
                design.matchCharacters = matchCharacters;
            }
            if (goldShare != null) {
                design.goldShare = goldShare;
            }
            if (minSeconds != null) {
                design.minSeconds = minSeconds;
            }
            if (leaseSeconds != null) {
                design.leaseSeconds = leaseSeconds;
            }
            if (diversitySetSize != null) {
                design.diversitySetSize = diversitySetSize;
            }
            design.quality = quality;
            return design;
        }

        List<RubricMetric> toRubric() {
            return rubric == null ? null : rubric.stream()
                    .map(m -> new RubricMetric(m.key(), m.name(), m.dimension(), m.definition(), m.min(), m.max(), m.anchors())).toList();
        }
    }

    public record MetricRequest(@NotBlank @jakarta.validation.constraints.Pattern(regexp = "[a-zA-Z][a-zA-Z0-9]*") String key,
                                @NotBlank String name, @NotBlank String dimension, @NotBlank String definition,
                                @NotNull @Min(0) @Max(10) Integer min, @NotNull @Min(1) @Max(100) Integer max,
                                java.util.Map<String, String> anchors) {
    }
}
