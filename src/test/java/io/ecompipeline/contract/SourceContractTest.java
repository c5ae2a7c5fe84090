package io.ecompipeline.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The shipped contracts of products, inventory and campaigns: a valid record of each passes, every kind of defect is
 * reported with its rule id and field, all of a record's violations together, and malformed payloads get the same
 * single {@code malformed.*} violation as events.
 */
class SourceContractTest {

    static final SourceContract PRODUCTS = load("products", "product_id");
    static final SourceContract INVENTORY = load("inventory", "product_id");
    static final SourceContract CAMPAIGNS = load("campaigns", "campaign_id");

    private static SourceContract load(String name, String idField) {
        return SourceContract.load(TestContracts.CAMEL, TestContracts.SCHEMA_LOADER, name,
                "classpath:contract/" + name + ".schema.json", "classpath:contract/" + name + "-rules.yaml", idField,
                EventContract.DEFAULT_MAX_PAYLOAD_BYTES, TestEvents.CLOCK);
    }

    private static final String PRODUCT = """
            {"product_id":"P-100","title":"Headphones","category":"electronics","price":199.99,"cost":120.5,
             "currency":"EUR","rating":4.5,"rating_count":12,"updated_at":"2026-11-21T10:00:00Z"}""";
    private static final String SNAPSHOT = """
            {"product_id":"P-100","warehouse_id":"WH-1","on_hand":40,"reserved":5,"reorder_point":10,"unit_cost":120.5,
             "currency":"EUR","snapshot_time":"2026-11-21T10:00:00Z"}""";
    private static final String CAMPAIGN = """
            {"record_type":"campaign","campaign_id":"CMP-1","name":"Black Friday","channel":"search","currency":"EUR",
             "budget":5000,"start_date":"2026-11-20","end_date":"2026-11-30","updated_at":"2026-11-20T08:00:00Z"}""";
    private static final String SPEND = """
            {"record_type":"spend","campaign_id":"CMP-1","spend_date":"2026-11-21","channel":"search","amount":123.45,
             "reported_at":"2026-11-21T09:00:00Z"}""";

    private static byte[] bytes(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    /** The record with {@code field} replaced by raw JSON {@code value} (or removed when value is null). */
    private static byte[] with(String record, String field, String value) {
        String json = record.replaceAll("\"" + field + "\":(\"[^\"]*\"|[^,}]*)[,]?",
                value == null ? "" : "\"" + field + "\":" + value + ",");
        return bytes(json.replace(",}", "}").replace(",\n}", "}"));
    }

    private static List<String> rules(ValidationResult r) {
        return r.violations().stream().map(Violation::rule).toList();
    }

    private static List<String> fields(ValidationResult r) {
        return r.violations().stream().map(Violation::field).toList();
    }

    @Test
    void aValidRecordOfEachSourcePasses() {
        for (var c : List.of(List.of(PRODUCTS, PRODUCT), List.of(INVENTORY, SNAPSHOT), List.of(CAMPAIGNS, CAMPAIGN),
                List.of(CAMPAIGNS, SPEND))) {
            ValidationResult r = ((SourceContract) c.get(0)).validate(bytes((String) c.get(1)));
            assertTrue(r.valid(), () -> c.get(1) + " -> " + r);
        }
        assertEquals("P-100", PRODUCTS.validate(bytes(PRODUCT)).eventId(), "the id field of the source identifies a record");
        assertEquals("CMP-1", CAMPAIGNS.validate(bytes(SPEND)).eventId());
    }

    @Test
    void productDefectsAreReportedByRuleAndField() {
        assertEquals(List.of("rule.price_positive", "rule.cost_not_above_price"), rules(PRODUCTS.validate(with(PRODUCT, "price", "-1"))));
        assertEquals(List.of("rule.price_ceiling"), rules(PRODUCTS.validate(with(PRODUCT, "price", "250000"))));
        assertEquals(List.of("rule.cost_not_above_price"), rules(PRODUCTS.validate(with(PRODUCT, "cost", "250"))));
        assertEquals(List.of("rule.cost_positive"), rules(PRODUCTS.validate(with(PRODUCT, "cost", "0"))));
        assertEquals(List.of("rule.currency_iso4217"), rules(PRODUCTS.validate(with(PRODUCT, "currency", "\"XQQ\""))));
        assertEquals(List.of("rule.updated_at_not_future"),
                rules(PRODUCTS.validate(with(PRODUCT, "updated_at", "\"2026-11-21T11:00:00Z\""))));
        ValidationResult missing = PRODUCTS.validate(with(PRODUCT, "price", null));
        assertEquals(List.of("schema.required"), rules(missing));
        assertEquals(List.of("price"), fields(missing));
        assertEquals(List.of("schema.type"), rules(PRODUCTS.validate(with(PRODUCT, "price", "\"12.50\""))));
        assertEquals(List.of("schema.maximum"), rules(PRODUCTS.validate(with(PRODUCT, "rating", "7"))));
        ValidationResult extra = PRODUCTS.validate(with(PRODUCT, "title", "\"x\",\"colour\":\"red\""));
        assertEquals(List.of("schema.additional_properties"), rules(extra));
        assertEquals(List.of("colour"), fields(extra));
    }

    @Test
    void everyViolationOfARecordIsReportedTogether() {
        byte[] bad = bytes("{\"product_id\":\"P-1\",\"title\":\"\",\"category\":\"toys\",\"price\":-3,\"currency\":\"QQQ\","
                + "\"updated_at\":\"yesterday\"}");
        ValidationResult r = PRODUCTS.validate(bad);
        // schema violations first, then the rules in file order
        assertEquals(java.util.Set.of("schema.format", "schema.min_length"), java.util.Set.copyOf(rules(r).subList(0, 2)));
        assertEquals(List.of("rule.price_positive", "rule.currency_iso4217"), rules(r).subList(2, 4));
        assertEquals("P-1", r.eventId());
    }

    @Test
    void inventoryDefectsAreReportedByRuleAndField() {
        assertEquals(List.of("rule.on_hand_non_negative", "rule.reserved_not_above_on_hand"),
                rules(INVENTORY.validate(with(SNAPSHOT, "on_hand", "-2"))));
        assertEquals(List.of("rule.reserved_not_above_on_hand"), rules(INVENTORY.validate(with(SNAPSHOT, "reserved", "41"))));
        assertEquals(List.of("rule.reorder_point_non_negative"), rules(INVENTORY.validate(with(SNAPSHOT, "reorder_point", "-1"))));
        assertEquals(List.of("rule.unit_cost_positive"), rules(INVENTORY.validate(with(SNAPSHOT, "unit_cost", "0"))));
        assertEquals(List.of("schema.type"), rules(INVENTORY.validate(with(SNAPSHOT, "on_hand", "40.5"))));
        ValidationResult costWithoutCurrency = INVENTORY.validate(with(SNAPSHOT, "currency", null));
        assertEquals(List.of("schema.dependent_required"), rules(costWithoutCurrency));
        assertEquals(List.of("rule.snapshot_time_not_future"),
                rules(INVENTORY.validate(with(SNAPSHOT, "snapshot_time", "\"2026-11-22T10:00:00Z\""))));
    }

    @Test
    void campaignDefectsAreReportedByRuleAndField() {
        assertEquals(List.of("rule.channel_allowed"), rules(CAMPAIGNS.validate(with(CAMPAIGN, "channel", "\"billboard\""))));
        assertEquals(List.of("rule.budget_positive"), rules(CAMPAIGNS.validate(with(CAMPAIGN, "budget", "-5"))));
        ValidationResult dates = CAMPAIGNS.validate(with(CAMPAIGN, "end_date", "\"2026-11-01\""));
        assertEquals(List.of("rule.end_date_not_before_start_date"), rules(dates));
        assertEquals(List.of("end_date"), fields(dates));
        assertEquals(List.of("rule.amount_non_negative"), rules(CAMPAIGNS.validate(with(SPEND, "amount", "-1"))));
        assertEquals(List.of("rule.spend_date_not_future"), rules(CAMPAIGNS.validate(with(SPEND, "spend_date", "\"2026-11-23\""))));
        assertEquals(List.of("schema.enum"), rules(CAMPAIGNS.validate(with(SPEND, "record_type", "\"refund\""))));
        ValidationResult spendWithoutAmount = CAMPAIGNS.validate(with(SPEND, "amount", null));
        assertEquals(List.of("schema.required"), rules(spendWithoutAmount));
        assertEquals(List.of("amount"), fields(spendWithoutAmount));
        // a spend report may not carry definition fields: the currency of a campaign's money is the definition's
        assertEquals(List.of("schema.false"), rules(CAMPAIGNS.validate(with(SPEND, "amount", "1,\"currency\":\"USD\""))));
    }

    @Test
    void malformedPayloadsGetTheSameSingleViolationAsEvents() {
        assertEquals(List.of("malformed.json"), rules(PRODUCTS.validate(bytes("{\"product_id\":"))));
        assertEquals(List.of("malformed.not_object"), rules(INVENTORY.validate(bytes("[1,2]"))));
        assertEquals(List.of("malformed.empty"), rules(CAMPAIGNS.validate(new byte[0])));
        assertEquals(List.of("malformed.encoding"), rules(PRODUCTS.validate(new byte[] {'{', (byte) 0xC3, 0x28, '}'})));
        assertEquals(List.of("$"), fields(PRODUCTS.validate(null)));
    }
}
