package org.esrp.annotation.domain;

import com.fasterxml.jackson.core.type.TypeReference;
import jakarta.persistence.Converter;
import org.esrp.events.RubricMetric;

import java.util.List;

/** A study's own rubric, stored as JSON text in study_design.rubric. */
@Converter
public class RubricConverter extends JsonColumn<List<RubricMetric>> {

    public RubricConverter() {
        super(new TypeReference<>() { }, "rubric");
    }
}
