package org.esrp.metrics.domain;

import org.esrp.events.DesignEvent;

import java.util.List;
import java.util.UUID;

/**
 * What a study's statistics are computed against: its design (null until one arrives: then the default rubric), the
 * responders seen, the dictionary of metric keys that stored ratings index into (append-only, so stored indices
 * keep their meaning), and the models of the LLM judges seen (stored ratings keep no text; null in metas stored before
 * judges were named).
 */
public record StudyMeta(UUID studyId, DesignEvent design, List<Responder> responders, List<String> metrics, List<Judge> judges) {
}
