package org.esrp.generation.domain;

public enum ResponderKind {
    LLM, HUMAN
}
