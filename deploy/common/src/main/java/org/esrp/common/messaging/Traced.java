package org.esrp.common.messaging;

/** A record to publish and the traceparent of the request that made it (null when none was traced). */
public record Traced<T>(T record, String traceParent) {
}
