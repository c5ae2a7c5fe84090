package io.ecompipeline.contract;

import com.networknt.schema.JsonSchema;

/**
 * What every contract of the pipeline does, whatever the source: raw record bytes in, a {@link ValidationResult} with
 * <em>all</em> violations out ({@code malformed.*}, then {@code schema.*}, then {@code rule.*}), never an exception.
 * The event contract ({@link EventContract}) and the contracts of the other sources ({@link SourceContract}) share the
 * parser, the schema loader and the violation model, so a dead letter reads the same whichever topic it came from.
 */
public interface Contract {

    /** Validates one payload; never throws. */
    ValidationResult validate(byte[] payload);

    /** The compiled JSON Schema (its declared top-level properties tell known fields from drift). */
    JsonSchema schema();
}
