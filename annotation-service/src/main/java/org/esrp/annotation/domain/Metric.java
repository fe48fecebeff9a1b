package org.esrp.annotation.domain;

import java.util.Map;

/** One rubric metric as shown to the rater: what it means and what the ends and middle of its scale mean. */
public record Metric(String key, String name, String dimension, String definition, int min, int max,
                     Map<String, String> anchors) {
}
