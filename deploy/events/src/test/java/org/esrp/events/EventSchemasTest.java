package org.esrp.events;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.github.victools.jsonschema.generator.Option;
import com.github.victools.jsonschema.generator.OptionPreset;
import com.github.victools.jsonschema.generator.SchemaGenerator;
import com.github.victools.jsonschema.generator.SchemaGeneratorConfigBuilder;
import com.github.victools.jsonschema.generator.SchemaVersion;
import com.github.victools.jsonschema.module.jackson.JacksonModule;
import com.github.victools.jsonschema.module.jackson.JacksonOption;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The JSON Schema of each topic is generated from its record type and published in {@code deploy/events/schemas}; this
 * test fails when the published file is not what the record type generates (run with {@code -Desrp.schemas.update=true}
 * to write it), and checks records as the services write them against it.
 */
class EventSchemasTest {

    static final ObjectMapper MAPPER = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    static final Map<String, List<String>> ENUMS = Map.of(
            "responderKind", List.of("LLM", "HUMAN"),
            "raterKind", List.of("HUMAN", "LLM_JUDGE"),
            "itemKind", List.of(RatingEvent.DIALOGUE, RatingEvent.DIVERSITY));

    static final UUID ID = UUID.fromString("00000000-0000-0000-0000-000000000001");
    static final OffsetDateTime AT = OffsetDateTime.parse("2026-11-27T10:00:00Z");

    @Test
    void publishedSchemasAreTheOnesTheRecordTypesGenerate() throws Exception {
        for (Map.Entry<String, Class<?>> topic : topics().entrySet()) {
            String generated = MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(schema(topic.getKey(), topic.getValue())) + "\n";
            Path file = schemasDir().resolve(topic.getKey() + ".schema.json");
            if (Boolean.getBoolean("esrp.schemas.update")) {
                Files.writeString(file, generated, StandardCharsets.UTF_8);
            }
            assertTrue(Files.exists(file), file + " is missing: run this test with -Desrp.schemas.update=true");
            assertEquals(generated, Files.readString(file, StandardCharsets.UTF_8),
                    file + " is out of date with " + topic.getValue().getSimpleName() + ": run this test with -Desrp.schemas.update=true");
        }
    }

    @Test
    void recordsAsTheServicesWriteThemMatchTheirSchemas() throws Exception {
        ResponseEvent response = new ResponseEvent(ResponseEvent.SCHEMA_VERSION, ID, ID, ID, ID, "《银魂》的坂田银时", ID, "1", "学生", "焦虑",
                ID, "deepseek-v3", "LLM", "deepseek-v3", 2, "问题", "回答", 1200L, 300, 120, 0.7, "simulator", AT);
        RatingEvent rating = new RatingEvent(RatingEvent.SCHEMA_VERSION, ID, ID, RatingEvent.DIALOGUE, ID, ID, List.of(), ID, "HUMAN", null, ID,
                "《银魂》的坂田银时", ID, ID, "HUMAN", null, Map.of("fluency", 4), null, 40_000L, List.of(RatingEvent.TOO_FAST), false, null, AT);
        DesignEvent design = new DesignEvent(DesignEvent.SCHEMA_VERSION, ID, 3, true, 0.1, 10, 900, 5, Rubric.DIALOGUE, Rubric.DIVERSITY, AT,
                new QualityPolicy(true, 0.5, null, null, null, 0.3, null));
        assertEquals(Set.of(), validate(ResponseEvent.TOPIC, MAPPER.valueToTree(response)));
        assertEquals(Set.of(), validate(RatingEvent.TOPIC, MAPPER.valueToTree(rating)));
        assertEquals(Set.of(), validate(DesignEvent.TOPIC, MAPPER.valueToTree(design)));

        ObjectNode broken = MAPPER.valueToTree(response);
        broken.remove("responseId");
        broken.put("round", 3);
        broken.put("responderKind", "ROBOT");
        Set<String> problems = validate(ResponseEvent.TOPIC, broken);
        assertTrue(problems.stream().anyMatch(p -> p.contains("responseId")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.contains("round")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.contains("responderKind")), problems.toString());
        ObjectNode badScore = MAPPER.valueToTree(rating);
        badScore.putObject("scores").put("fluency", 3.5);
        assertTrue(validate(RatingEvent.TOPIC, badScore).stream().anyMatch(p -> p.contains("fluency")));
    }

    @Test
    void recordsWrittenBeforeTheSchemaVersionExistedReadAsVersionOne() throws Exception {
        ObjectNode old = MAPPER.valueToTree(new RatingEvent(RatingEvent.SCHEMA_VERSION, ID, ID, RatingEvent.DIALOGUE, ID, ID, List.of(), ID,
                "HUMAN", null, ID, null, ID, ID, "HUMAN", null, Map.of("fluency", 4), null, null, List.of(), false, null, AT));
        old.remove("schemaVersion");
        old.put("aFieldOfALaterVersion", true);
        assertEquals(1, MAPPER.treeToValue(old, RatingEvent.class).schemaVersion());
    }

    @Test
    void dimensionsAreKeyedInLowerCamelCaseInRubricOrder() {
        assertEquals(Map.of("basicDialogue", List.of("fluency", "coherency", "consistency"),
                "rolePlaying", List.of("characterKnowledge", "speechStyle", "behavioralHabit"),
                "emotionalSupport", List.of("demandMatching", "experienceSharing", "emotionalValue")), Rubric.dimensions(Rubric.DIALOGUE));
        assertEquals(List.of("basicDialogue", "rolePlaying", "emotionalSupport"), List.copyOf(Rubric.dimensions(Rubric.DIALOGUE).keySet()));
        assertEquals("情感支持", Rubric.dimensionKey("情感支持"));
        assertEquals("inCharacter2", Rubric.dimensionKey("  In character (2) "));
    }

    static Map<String, Class<?>> topics() {
        return Map.of(ResponseEvent.TOPIC, ResponseEvent.class, RatingEvent.TOPIC, RatingEvent.class, DesignEvent.TOPIC, DesignEvent.class);
    }

    static JsonNode schema(String topic, Class<?> type) {
        SchemaGeneratorConfigBuilder config = new SchemaGeneratorConfigBuilder(SchemaVersion.DRAFT_2020_12, OptionPreset.PLAIN_JSON)
                .with(new JacksonModule(JacksonOption.RESPECT_JSONPROPERTY_REQUIRED))
                .with(Option.ADDITIONAL_FIXED_TYPES, Option.EXTRA_OPEN_API_FORMAT_VALUES, Option.MAP_VALUES_AS_ADDITIONAL_PROPERTIES);
        // A field may be null unless it is required or a primitive.
        config.forFields().withNullableCheck(field -> !field.getType().isPrimitive()
                && (field.getAnnotationConsideringFieldAndGetter(JsonProperty.class) == null
                || !field.getAnnotationConsideringFieldAndGetter(JsonProperty.class).required()));
        config.forFields().withEnumResolver(field -> ENUMS.get(field.getName()));
        config.forFields().withNumberInclusiveMinimumResolver(field -> field.getName().equals("round") ? java.math.BigDecimal.ONE : null);
        config.forFields().withNumberInclusiveMaximumResolver(field -> field.getName().equals("round") ? java.math.BigDecimal.valueOf(2) : null);
        ObjectNode schema = new SchemaGenerator(config.build()).generateSchema(type);
        schema.put("title", topic);
        return schema;
    }

    static Set<String> validate(String topic, JsonNode record) {
        JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(schema(topic, topics().get(topic)));
        return schema.validate(record).stream().map(ValidationMessage::getMessage).collect(java.util.stream.Collectors.toSet());
    }

    static Path schemasDir() {
        return Path.of(System.getProperty("esrp.schemas.dir", "schemas"));
    }
}
