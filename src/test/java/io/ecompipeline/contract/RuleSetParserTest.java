package io.ecompipeline.contract;

import static io.ecompipeline.contract.TestEvents.purchase;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RuleSetParserTest {

    @Test
    void shippedFileEqualsTheDefaults() {
        RuleSet shipped = EventContract.loadRules(TestContracts.CAMEL, EventContract.DEFAULT_RULES_URI);
        assertEquals(RuleSet.defaults(), shipped);
        assertEquals(List.of("PAID", "PENDING", "FAILED", "REFUNDED"), List.copyOf(shipped.paymentStatuses()));
        assertEquals(Duration.ofMinutes(2), shipped.lateThreshold());
        assertEquals(Duration.ofMinutes(5), shipped.maxFutureSkew());
        assertEquals(new BigDecimal("100000"), shipped.priceCeiling());
        assertEquals(new BigDecimal("0.01"), shipped.amountTolerance());
        assertTrue(RuleIds.BUSINESS_RULES.stream().allMatch(shipped::isEnabled));
    }

    @Test
    void missingKeysKeepTheirDefaults() {
        RuleSet rules = RuleSetParser.parse("late_threshold: PT10M\n", "inline.yaml");
        assertEquals(Duration.ofMinutes(10), rules.lateThreshold());
        assertEquals(RuleSet.defaults().paymentMethods(), rules.paymentMethods());
    }

    @Test
    void relaxedRulesChangeTheVerdict() {
        TestEvents.Event authorized = purchase().set("transaction.payment_status", "AUTHORIZED");
        TestEvents.Event expensive = purchase().set("product.price", 150000).set("transaction.amount", 300000);
        EventContract strict = TestContracts.DEFAULT;
        EventContract relaxed = TestContracts.withRules("classpath:rules/relaxed.yaml");

        assertEquals(RuleIds.PAYMENT_STATUS_ALLOWED, strict.validate(authorized.bytes()).violations().get(0).rule());
        assertEquals(RuleIds.PRICE_CEILING, strict.validate(expensive.bytes()).violations().get(0).rule());
        assertTrue(relaxed.validate(authorized.bytes()).valid());
        assertTrue(relaxed.validate(expensive.bytes()).valid());
        // what the relaxed file does not mention is unchanged
        assertFalse(relaxed.validate(purchase().set("transaction.payment_method", "CRYPTO").bytes()).valid());
    }

    @Test
    void tighterTunablesChangeTheVerdict() {
        RuleSet rules = RuleSetParser.parse("max_future_skew: PT0S\namount_tolerance: 0\nprice_ceiling: 100\n", "inline.yaml");
        EventContract contract = new EventContract(TestContracts.DEFAULT.schema(), rules, 1 << 20, TestEvents.CLOCK);
        ValidationResult result = contract.validate(purchase()
                .set("event_time", "2026-11-21T10:20:00.001Z").set("transaction.amount", 399.99).bytes());
        assertEquals(Set.of(RuleIds.EVENT_TIME_NOT_FUTURE, RuleIds.AMOUNT_CONSISTENCY, RuleIds.PRICE_CEILING),
                Set.copyOf(result.violations().stream().map(Violation::rule).toList()));
    }

    @Test
    void unknownKeyFailsNamingTheKeyAndTheFile() {
        ContractException e = assertThrows(ContractException.class,
                () -> TestContracts.withRules("classpath:rules/unknown-key.yaml"));
        assertTrue(e.getMessage().contains("'price_cieling'"), e.getMessage());
        assertTrue(e.getMessage().contains("unknown-key.yaml"), e.getMessage());
        assertTrue(e.getMessage().contains("unknown key"), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "price_ceiling: '100000'                  | price_ceiling",
            "price_ceiling: 0                         | price_ceiling",
            "price_ceiling: [1]                       | price_ceiling",
            "amount_tolerance: -0.01                  | amount_tolerance",
            "amount_tolerance: a cent                 | amount_tolerance",
            "max_future_skew: 5m                      | max_future_skew",
            "max_future_skew: 300                     | max_future_skew",
            "late_threshold: -PT2M                    | late_threshold",
            "event_types: PURCHASE                    | event_types",
            "event_types: []                          | event_types",
            "payment_methods: [CARD, 7]               | payment_methods",
            "payment_statuses: [PAID, '']             | payment_statuses",
            "enabled: true                            | enabled",
            "'enabled: {rule.price_ceilng: false}'    | enabled.rule.price_ceilng",
            "'enabled: {schema.type: false}'          | enabled.schema.type",
            "'enabled: {rule.price_ceiling: maybe}'   | enabled.rule.price_ceiling",
            "'enabled: {rule.price_ceiling: 0}'       | enabled.rule.price_ceiling",
    })
    void wrongTypesAndValuesFailNamingTheKey(String yaml, String key) {
        ContractException e = assertThrows(ContractException.class, () -> RuleSetParser.parse(yaml, "test-rules.yaml"));
        assertTrue(e.getMessage().contains("key '" + key + "'"), e.getMessage());
        assertTrue(e.getMessage().contains("test-rules.yaml"), e.getMessage());
    }

    @Test
    void structuralProblemsFailNamingTheFile() {
        for (String yaml : List.of("", "# only a comment\n", "- a\n- b\n", "price_ceiling: 1\nprice_ceiling: 2\n",
                "event_types: [PURCHASE\n")) {
            ContractException e = assertThrows(ContractException.class, () -> RuleSetParser.parse(yaml, "broken.yaml"),
                    () -> "should fail: " + yaml);
            assertTrue(e.getMessage().contains("broken.yaml"), e.getMessage());
        }
    }

    @Test
    void rulesLoadFromFileUris(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("rules.yaml");
        Files.writeString(file, "payment_methods: [CARD]\n");
        RuleSet rules = EventContract.loadRules(TestContracts.CAMEL, "file:" + file);
        assertEquals(Set.of("CARD"), rules.paymentMethods());

        ContractException missing = assertThrows(ContractException.class,
                () -> EventContract.loadRules(TestContracts.CAMEL, "file:" + dir.resolve("nope.yaml")));
        assertTrue(missing.getMessage().contains("nope.yaml"), missing.getMessage());
    }
}
