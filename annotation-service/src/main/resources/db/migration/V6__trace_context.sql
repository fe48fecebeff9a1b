-- Traces (issue 12): the W3C traceparent of the request that stored a rating, so that the record the outbox publishes
-- later continues that request's trace; null when nothing was traced.
ALTER TABLE rating ADD COLUMN trace_parent varchar(55);
