package io.ecompipeline.contract;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

import com.ethlo.time.ITU;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * Applies a {@link RuleSet} to a parsed event: the checks JSON Schema cannot express or that
 * must stay tunable. Runs on every parsed object, including ones that failed the schema, and
 * checks only what is checkable: a value that is missing or of the wrong type is left to the
 * schema violation already reported for it, never a crash and never a second report.
 * Likewise the ISO-code rules only judge values that have the code shape (the schema pattern
 * reports the others), and amount consistency is only judged on positive inputs (otherwise
 * the positivity rule is the real reason).
 *
 * <p>Thread-safe and allocation-light: code sets are precomputed, no regex, no exceptions on
 * valid input.
 */
public final class BusinessRules {

    private static final Set<String> ISO_4217 = Currency.getAvailableCurrencies().stream()
            .map(Currency::getCurrencyCode).collect(Collectors.toUnmodifiableSet());
    private static final Set<String> ISO_3166_ALPHA2 = Set.of(Locale.getISOCountries());
    private static final int MAX_ECHO = 64;

    private final RuleSet rules;
    private final Clock clock;
    private final double priceCeiling;
    private final String eventTypesText;
    private final String statusesText;
    private final String methodsText;
    private final boolean eventTypeOn;
    private final boolean futureOn;
    private final boolean countryOn;
    private final boolean pricePositiveOn;
    private final boolean priceCeilingOn;
    private final boolean currencyIsoOn;
    private final boolean amountPositiveOn;
    private final boolean quantityPositiveOn;
    private final boolean statusOn;
    private final boolean methodOn;
    private final boolean currencyMatchOn;
    private final boolean consistencyOn;

    public BusinessRules(RuleSet rules, Clock clock) {
        this.rules = Objects.requireNonNull(rules, "rules");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.priceCeiling = rules.priceCeiling().doubleValue();
        this.eventTypesText = String.join(", ", rules.eventTypes());
        this.statusesText = String.join(", ", rules.paymentStatuses());
        this.methodsText = String.join(", ", rules.paymentMethods());
        this.eventTypeOn = rules.isEnabled(RuleIds.EVENT_TYPE_ALLOWED);
        this.futureOn = rules.isEnabled(RuleIds.EVENT_TIME_NOT_FUTURE);
        this.countryOn = rules.isEnabled(RuleIds.COUNTRY_ISO3166);
        this.pricePositiveOn = rules.isEnabled(RuleIds.PRICE_POSITIVE);
        this.priceCeilingOn = rules.isEnabled(RuleIds.PRICE_CEILING);
        this.currencyIsoOn = rules.isEnabled(RuleIds.CURRENCY_ISO4217);
        this.amountPositiveOn = rules.isEnabled(RuleIds.AMOUNT_POSITIVE);
        this.quantityPositiveOn = rules.isEnabled(RuleIds.QUANTITY_POSITIVE);
        this.statusOn = rules.isEnabled(RuleIds.PAYMENT_STATUS_ALLOWED);
        this.methodOn = rules.isEnabled(RuleIds.PAYMENT_METHOD_ALLOWED);
        this.currencyMatchOn = rules.isEnabled(RuleIds.CURRENCY_MATCH);
        this.consistencyOn = rules.isEnabled(RuleIds.AMOUNT_CONSISTENCY);
    }

    public RuleSet rules() {
        return rules;
    }

    /** Returns the business-rule violations of {@code event} (a JSON object); empty if none. */
    public List<Violation> check(JsonNode event) {
        List<Violation> out = new ArrayList<>();
        check(event, out);
        return out;
    }

    /** Appends the business-rule violations of {@code event} (a JSON object) to {@code out}. */
    public void check(JsonNode event, List<Violation> out) {
        JsonNode eventType = event.get("event_type");
        if (eventTypeOn && isText(eventType) && !rules.eventTypes().contains(eventType.textValue())) {
            out.add(new Violation(RuleIds.EVENT_TYPE_ALLOWED, "event_type",
                    "event_type " + echo(eventType) + " is not one of [" + eventTypesText + "]"));
        }
        if (futureOn) {
            checkNotFuture(event.get("event_time"), out);
        }
        JsonNode customer = event.get("customer");
        if (countryOn && customer != null && customer.isObject()) {
            JsonNode country = customer.get("country");
            if (isCode(country, 2) && !ISO_3166_ALPHA2.contains(country.textValue())) {
                out.add(new Violation(RuleIds.COUNTRY_ISO3166, "customer.country",
                        "country " + echo(country) + " is not an ISO 3166-1 alpha-2 code"));
            }
        }

        JsonNode product = objectOrNull(event.get("product"));
        JsonNode price = null;
        if (product != null) {
            price = numberOrNull(product.get("price"));
            if (price != null) {
                double p = price.doubleValue();
                if (pricePositiveOn && !(p > 0)) {
                    out.add(new Violation(RuleIds.PRICE_POSITIVE, "product.price",
                            "price must be > 0, got " + plain(price)));
                }
                if (priceCeilingOn && p > priceCeiling) {
                    out.add(new Violation(RuleIds.PRICE_CEILING, "product.price",
                            "price " + plain(price) + " exceeds the ceiling " + rules.priceCeiling().toPlainString()));
                }
            }
            checkCurrency(product.get("currency"), "product.currency", out);
        }

        JsonNode tx = objectOrNull(event.get("transaction"));
        if (tx == null) {
            return;
        }
        JsonNode amount = numberOrNull(tx.get("amount"));
        if (amountPositiveOn && amount != null && !(amount.doubleValue() > 0)) {
            out.add(new Violation(RuleIds.AMOUNT_POSITIVE, "transaction.amount",
                    "amount must be > 0, got " + plain(amount)));
        }
        JsonNode quantity = numberOrNull(tx.get("quantity"));
        if (quantityPositiveOn && quantity != null && !(quantity.doubleValue() > 0)) {
            out.add(new Violation(RuleIds.QUANTITY_POSITIVE, "transaction.quantity",
                    "quantity must be > 0, got " + plain(quantity)));
        }
        JsonNode status = tx.get("payment_status");
        if (statusOn && isText(status) && !rules.paymentStatuses().contains(status.textValue())) {
            out.add(new Violation(RuleIds.PAYMENT_STATUS_ALLOWED, "transaction.payment_status",
                    "payment_status " + echo(status) + " is not one of [" + statusesText + "]"));
        }
        JsonNode method = tx.get("payment_method");
        if (methodOn && isText(method) && !rules.paymentMethods().contains(method.textValue())) {
            out.add(new Violation(RuleIds.PAYMENT_METHOD_ALLOWED, "transaction.payment_method",
                    "payment_method " + echo(method) + " is not one of [" + methodsText + "]"));
        }
        JsonNode txCurrency = tx.get("currency");
        checkCurrency(txCurrency, "transaction.currency", out);

        if (product == null) {
            return;
        }
        JsonNode productCurrency = product.get("currency");
        if (currencyMatchOn && isCode(txCurrency, 3) && isCode(productCurrency, 3)
                && !txCurrency.textValue().equals(productCurrency.textValue())) {
            out.add(new Violation(RuleIds.CURRENCY_MATCH, "transaction.currency",
                    "transaction currency " + echo(txCurrency) + " differs from product currency " + echo(productCurrency)));
        }
        if (consistencyOn && amount != null && price != null && quantity != null) {
            checkConsistency(amount, price, quantity, out);
        }
    }

    private void checkNotFuture(JsonNode eventTime, List<Violation> out) {
        if (!isText(eventTime)) {
            return;
        }
        Instant time;
        try {
            // the same RFC 3339 parser networknt uses for format date-time, so both agree on the syntax
            time = ITU.parseDateTime(eventTime.textValue()).toInstant();
        } catch (DateTimeException notRfc3339) {
            return; // not RFC 3339: schema.format reports it (a leap second ":60" is simply not judged)
        }
        Instant now = clock.instant();
        if (time.isAfter(now.plus(rules.maxFutureSkew()))) {
            out.add(new Violation(RuleIds.EVENT_TIME_NOT_FUTURE, "event_time",
                    "event_time " + eventTime.textValue() + " is more than " + rules.maxFutureSkew()
                            + " ahead of processing time " + now));
        }
    }

    private void checkCurrency(JsonNode currency, String field, List<Violation> out) {
        if (currencyIsoOn && isCode(currency, 3) && !ISO_4217.contains(currency.textValue())) {
            out.add(new Violation(RuleIds.CURRENCY_ISO4217, field,
                    "currency " + echo(currency) + " is not an ISO 4217 code"));
        }
    }

    private void checkConsistency(JsonNode amount, JsonNode price, JsonNode quantity, List<Violation> out) {
        double a = amount.doubleValue();
        double p = price.doubleValue();
        double q = quantity.doubleValue();
        if (!(a > 0 && p > 0 && q > 0) || q != Math.rint(q)) {
            return; // the positivity rules or schema.type are the reason
        }
        if (Double.isFinite(a) && Double.isFinite(p) && Double.isFinite(q)) {
            // exact decimal arithmetic on the shortest decimal form of each double: 199.99 x 2 is 399.98, not 399.97999...
            BigDecimal expected = BigDecimal.valueOf(p).multiply(BigDecimal.valueOf(q));
            BigDecimal diff = BigDecimal.valueOf(a).subtract(expected).abs();
            if (diff.compareTo(rules.amountTolerance()) > 0) {
                out.add(new Violation(RuleIds.AMOUNT_CONSISTENCY, "transaction.amount",
                        "amount " + plain(amount) + " differs from price x quantity = " + expected.stripTrailingZeros().toPlainString()
                                + " by " + diff.stripTrailingZeros().toPlainString()
                                + " (tolerance " + rules.amountTolerance().toPlainString() + ")"));
            }
        } else {
            out.add(new Violation(RuleIds.AMOUNT_CONSISTENCY, "transaction.amount",
                    "amount, price or quantity is too large to be represented (amount " + plain(amount) + ")"));
        }
    }

    private static boolean isText(JsonNode n) {
        return n != null && n.isTextual();
    }

    /** A string of exactly {@code length} ASCII upper-case letters: the shape the schema pattern enforces. */
    private static boolean isCode(JsonNode n, int length) {
        if (n == null || !n.isTextual()) {
            return false;
        }
        String s = n.textValue();
        if (s.length() != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = s.charAt(i);
            if (c < 'A' || c > 'Z') {
                return false;
            }
        }
        return true;
    }

    private static JsonNode objectOrNull(JsonNode n) {
        return n != null && n.isObject() ? n : null;
    }

    private static JsonNode numberOrNull(JsonNode n) {
        return n != null && n.isNumber() ? n : null;
    }

    private static String plain(JsonNode number) {
        if (number.isFloatingPointNumber() && !Double.isFinite(number.doubleValue())) {
            return String.valueOf(number.doubleValue());
        }
        return number.isIntegralNumber() ? number.bigIntegerValue().toString()
                : BigDecimal.valueOf(number.doubleValue()).stripTrailingZeros().toPlainString();
    }

    /** Quotes a producer-supplied string for a message, bounded so a huge value cannot bloat the dead-letter record. */
    private static String echo(JsonNode text) {
        String s = text.textValue();
        return "'" + (s.length() > MAX_ECHO ? s.substring(0, MAX_ECHO) + "..." : s) + "'";
    }
}
