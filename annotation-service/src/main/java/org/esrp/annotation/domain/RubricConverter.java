package org.esrp.annotation.domain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import org.esrp.events.RubricMetric;

import java.util.List;

/** A study's own rubric, stored as JSON text in study_design.rubric. */
@Converter
public class RubricConverter implements AttributeConverter<List<RubricMetric>, String> {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final TypeReference<List<RubricMetric>> TYPE = new TypeReference<>() { };

    @Override
    public String convertToDatabaseColumn(List<RubricMetric> rubric) {
        try {
            return rubric == null ? null : MAPPER.writeValueAsString(rubric);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public List<RubricMetric> convertToEntityAttribute(String json) {
        return read(json);
    }

    public static List<RubricMetric> read(String json) {
        try {
            return json == null ? null : MAPPER.readValue(json, TYPE);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored rubric is unreadable", e);
        }
    }
}
