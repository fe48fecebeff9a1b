package org.esrp.annotation.service;

import org.esrp.annotation.domain.Annotator;

/** Who sent a request: the admin, or an annotator (then {@code annotator} is set). */
public record Caller(boolean admin, Annotator annotator) {
}
