package io.ecompipeline.generate;

/** Where a publisher takes its next event from: generated one by one, or replayed from pre-serialised ones. */
@FunctionalInterface
public interface EventSource {

    GeneratedEvent next();
}
