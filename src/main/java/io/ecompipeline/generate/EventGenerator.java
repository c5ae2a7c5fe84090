package io.ecompipeline.generate;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Realistic e-commerce events (the canonical event of PRODUCT.md) with a configurable share of invalid ones, spread
 * evenly over every business rule, schema defect and malformed kind, and a share of late events. Deterministic for a
 * given seed (event times follow the clock).
 */
public final class EventGenerator {

    /** Each defect the generator can inject, with the rule id the contract must report for it. */
    public enum Defect {
        MISSING_EVENT_ID("schema.required"),
        MISSING_CUSTOMER("schema.required"),
        CART_WITHOUT_PRODUCT("schema.required"),
        PURCHASE_WITHOUT_TRANSACTION("schema.required"),
        AMOUNT_AS_STRING("schema.type"),
        BAD_EMAIL("schema.format"),
        BAD_EVENT_ID("schema.format"),
        NEGATIVE_AMOUNT("rule.amount_positive"),
        ZERO_QUANTITY("rule.quantity_positive"),
        BAD_PAYMENT_STATUS("rule.payment_status_allowed"),
        BAD_PAYMENT_METHOD("rule.payment_method_allowed"),
        PRICE_OVER_CEILING("rule.price_ceiling"),
        NEGATIVE_PRICE("rule.price_positive"),
        AMOUNT_MISMATCH("rule.amount_consistency"),
        UNKNOWN_CURRENCY("rule.currency_iso4217"),
        UNKNOWN_COUNTRY("rule.country_iso3166"),
        UNKNOWN_EVENT_TYPE("rule.event_type_allowed"),
        FUTURE_EVENT_TIME("rule.event_time_not_future"),
        TRUNCATED_JSON("malformed.json"),
        NOT_JSON("malformed.json"),
        EMPTY("malformed.empty"),
        BAD_UTF8("malformed.encoding"),
        JSON_ARRAY("malformed.not_object"),
        JSON_SCALAR("malformed.not_object");

        private final String rule;

        Defect(String rule) {
            this.rule = rule;
        }

        public String rule() {
            return rule;
        }
    }

    private static final String[] TYPES = {"PAGE_VIEW", "ADD_TO_CART", "PURCHASE", "PURCHASE", "REFUND"};
    private static final String[] SOURCES = {"web", "ios", "android"};
    private static final String[] COUNTRIES = {"DE", "FR", "US", "GB", "ES", "IT", "NL", "PL", "SE", "JP"};
    private static final String[] TIERS = {"BRONZE", "SILVER", "GOLD", "PLATINUM"};
    private static final String[] CATEGORIES = {"electronics", "fashion", "home", "sports", "books", "beauty", "toys"};
    private static final String[] CURRENCIES = {"EUR", "EUR", "USD", "GBP"};
    private static final String[] METHODS = {"CARD", "PAYPAL", "BANK_TRANSFER", "WALLET", "COD"};
    private static final String[] STATUSES = {"PAID", "PAID", "PAID", "PENDING", "FAILED"};
    private static final Defect[] DEFECTS = Defect.values();

    private final ObjectMapper json = new ObjectMapper();
    private final SplittableRandom random;
    private final double invalidShare;
    private final double lateShare;
    private final int customers;
    private final int products;
    private final Clock clock;
    private long sequence;
    private CampaignTouches campaigns = CampaignTouches.NONE;

    public EventGenerator(long seed, double invalidShare, double lateShare, int customers, int products, Clock clock) {
        if (invalidShare < 0 || invalidShare > 1 || lateShare < 0 || lateShare > 1) {
            throw new IllegalArgumentException("shares must be between 0 and 1");
        }
        this.random = new SplittableRandom(seed);
        this.invalidShare = invalidShare;
        this.lateShare = lateShare;
        this.customers = Math.max(1, customers);
        this.products = Math.max(1, products);
        this.clock = clock;
    }

    /** From now on a share of the events carry a campaign_id and UTM fields of a campaign (see {@link CampaignTouches}). */
    public EventGenerator withCampaigns(CampaignTouches touches) {
        this.campaigns = touches;
        return this;
    }

    public static EventGenerator withDefaults(long seed) {
        return new EventGenerator(seed, 0.25, 0.05, 5_000, 500, Clock.systemUTC());
    }

    public GeneratedEvent next() {
        sequence++;
        boolean invalid = random.nextDouble() < invalidShare;
        if (invalid) {
            // cycle through the defects so every one appears, whatever the count
            return withDefect(DEFECTS[(int) (sequence % DEFECTS.length)]);
        }
        return valid(TYPES[random.nextInt(TYPES.length)]);
    }

    /** A valid event of the given type. */
    public GeneratedEvent valid(String eventType) {
        boolean late = random.nextDouble() < lateShare;
        ObjectNode event = event(eventType, late);
        return new GeneratedEvent(event.get("event_id").asText(), bytes(event), "valid", null, late);
    }

    /** An event (or raw record) carrying exactly the given defect. */
    public GeneratedEvent withDefect(Defect defect) {
        ObjectNode e = event(defect == Defect.CART_WITHOUT_PRODUCT ? "ADD_TO_CART" : "PURCHASE", false);
        String id = e.get("event_id").asText();
        ObjectNode tx = (ObjectNode) e.get("transaction");
        ObjectNode product = (ObjectNode) e.get("product");
        byte[] raw = null;
        switch (defect) {
            case MISSING_EVENT_ID -> {
                e.remove("event_id");
                id = null;
            }
            case MISSING_CUSTOMER -> e.remove("customer");
            case CART_WITHOUT_PRODUCT -> e.remove("product");
            case PURCHASE_WITHOUT_TRANSACTION -> e.remove("transaction");
            case AMOUNT_AS_STRING -> tx.put("amount", tx.get("amount").asText());
            case BAD_EMAIL -> ((ObjectNode) e.get("customer")).put("email", "not-an-email");
            case BAD_EVENT_ID -> {
                id = "evt-" + sequence;
                e.put("event_id", id);
            }
            case NEGATIVE_AMOUNT -> {
                tx.put("quantity", 1);
                product.put("price", 10.00);
                tx.put("amount", -10.00);
            }
            case ZERO_QUANTITY -> tx.put("quantity", 0);
            case BAD_PAYMENT_STATUS -> tx.put("payment_status", "MAYBE");
            case BAD_PAYMENT_METHOD -> tx.put("payment_method", "BARTER");
            case PRICE_OVER_CEILING -> {
                product.put("price", 5_000_000.00);
                tx.put("quantity", 1);
                tx.put("amount", 5_000_000.00);
            }
            case NEGATIVE_PRICE -> {
                product.put("price", -5.00);
            }
            case AMOUNT_MISMATCH -> tx.put("amount", tx.get("amount").decimalValue().add(BigDecimal.valueOf(13.37)));
            case UNKNOWN_CURRENCY -> {
                tx.put("currency", "XQQ");
                product.put("currency", "XQQ");
            }
            case UNKNOWN_COUNTRY -> ((ObjectNode) e.get("customer")).put("country", "QQ");
            case UNKNOWN_EVENT_TYPE -> e.put("event_type", "WISHLIST");
            case FUTURE_EVENT_TIME -> e.put("event_time", Instant.now(clock).plusSeconds(3 * 3600).toString());
            case TRUNCATED_JSON -> {
                byte[] full = bytes(e);
                raw = java.util.Arrays.copyOf(full, full.length / 2);
            }
            case NOT_JSON -> raw = ("order " + id + " paid").getBytes(StandardCharsets.UTF_8);
            case EMPTY -> raw = new byte[0];
            case BAD_UTF8 -> {
                byte[] full = bytes(e);
                raw = java.util.Arrays.copyOf(full, full.length);
                int at = new String(full, StandardCharsets.ISO_8859_1).indexOf("\"name\":\"") + 8;
                raw[at] = (byte) 0xC3;
                raw[at + 1] = (byte) 0x28;
            }
            case JSON_ARRAY -> raw = ("[" + new String(bytes(e), StandardCharsets.UTF_8) + "]").getBytes(StandardCharsets.UTF_8);
            case JSON_SCALAR -> raw = "42".getBytes(StandardCharsets.UTF_8);
            default -> throw new IllegalStateException(defect.name());
        }
        return new GeneratedEvent(id, raw != null ? raw : bytes(e), defect.name().toLowerCase(), defect.rule(), false);
    }

    public List<GeneratedEvent> next(int count) {
        List<GeneratedEvent> events = new java.util.ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            events.add(next());
        }
        return events;
    }

    private ObjectNode event(String eventType, boolean late) {
        Instant now = Instant.now(clock);
        Instant eventTime = late
                ? now.minusSeconds(180 + random.nextInt(3 * 3600))
                : now.minusMillis(random.nextInt(30_000));
        ObjectNode e = json.createObjectNode();
        e.put("event_id", randomUuid().toString());
        e.put("event_type", eventType);
        e.put("event_time", eventTime.toString());
        e.put("source", SOURCES[random.nextInt(SOURCES.length)]);
        e.put("session_id", "s-" + random.nextInt(1_000_000));
        int customer = random.nextInt(customers);
        ObjectNode c = e.putObject("customer");
        c.put("customer_id", "C-" + (10_000 + customer));
        c.put("email", "customer" + customer + "@example.com");
        c.put("country", COUNTRIES[customer % COUNTRIES.length]);
        c.put("tier", TIERS[customer % TIERS.length]);
        if (!eventType.equals("PAGE_VIEW")) {
            int productNo = random.nextInt(products);
            String currency = CURRENCIES[productNo % CURRENCIES.length];
            BigDecimal price = BigDecimal.valueOf(199 + (productNo * 7919L) % 49_800, 2);
            ObjectNode p = e.putObject("product");
            p.put("product_id", "P-" + (100 + productNo));
            p.put("name", "Product " + productNo);
            p.put("category", CATEGORIES[productNo % CATEGORIES.length]);
            p.put("price", price);
            p.put("currency", currency);
            campaigns.mark(e, currency);
            if (eventType.equals("PURCHASE") || eventType.equals("REFUND")) {
                int quantity = 1 + random.nextInt(4);
                ObjectNode t = e.putObject("transaction");
                t.put("transaction_id", "T-" + Long.toString(random.nextLong() & Long.MAX_VALUE, 36));
                t.put("amount", price.multiply(BigDecimal.valueOf(quantity)).setScale(2, RoundingMode.HALF_UP));
                t.put("quantity", quantity);
                t.put("currency", currency);
                t.put("payment_method", METHODS[random.nextInt(METHODS.length)]);
                t.put("payment_status", eventType.equals("REFUND") ? "REFUNDED" : STATUSES[random.nextInt(STATUSES.length)]);
            }
        }
        if (eventType.equals("PAGE_VIEW")) {
            campaigns.mark(e, null);
        }
        return e;
    }

    /** A version-4 UUID from the seeded random source, so runs are reproducible. */
    private UUID randomUuid() {
        long msb = (random.nextLong() & ~0xF000L) | 0x4000L;
        long lsb = (random.nextLong() & ~0xC000000000000000L) | 0x8000000000000000L;
        return new UUID(msb, lsb);
    }

    private byte[] bytes(ObjectNode event) {
        try {
            return json.writeValueAsBytes(event);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
