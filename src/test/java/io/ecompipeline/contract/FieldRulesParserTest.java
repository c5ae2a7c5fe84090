package io.ecompipeline.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The declarative rules files of the sources: strict reading (errors name the key and the file) and switching off. */
class FieldRulesParserTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void shippedFilesLoadWithEveryRuleInFileOrder() {
        FieldRules products = SourceContract.loadRules(TestContracts.CAMEL, "classpath:contract/products-rules.yaml");
        assertEquals(List.of("rule.price_positive", "rule.price_ceiling", "rule.cost_positive", "rule.cost_not_above_price",
                "rule.currency_iso4217", "rule.updated_at_not_future"), products.ids());
        assertEquals(7, SourceContract.loadRules(TestContracts.CAMEL, "classpath:contract/inventory-rules.yaml").ids().size());
        assertEquals(8, SourceContract.loadRules(TestContracts.CAMEL, "classpath:contract/campaigns-rules.yaml").ids().size());
    }

    @Test
    void aSwitchedOffRuleNoLongerJudges() throws Exception {
        FieldRules on = FieldRulesParser.parse("rules:\n  rule.cost_not_above_price: {check: not_above_field, field: cost, "
                + "other: price}\n", "inline.yaml");
        FieldRules off = FieldRulesParser.parse("rules:\n  rule.cost_not_above_price: {check: not_above_field, field: cost, "
                + "other: price, enabled: false}\n", "inline.yaml");
        var lossLeader = JSON.readTree("{\"price\": 5, \"cost\": 7}");
        assertEquals("rule.cost_not_above_price", on.check(lossLeader, TestEvents.CLOCK).get(0).rule());
        assertTrue(off.check(lossLeader, TestEvents.CLOCK).isEmpty());
    }

    @Test
    void checksJudgeOnlyValuesOfTheRightShape() throws Exception {
        FieldRules rules = FieldRulesParser.parse("""
                rules:
                  rule.a: {check: positive, field: n}
                  rule.b: {check: one_of, field: c, values: [x, y]}
                  rule.c: {check: not_future, field: t, max_skew: PT1M}
                  rule.d: {check: at_most, field: nested.n, limit: 10}
                """, "inline.yaml");
        // wrong types and missing values are the schema's to report
        assertTrue(rules.check(JSON.readTree("{\"n\": \"-1\", \"c\": 3, \"t\": \"soon\", \"nested\": 4}"), TestEvents.CLOCK).isEmpty());
        List<Violation> found = rules.check(JSON.readTree("{\"n\": 0, \"c\": \"z\", \"t\": \"2030-01-01\", \"nested\": {\"n\": 11}}"),
                TestEvents.CLOCK);
        assertEquals(List.of("rule.a", "rule.b", "rule.c", "rule.d"), found.stream().map(Violation::rule).toList());
        assertEquals("nested.n", found.get(3).field());
        assertEquals("c 'z' is not one of [x, y]", found.get(1).message());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "rules: {}\\nextra: 1|key 'extra' unknown key",
        "rules:\\n  price_positive: {check: positive, field: price}|key 'rules.price_positive' rule ids start with 'rule.'",
        "rules:\\n  rule.x: {check: biggest, field: price}|key 'rules.rule.x.check' unknown check 'biggest'",
        "rules:\\n  rule.x: {check: positive}|key 'rules.rule.x.field' must be a non-blank string",
        "rules:\\n  rule.x: {check: positive, field: p, limit: 3}|key 'rules.rule.x.limit' is not used by check positive",
        "rules:\\n  rule.x: {check: at_most, field: p}|key 'rules.rule.x.limit' must be a number",
        "rules:\\n  rule.x: {check: not_future, field: t, max_skew: 5}|key 'rules.rule.x.max_skew' must be an ISO-8601",
        "rules:\\n  rule.x: {check: one_of, field: t, values: []}|key 'rules.rule.x.values' must be a non-empty list",
        "rules:\\n  rule.x: {check: positive, field: p, colour: red}|key 'rules.rule.x.colour' unknown key",
        "rules:\\n  rule.x: {check: positive, field: p, enabled: maybe}|key 'rules.rule.x.enabled' must be true or false",
        "rules:\\n  rule.x: {check: positive, field: p}\\n  rule.x: {check: positive, field: q}|Duplicate field 'rule.x'",
    })
    void mistakesFailTheLoadNamingTheKeyAndTheFile(String yaml, String expected) {
        ContractException e = assertThrows(ContractException.class, () -> FieldRulesParser.parse(yaml.replace("\\n", "\n"),
                "edited.yaml"));
        assertTrue(e.getMessage().contains("edited.yaml"), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
