package io.ecompipeline.contract;

import static io.ecompipeline.contract.TestEvents.addToCart;
import static io.ecompipeline.contract.TestEvents.pageView;
import static io.ecompipeline.contract.TestEvents.purchase;
import static io.ecompipeline.contract.TestEvents.refund;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import io.ecompipeline.contract.TestEvents.Event;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EventContractTest {

    private static final EventContract CONTRACT = TestContracts.DEFAULT;

    static ValidationResult validate(Event event) {
        return CONTRACT.validate(event.bytes());
    }

    /** "rule field" pairs, the shape most assertions compare. */
    static Set<String> ruleFields(ValidationResult result) {
        return result.violations().stream().map(v -> v.rule() + " " + v.field()).collect(Collectors.toSet());
    }

    static void assertValid(ValidationResult result) {
        assertTrue(result.valid(), () -> "expected valid, got " + result.violations());
        assertTrue(result.violations().isEmpty());
        assertNotNull(result.event());
    }

    static void assertOnly(ValidationResult result, String rule, String field) {
        assertFalse(result.valid());
        assertEquals(List.of(rule + " " + field),
                result.violations().stream().map(v -> v.rule() + " " + v.field()).toList(),
                () -> "violations: " + result.violations());
        assertFalse(result.violations().get(0).message().isBlank());
    }

    static Stream<Arguments> validExamples() {
        return Stream.of(
                Arguments.of("PAGE_VIEW", pageView()),
                Arguments.of("ADD_TO_CART", addToCart()),
                Arguments.of("PURCHASE", purchase()),
                Arguments.of("REFUND", refund()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validExamples")
    void validExampleOfEachEventTypePasses(String type, Event event) {
        ValidationResult result = validate(event);
        assertValid(result);
        assertEquals(type, result.event().get("event_type").textValue());
        assertNotNull(result.eventId());
        assertEquals(result.event().get("event_id").textValue(), result.eventId());
    }

    static Stream<Arguments> oneViolationEach() {
        return Stream.of(
                // schema: structure, types, formats, shapes
                Arguments.of(purchase().remove("event_id"), RuleIds.SCHEMA_REQUIRED, "event_id"),
                Arguments.of(purchase().remove("customer.email"), RuleIds.SCHEMA_REQUIRED, "customer.email"),
                Arguments.of(purchase().remove("transaction.payment_method"), RuleIds.SCHEMA_REQUIRED, "transaction.payment_method"),
                Arguments.of(purchase().set("transaction.amount", "12.5"), RuleIds.SCHEMA_TYPE, "transaction.amount"),
                Arguments.of(purchase().set("transaction.quantity", 1.5), RuleIds.SCHEMA_TYPE, "transaction.quantity"),
                Arguments.of(purchase().set("customer.tier", null), RuleIds.SCHEMA_TYPE, "customer.tier"),
                Arguments.of(purchase().set("customer.email", "ana.example.com"), RuleIds.SCHEMA_FORMAT, "customer.email"),
                Arguments.of(purchase().set("event_id", "9b2f0c1e-nope"), RuleIds.SCHEMA_FORMAT, "event_id"),
                Arguments.of(purchase().set("event_time", "2026-11-21T25:15:30Z"), RuleIds.SCHEMA_FORMAT, "event_time"),
                Arguments.of(purchase().set("customer.country", "de"), RuleIds.SCHEMA_PATTERN, "customer.country"),
                Arguments.of(purchase().set("product.currency", "EURO"), RuleIds.SCHEMA_PATTERN, "product.currency"),
                // JDK "$" would accept a trailing newline; the contract uses ECMA-262 end anchors
                Arguments.of(purchase().set("transaction.currency", "EUR\n"), RuleIds.SCHEMA_PATTERN, "transaction.currency"),
                Arguments.of(purchase().set("customer.customer_id", ""), RuleIds.SCHEMA_MIN_LENGTH, "customer.customer_id"),
                Arguments.of(purchase().set("customer.segment", "vip"), RuleIds.SCHEMA_ADDITIONAL_PROPERTIES, "customer.segment"),
                // business rules
                Arguments.of(purchase().set("event_type", "CHECKOUT"), RuleIds.EVENT_TYPE_ALLOWED, "event_type"),
                Arguments.of(purchase().set("event_time", "2026-11-21T10:25:01Z"), RuleIds.EVENT_TIME_NOT_FUTURE, "event_time"),
                Arguments.of(purchase().set("event_time", "2026-11-21T12:25:01+02:00"), RuleIds.EVENT_TIME_NOT_FUTURE, "event_time"),
                Arguments.of(purchase().set("customer.country", "UK"), RuleIds.COUNTRY_ISO3166, "customer.country"),
                Arguments.of(purchase().set("product.price", 0), RuleIds.PRICE_POSITIVE, "product.price"),
                Arguments.of(addToCart().set("product.price", -5.5), RuleIds.PRICE_POSITIVE, "product.price"),
                Arguments.of(purchase().set("product.price", 150000).set("transaction.amount", 300000),
                        RuleIds.PRICE_CEILING, "product.price"),
                Arguments.of(addToCart().set("product.currency", "ABC"), RuleIds.CURRENCY_ISO4217, "product.currency"),
                Arguments.of(purchase().set("transaction.amount", -399.98), RuleIds.AMOUNT_POSITIVE, "transaction.amount"),
                Arguments.of(purchase().set("transaction.amount", 0), RuleIds.AMOUNT_POSITIVE, "transaction.amount"),
                Arguments.of(purchase().set("transaction.quantity", 0), RuleIds.QUANTITY_POSITIVE, "transaction.quantity"),
                Arguments.of(refund().set("transaction.quantity", -1), RuleIds.QUANTITY_POSITIVE, "transaction.quantity"),
                Arguments.of(purchase().set("transaction.payment_status", "DONE"), RuleIds.PAYMENT_STATUS_ALLOWED,
                        "transaction.payment_status"),
                Arguments.of(purchase().set("transaction.payment_method", "CRYPTO"), RuleIds.PAYMENT_METHOD_ALLOWED,
                        "transaction.payment_method"),
                Arguments.of(purchase().set("transaction.currency", "USD"), RuleIds.CURRENCY_MATCH, "transaction.currency"),
                Arguments.of(purchase().set("transaction.amount", 400.00), RuleIds.AMOUNT_CONSISTENCY, "transaction.amount"),
                Arguments.of(refund().set("transaction.quantity", 2), RuleIds.AMOUNT_CONSISTENCY, "transaction.amount"));
    }

    @ParameterizedTest(name = "{1} at {2}")
    @MethodSource("oneViolationEach")
    void eachRuleIsReportedAloneWithItsField(Event event, String rule, String field) {
        assertOnly(validate(event), rule, field);
    }

    @Test
    void everyBusinessRuleIdIsCoveredByAnExample() {
        Set<String> covered = oneViolationEach().map(a -> (String) a.get()[1]).collect(Collectors.toSet());
        assertTrue(covered.containsAll(RuleIds.BUSINESS_RULES), () -> "uncovered: "
                + RuleIds.BUSINESS_RULES.stream().filter(r -> !covered.contains(r)).toList());
    }

    @Test
    void currencyRuleReportsEachBadCurrencyField() {
        ValidationResult result = validate(purchase().set("product.currency", "ABC").set("transaction.currency", "ABC"));
        assertEquals(Set.of(RuleIds.CURRENCY_ISO4217 + " product.currency", RuleIds.CURRENCY_ISO4217 + " transaction.currency"),
                ruleFields(result));
    }

    @Test
    void severalProblemsAreAllReportedSchemaAndBusinessTogether() {
        ValidationResult result = validate(purchase()
                .set("event_id", "not-a-uuid")
                .remove("customer.email")
                .set("customer.country", "UK")
                .set("product.price", 150000)
                .set("transaction.amount", "12.5")
                .set("transaction.currency", "USD")
                .set("transaction.payment_status", "DONE"));
        assertEquals(Set.of(
                "schema.format event_id",
                "schema.required customer.email",
                "schema.type transaction.amount",
                "rule.country_iso3166 customer.country",
                "rule.price_ceiling product.price",
                "rule.payment_status_allowed transaction.payment_status",
                "rule.currency_match transaction.currency"), ruleFields(result));
        assertEquals(7, result.violations().size(), () -> "no duplicates: " + result.violations());
        assertEquals("not-a-uuid", result.eventId(), "event_id is reported even when invalid");
        assertNotNull(result.event());
        assertTrue(result.violations().get(0).rule().startsWith("schema."), "schema violations come first");
    }

    @Test
    void businessRulesCheckWhatIsCheckableOnADocumentThatFailsTheSchema() {
        ValidationResult result = CONTRACT.validate(("{\"event_id\":7,\"event_type\":\"PURCHASE\",\"event_time\":42,"
                + "\"source\":\"web\",\"customer\":\"C-1\",\"product\":[1,2],"
                + "\"transaction\":{\"amount\":\"-3\",\"quantity\":\"x\",\"currency\":5,\"payment_method\":null,"
                + "\"payment_status\":\"NOPE\",\"transaction_id\":\"T-1\"}}").getBytes());
        assertEquals(Set.of(
                "schema.type event_id",
                "schema.type event_time",
                "schema.type customer",
                "schema.type product",
                "schema.type transaction.amount",
                "schema.type transaction.quantity",
                "schema.type transaction.currency",
                "schema.type transaction.payment_method",
                "rule.payment_status_allowed transaction.payment_status"), ruleFields(result));
        assertNull(result.eventId(), "a non-string event_id is not an id");
    }

    @Test
    void emptyObjectReportsEachMissingTopLevelFieldOnce() {
        ValidationResult result = CONTRACT.validate("{}".getBytes());
        assertEquals(Set.of("schema.required event_id", "schema.required event_type", "schema.required event_time",
                "schema.required source", "schema.required customer"), ruleFields(result));
        assertNull(result.eventId());
    }

    @Test
    void wrongTypesAreSchemaTypeViolations() {
        assertOnly(validate(purchase().set("transaction.amount", "12.5")), "schema.type", "transaction.amount");
        assertOnly(validate(purchase().set("transaction.quantity", 1.5)), "schema.type", "transaction.quantity");
        assertOnly(validate(purchase().set("product.price", "199.99")), "schema.type", "product.price");
    }

    @Test
    void productIsRequiredExceptForPageView() {
        assertValid(validate(pageView()));
        assertValid(validate(pageView().set("product", addToCart().node("product"))));
        assertOnly(validate(addToCart().remove("product")), "schema.required", "product");
        assertOnly(validate(purchase().remove("product")), "schema.required", "product");
    }

    @Test
    void transactionIsRequiredForPurchaseAndRefundOnly() {
        assertOnly(validate(purchase().remove("transaction")), "schema.required", "transaction");
        assertOnly(validate(refund().remove("transaction")), "schema.required", "transaction");
        assertValid(validate(addToCart()));
    }

    @Test
    void optionalFieldsMayBeAbsentAndUnknownTopLevelFieldsAreAccepted() {
        assertValid(validate(purchase().remove("session_id").remove("customer.tier")));
        assertValid(validate(purchase().set("device", Map.of("os", "android", "app_version", "5.2.1"))));
    }

    @Test
    void validMultiByteUtf8PassesUnchanged() {
        String name = "Kopfhörer 東京 🎧";
        ValidationResult result = validate(purchase().set("product.name", name).set("customer.customer_id", "Ünal-東"));
        assertValid(result);
        assertEquals(name, result.event().get("product").get("name").textValue());
        assertEquals("Ünal-東", result.event().get("customer").get("customer_id").textValue());
    }

    @Test
    void boundariesAreInclusive() {
        // now + skew exactly, amount off by exactly the tolerance, price exactly at the ceiling
        assertValid(validate(purchase().set("event_time", "2026-11-21T10:25:00Z")));
        assertValid(validate(purchase().set("transaction.amount", 399.99)));
        assertValid(validate(purchase().set("transaction.amount", 399.97)));
        assertValid(validate(purchase().set("product.price", 100000).set("transaction.amount", 200000)));
        // late events are accepted (flagged later by the transformations)
        assertValid(validate(purchase().set("event_time", "2020-01-01T00:00:00Z")));
    }

    @Test
    void floatingPointNoiseDoesNotBreakAmountConsistency() {
        assertValid(validate(purchase().set("product.price", 0.1).set("transaction.quantity", 3).set("transaction.amount", 0.3)));
        assertValid(validate(purchase().set("product.price", 19.99).set("transaction.quantity", 7).set("transaction.amount", 139.93)));
    }

    @Test
    void numbersBeyondDoubleRangeAreRejectedNotCrashed() {
        String json = purchase().json().replace("\"amount\":399.98", "\"amount\":1e400");
        ValidationResult result = CONTRACT.validate(json.getBytes());
        assertOnly(result, RuleIds.AMOUNT_CONSISTENCY, "transaction.amount");
    }

    @Test
    void eventIdIsExtractedOrNull() {
        assertEquals("9b2f0c1e-3f7a-4c55-9a51-0c1d2e3f4a5b", validate(purchase()).eventId());
        assertNull(validate(purchase().remove("event_id")).eventId());
        assertEquals("x", validate(purchase().set("event_id", "x")).eventId());
    }

    @Test
    void oneInstanceIsSafeToShareAcrossThreads() {
        List<byte[]> payloads = List.of(purchase().bytes(), refund().bytes(), pageView().bytes(),
                purchase().set("transaction.amount", 1).set("customer.country", "UK").bytes(),
                addToCart().remove("product").bytes());
        List<List<Violation>> expected = payloads.stream().map(p -> CONTRACT.validate(p).violations()).toList();
        IntStream.range(0, 20_000).parallel().forEach(i -> {
            int k = i % payloads.size();
            assertEquals(expected.get(k), CONTRACT.validate(payloads.get(k)).violations());
        });
    }

    @Test
    void resultIsImmutable() {
        ValidationResult result = validate(purchase().set("transaction.payment_status", "DONE"));
        assertThrows(UnsupportedOperationException.class,
                () -> result.violations().add(new Violation("x", "$", "x")));
    }
}
