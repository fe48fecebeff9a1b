package org.esrp.annotation.domain;

import com.fasterxml.jackson.core.type.TypeReference;
import jakarta.persistence.Converter;
import org.esrp.events.QualityPolicy;

/** A study's quality policy as set (absent fields stay absent), stored as JSON text in study_design.quality. */
@Converter
public class QualityPolicyConverter extends JsonColumn<QualityPolicy> {

    public QualityPolicyConverter() {
        super(new TypeReference<>() { }, "quality policy");
    }
}
