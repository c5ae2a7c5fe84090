package io.ecompipeline.contract;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The business-rule tunables of {@code rules.yaml}, as values: kept apart from the code that
 * applies them ({@link BusinessRules}) so they can be edited and reloaded without recompiling.
 * Build it with {@link RuleSetParser}; {@link #defaults()} mirrors the shipped file.
 *
 * @param eventTypes      allowed event_type values
 * @param paymentStatuses allowed transaction.payment_status values
 * @param paymentMethods  allowed transaction.payment_method values
 * @param priceCeiling    highest accepted product.price (inclusive)
 * @param amountTolerance accepted |amount - price × quantity|
 * @param maxFutureSkew   how far event_time may be ahead of processing time
 * @param lateThreshold   processing time - event time above which an accepted event is late
 *                        (used by transformations, not by validation)
 * @param disabledRules   business rule ids switched off under {@code enabled}
 */
public record RuleSet(Set<String> eventTypes,
                      Set<String> paymentStatuses,
                      Set<String> paymentMethods,
                      BigDecimal priceCeiling,
                      BigDecimal amountTolerance,
                      Duration maxFutureSkew,
                      Duration lateThreshold,
                      Set<String> disabledRules) {

    public RuleSet {
        eventTypes = ordered(eventTypes, "eventTypes");
        paymentStatuses = ordered(paymentStatuses, "paymentStatuses");
        paymentMethods = ordered(paymentMethods, "paymentMethods");
        Objects.requireNonNull(priceCeiling, "priceCeiling");
        Objects.requireNonNull(amountTolerance, "amountTolerance");
        Objects.requireNonNull(maxFutureSkew, "maxFutureSkew");
        Objects.requireNonNull(lateThreshold, "lateThreshold");
        disabledRules = ordered(disabledRules, "disabledRules");
    }

    /** The shipped defaults, identical to {@code contract/rules.yaml}. */
    public static RuleSet defaults() {
        return new RuleSet(
                orderedOf("PAGE_VIEW", "ADD_TO_CART", "PURCHASE", "REFUND"),
                orderedOf("PAID", "PENDING", "FAILED", "REFUNDED"),
                orderedOf("CARD", "PAYPAL", "BANK_TRANSFER", "WALLET", "COD"),
                new BigDecimal("100000"),
                new BigDecimal("0.01"),
                Duration.ofMinutes(5),
                Duration.ofMinutes(2),
                Set.of());
    }

    public boolean isEnabled(String ruleId) {
        return !disabledRules.contains(ruleId);
    }

    private static Set<String> orderedOf(String... values) {
        return new LinkedHashSet<>(List.of(values));
    }

    private static Set<String> ordered(Set<String> values, String name) {
        Objects.requireNonNull(values, name);
        return Collections.unmodifiableSet(new LinkedHashSet<>(values));
    }
}
