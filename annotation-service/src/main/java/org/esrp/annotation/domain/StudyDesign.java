package org.esrp.annotation.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.esrp.events.QualityPolicy;
import org.esrp.events.RubricMetric;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** How a study is annotated; a study without one uses {@link #defaults(UUID)}. */
@Entity
@Table(name = "study_design")
public class StudyDesign {

    @Id
    @Column(name = "study_id")
    public UUID studyId;

    @Column(name = "raters_per_item")
    public int ratersPerItem;

    @Column(name = "match_characters")
    public boolean matchCharacters;

    @Column(name = "gold_share")
    public double goldShare;

    @Column(name = "min_seconds")
    public int minSeconds;

    @Column(name = "lease_seconds")
    public int leaseSeconds;

    @Column(name = "diversity_set_size")
    public int diversitySetSize;

    /** The metrics of DIALOGUE items; null means the default rubric. */
    @Convert(converter = RubricConverter.class)
    public List<RubricMetric> rubric;

    /** Which ratings count in the study's statistics, as set; null means the default policy. */
    @Convert(converter = QualityPolicyConverter.class)
    @Column(name = "quality")
    public QualityPolicy quality;

    @Column(name = "updated_at")
    public OffsetDateTime updatedAt;

    /** The esrp.designs outbox mark: null until the broker acknowledged the design's latest record. */
    @Column(name = "published_at")
    public OffsetDateTime publishedAt;

    public static StudyDesign defaults(UUID studyId) {
        StudyDesign design = new StudyDesign();
        design.studyId = studyId;
        design.ratersPerItem = 3;
        design.matchCharacters = true;
        design.goldShare = 0.0;
        design.minSeconds = 10;
        design.leaseSeconds = 900;
        design.diversitySetSize = 5;
        return design;
    }
}
