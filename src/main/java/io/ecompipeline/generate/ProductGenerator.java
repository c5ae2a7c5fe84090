package io.ecompipeline.generate;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Records of the products topic (contract/products.*) for the products the events buy ({@link ProductCatalog}: same
 * ids, prices, categories, currencies) plus a few more that no event ever buys (dead stock once they are stocked): a
 * first version a day ago, and for about one product in twelve a cost change an hour ago, so the product history has
 * second versions. Every version is sent valid; broken copies come as extra records, so that invalid records are the
 * same share as the events', spread over the products contract's defects.
 */
public final class ProductGenerator {

    /** Products in the catalog that the events never reference. */
    public static final int UNSOLD = 5;

    /** Each defect of the products contract, with the rule the contract must report. */
    public enum Defect {
        NEGATIVE_PRICE("rule.price_positive"),
        COST_ABOVE_PRICE("rule.cost_not_above_price"),
        UNKNOWN_CURRENCY("rule.currency_iso4217"),
        MISSING_TITLE("schema.required"),
        PRICE_AS_TEXT("schema.type"),
        FUTURE_UPDATE("rule.updated_at_not_future"),
        NOT_JSON("malformed.json");

        private final String rule;

        Defect(String rule) {
            this.rule = rule;
        }

        public String rule() {
            return rule;
        }
    }

    private final ObjectMapper json = new ObjectMapper();
    private final SplittableRandom random;
    private final double invalidShare;
    private final int products;
    private final Clock clock;

    /** @param products the number of products the events use (their --products) */
    public ProductGenerator(long seed, double invalidShare, int products, Clock clock) {
        this.random = new SplittableRandom(seed);
        this.invalidShare = invalidShare;
        this.products = products;
        this.clock = clock;
    }

    /** How many products the catalog has: the events' ones and the unsold ones. */
    public int catalogSize() {
        return products + UNSOLD;
    }

    public List<GeneratedEvent> records() {
        Instant now = clock.instant();
        List<GeneratedEvent> out = new ArrayList<>();
        for (int n = 0; n < catalogSize(); n++) {
            addVersion(out, version(n, ProductCatalog.cost(n), now.minus(Duration.ofDays(1))));
        }
        for (int n = 0; n < catalogSize(); n += 12) {
            BigDecimal newCost = ProductCatalog.cost(n).multiply(BigDecimal.valueOf(1.08)).setScale(2, RoundingMode.HALF_UP)
                    .min(ProductCatalog.price(n));
            addVersion(out, version(n, newCost, now.minus(Duration.ofHours(1))));
        }
        return out;
    }

    /**
     * A version as a valid record, and broken copies of it as extra records: a broken update next to a good one, as a
     * real catalog feed sends them. Replacing the version instead left about one product in four without any valid
     * version, so the events sold products the product dimension never got (the warehouse suite's
     * facts_have_product failed in every demo). Extras are drawn so that invalid records are still the asked share
     * of all records: invalidShare / (1 - invalidShare) broken copies per version on average; at a share of 1 every
     * record is broken, as asked.
     */
    private void addVersion(List<GeneratedEvent> out, ObjectNode record) {
        if (invalidShare >= 1) {
            out.add(defective(record));
            return;
        }
        out.add(new GeneratedEvent(record.get("product_id").asText(), bytes(record), "valid", null, false));
        double extras = invalidShare / (1 - invalidShare);
        for (; extras >= 1; extras--) {
            out.add(defective(record.deepCopy()));
        }
        if (random.nextDouble() < extras) {
            out.add(defective(record.deepCopy()));
        }
    }

    private ObjectNode version(int n, BigDecimal cost, Instant at) {
        return json.createObjectNode().put("product_id", ProductCatalog.id(n)).put("title", ProductCatalog.name(n))
                .put("category", ProductCatalog.category(n)).put("price", ProductCatalog.price(n)).put("cost", cost)
                .put("currency", ProductCatalog.currency(n)).put("rating", 1 + (n * 37 % 40) / 10.0)
                .put("rating_count", n * 13 % 500).put("updated_at", at.toString());
    }

    private GeneratedEvent defective(ObjectNode record) {
        String key = record.get("product_id").asText();
        Defect defect = Defect.values()[random.nextInt(Defect.values().length)];
        byte[] raw = null;
        switch (defect) {
            case NEGATIVE_PRICE -> record.put("price", -1).remove("cost");
            case COST_ABOVE_PRICE -> record.put("cost", record.get("price").decimalValue().add(BigDecimal.TEN));
            case UNKNOWN_CURRENCY -> record.put("currency", "XQQ");
            case MISSING_TITLE -> record.remove("title");
            case PRICE_AS_TEXT -> record.put("price", record.get("price").asText());
            case FUTURE_UPDATE -> record.put("updated_at", clock.instant().plus(Duration.ofHours(2)).toString());
            case NOT_JSON -> raw = ("product " + key + " costs a lot").getBytes(StandardCharsets.UTF_8);
            default -> throw new IllegalStateException(defect.name());
        }
        return new GeneratedEvent(key, raw != null ? raw : bytes(record), defect.name().toLowerCase(), defect.rule(), false);
    }

    private byte[] bytes(ObjectNode node) {
        try {
            return json.writeValueAsBytes(node);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
