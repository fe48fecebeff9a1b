package org.esrp.annotation.domain;

public enum ItemKind {
    /** Both rounds of one responder's dialogue for one character and scenario. */
    DIALOGUE,
    /** A set of answers of one responder for one character, across scenarios. */
    DIVERSITY
}
