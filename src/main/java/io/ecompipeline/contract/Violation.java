package io.ecompipeline.contract;

import java.util.Objects;

/**
 * One reason an event is rejected, kept with the event in the dead-letter store and counted by
 * the data-quality report.
 *
 * @param rule    stable machine-readable id, see {@link RuleIds}
 * @param field   dot path of the offending value ({@code transaction.amount}), {@code $} for the
 *                whole document
 * @param message short human-readable explanation
 */
public record Violation(String rule, String field, String message) {

    public Violation {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(message, "message");
    }
}
