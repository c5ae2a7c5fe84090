package io.ecompipeline.generate;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Realistic e-commerce events (the canonical event of PRODUCT.md) with a configurable share of invalid ones, spread
 * evenly over every business rule, schema defect and malformed kind, and a share of late events. Valid events come as
 * sessions (funnels sharing a session_id) of customers who keep their country and currency and climb tiers, on
 * products that keep their category and a rarely changing price; refunds refer to an earlier paid purchase of the
 * same customer. Event times are now, or spread over the last N days. Deterministic for a given seed and clock.
 */
public final class EventGenerator implements EventSource {

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
        JSON_SCALAR("malformed.not_object"),
        // valid JSON that PostgreSQL cannot store as it is (jsonb, text and timestamptz refuse these)
        LONE_SURROGATE("storage.unsupported_character"),
        NUL_IN_EVENT_ID("storage.unsupported_character"),
        NUL_IN_PROPERTY_NAME("storage.unsupported_character"),
        YEAR_ZERO("storage.out_of_range"),
        NUMBER_BEYOND_NUMERIC("storage.out_of_range");

        private final String rule;

        Defect(String rule) {
            this.rule = rule;
        }

        public String rule() {
            return rule;
        }
    }

    private static final String[] TYPES = {"PAGE_VIEW", "ADD_TO_CART", "PURCHASE", "PURCHASE", "REFUND"};
    private static final String[] SOURCES = {"web", "web", "ios", "android"};
    private static final String[] COUNTRIES = {"DE", "FR", "US", "GB", "ES", "IT", "NL", "PL", "SE", "JP", "CH"};
    /** The currency customers of each country pay in (same order as COUNTRIES). */
    private static final String[] COUNTRY_CURRENCIES = {"EUR", "EUR", "USD", "GBP", "EUR", "EUR", "EUR", "PLN", "SEK", "JPY", "CHF"};
    /**
     * Units per EUR the generator prices products with (close to the sample FX table, sql/reference): a product has
     * one EUR list price, shown in the customer's currency.
     */
    private static final Map<String, BigDecimal> PRICE_RATES = Map.of("EUR", BigDecimal.ONE, "USD", new BigDecimal("1.08"),
            "GBP", new BigDecimal("0.85"), "PLN", new BigDecimal("4.30"), "SEK", new BigDecimal("11.40"),
            "JPY", new BigDecimal("161.50"), "CHF", new BigDecimal("0.95"));
    private static final String[] TIERS = {"BRONZE", "SILVER", "GOLD", "PLATINUM"};
    private static final String[] CATEGORIES = {"electronics", "fashion", "home", "sports", "books", "beauty", "toys"};
    private static final String[] METHODS = {"CARD", "PAYPAL", "BANK_TRANSFER", "WALLET", "COD"};
    private static final Defect[] DEFECTS = Defect.values();
    private static final Duration LATE_THRESHOLD = Duration.ofMinutes(2);

    private final ObjectMapper json = new ObjectMapper();
    private final SplittableRandom random;
    private final double invalidShare;
    private final double lateShare;
    private final int customers;
    private final int products;
    private final Clock clock;
    private final Duration spread;
    private final Map<Integer, Customer> customerState = new HashMap<>();
    private final Deque<GeneratedEvent> queued = new ArrayDeque<>();
    private long sequence;
    private CampaignTouches campaigns = CampaignTouches.NONE;

    /** What the generator remembers of a customer: paid purchases not refunded yet. */
    private static final class Customer {
        final List<Purchase> purchases = new ArrayList<>();
    }

    /** A paid purchase that a later refund may refer to. */
    private record Purchase(String transactionId, int productNo, BigDecimal unitPrice, int quantity, String currency,
                            Instant time) {
    }

    public EventGenerator(long seed, double invalidShare, double lateShare, int customers, int products, Clock clock) {
        this(seed, invalidShare, lateShare, customers, products, clock, 0);
    }

    /**
     * @param days event times spread over the {@code days} days before now (0: event times are now, live traffic);
     *             late events as always, on top
     */
    public EventGenerator(long seed, double invalidShare, double lateShare, int customers, int products, Clock clock,
                          int days) {
        if (invalidShare < 0 || invalidShare > 1 || lateShare < 0 || lateShare > 1) {
            throw new IllegalArgumentException("shares must be between 0 and 1");
        }
        if (days < 0) {
            throw new IllegalArgumentException("days must be 0 or more");
        }
        this.random = new SplittableRandom(seed);
        this.invalidShare = invalidShare;
        this.lateShare = lateShare;
        this.customers = Math.max(1, customers);
        this.products = Math.max(1, products);
        this.clock = clock;
        this.spread = Duration.ofDays(days);
    }

    /** From now on a share of the events carry a campaign_id and UTM fields of a campaign (see {@link CampaignTouches}). */
    public EventGenerator withCampaigns(CampaignTouches touches) {
        this.campaigns = touches;
        return this;
    }

    public static EventGenerator withDefaults(long seed) {
        return new EventGenerator(seed, 0.25, 0.05, 5_000, 500, Clock.systemUTC());
    }

    /**
     * The next record: an invalid one (the invalid share), else the next event of a session. Sessions are funnels
     * that share a session_id: a landing page or product pages, then perhaps a cart and a purchase; now and then a
     * customer's earlier paid purchase is refunded (an event of its own, without a session).
     */
    @Override
    public GeneratedEvent next() {
        sequence++;
        boolean invalid = random.nextDouble() < invalidShare;
        if (invalid) {
            // cycle through the defects so every one appears, whatever the count
            return withDefect(DEFECTS[(int) (sequence % DEFECTS.length)]);
        }
        if (queued.isEmpty()) {
            session();
        }
        return queued.poll();
    }

    /** A valid event of the given type, on its own (no session). */
    public GeneratedEvent valid(String eventType) {
        boolean late = random.nextDouble() < lateShare;
        Instant time = late ? Instant.now(clock).minusSeconds(180 + random.nextInt(3 * 3600)) : startTime();
        int customer = random.nextInt(customers);
        ObjectNode event;
        if (eventType.equals("REFUND") && !state(customer).purchases.isEmpty()) {
            event = refund(customer, time.isAfter(Instant.now(clock)) ? Instant.now(clock) : time);
        } else {
            event = event(eventType, time, customer, random.nextInt(products), null, null);
        }
        if (event == null) {
            event = event(eventType, time, customer, random.nextInt(products), null, null);
        }
        return generated(event);
    }

    /** An event (or raw record) carrying exactly the given defect. */
    public GeneratedEvent withDefect(Defect defect) {
        ObjectNode e = event(defect == Defect.CART_WITHOUT_PRODUCT ? "ADD_TO_CART" : "PURCHASE", startTime(),
                random.nextInt(customers), random.nextInt(products), null, null);
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
            // Jackson writes neither an unpaired surrogate nor these numbers, so they are edited into the JSON text
            case LONE_SURROGATE -> raw = edit(e, "\"name\":\"", "\"name\":\"\\ud800");
            case NUL_IN_EVENT_ID -> {
                raw = edit(e, "\"event_id\":\"" + id, "\"event_id\":\"" + id + "\\u0000");
                id = null; // not storable as an event id
            }
            case NUL_IN_PROPERTY_NAME -> raw = edit(e, "\"source\":", "\"note\\u0000\":1,\"source\":");
            case YEAR_ZERO -> e.put("event_time", "0000-06-01T12:00:00Z");
            case NUMBER_BEYOND_NUMERIC -> raw = edit(e, "\"source\":", "\"score\":1e131072,\"source\":");
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

    /**
     * One session's events into the queue, in time order: 1-4 pages (the first often a landing page without a
     * product), then with some chance a cart of a viewed product, and with some chance its purchase (mostly paid,
     * some pending or failed). Live ({@code days} 0), the session ends now (or, for a late one, minutes to hours
     * ago) with a few seconds between events; spread over days, it starts anywhere in them and events are seconds to
     * minutes apart. Sometimes a refund of one of the customer's earlier paid purchases follows.
     */
    private void session() {
        int customer = random.nextInt(customers);
        String sessionId = "S-" + Long.toString(random.nextLong() & Long.MAX_VALUE, 36);
        String source = SOURCES[random.nextInt(SOURCES.length)];
        List<String> types = new ArrayList<>();
        List<Integer> productNos = new ArrayList<>();
        int pages = random.nextDouble() < 0.3 ? 1 : 1 + random.nextInt(4);
        int viewed = random.nextInt(products);
        for (int i = 0; i < pages; i++) {
            boolean landing = i == 0 && random.nextDouble() < 0.3;
            if (!landing) {
                // a session browses around one category: neighbouring product numbers share it often
                viewed = i == 0 ? viewed : Math.floorMod(viewed + CATEGORIES.length * (random.nextInt(3) - 1), products);
            }
            types.add("PAGE_VIEW");
            productNos.add(landing ? -1 : viewed);
        }
        if (pages > 1 && random.nextDouble() < 0.45) {
            types.add("ADD_TO_CART");
            productNos.add(viewed);
            if (random.nextDouble() < 0.6) {
                types.add("PURCHASE");
                productNos.add(viewed);
            }
        }
        boolean live = spread.isZero();
        List<Long> gaps = new ArrayList<>();
        long total = 0;
        for (int i = 1; i < types.size(); i++) {
            long gap = live ? 1_000 + random.nextInt(7_000) : 5_000 + random.nextInt(175_000);
            gaps.add(gap);
            total += gap;
        }
        Instant now = Instant.now(clock);
        Instant first;
        if (live) {
            Instant end = random.nextDouble() < lateShare ? now.minusSeconds(180 + random.nextInt(3 * 3600))
                    : now.minusMillis(random.nextInt(2_000));
            first = end.minusMillis(total);
        } else {
            first = now.minus(spread).plusMillis((long) (random.nextDouble() * Math.max(1, spread.toMillis() - total - 60_000)));
        }
        Instant t = first;
        for (int i = 0; i < types.size(); i++) {
            if (i > 0) {
                t = t.plusMillis(gaps.get(i - 1));
            }
            int productNo = productNos.get(i);
            queued.add(generated(event(types.get(i), t, customer, productNo < 0 ? null : productNo, sessionId, source)));
        }
        if (random.nextDouble() < 0.08 && !state(customer).purchases.isEmpty()) {
            ObjectNode refund = refund(customer, live ? t : t.plusSeconds(3600 + random.nextInt(72 * 3600)));
            if (refund != null) {
                queued.add(generated(refund));
            }
        }
    }

    private Customer state(int customer) {
        return customerState.computeIfAbsent(customer, c -> new Customer());
    }

    /** Live: now, minus a few seconds; spread over days: anywhere in them. */
    private Instant startTime() {
        Instant now = Instant.now(clock);
        return spread.isZero() ? now.minusMillis(random.nextInt(30_000))
                : now.minus(spread).plusMillis((long) (random.nextDouble() * spread.toMillis()));
    }

    /**
     * A refund of one of the customer's paid purchases, after it and not after now: the same transaction id, product,
     * unit price and currency, for some or all of its units; null when none fits.
     */
    private ObjectNode refund(int customer, Instant wanted) {
        List<Purchase> purchases = state(customer).purchases;
        int index = random.nextInt(purchases.size());
        Purchase p = purchases.get(index);
        Instant now = Instant.now(clock);
        Instant time = wanted.isAfter(now) ? now : wanted;
        if (!time.isAfter(p.time())) {
            return null;
        }
        purchases.remove(index);
        int quantity = 1 + random.nextInt(p.quantity());
        ObjectNode e = base("REFUND", time, customer, null, null);
        product(e, p.productNo(), p.unitPrice(), p.currency());
        ObjectNode t = e.putObject("transaction");
        t.put("transaction_id", p.transactionId());
        t.put("amount", p.unitPrice().multiply(BigDecimal.valueOf(quantity)).setScale(2, RoundingMode.HALF_UP));
        t.put("quantity", quantity);
        t.put("currency", p.currency());
        t.put("payment_method", METHODS[random.nextInt(METHODS.length)]);
        t.put("payment_status", "REFUNDED");
        return e;
    }

    /**
     * One valid event. Customers keep their country (and its currency) and climb tiers over time;
     * products keep their category and EUR list price (a tenth of them 10 % dearer from the middle of the period
     * on), shown in the customer's currency. A paid purchase is remembered for a later refund.
     */
    private ObjectNode event(String eventType, Instant time, int customer, Integer productNo, String sessionId, String source) {
        ObjectNode e = base(eventType, time, customer, sessionId, source);
        if (eventType.equals("PAGE_VIEW") && productNo == null) {
            campaigns.mark(e, null);
            return e;
        }
        int no = productNo == null ? random.nextInt(products) : productNo;
        String currency = currencyOf(customer);
        BigDecimal price = price(no, time, currency);
        product(e, no, price, currency);
        campaigns.mark(e, currency);
        if (eventType.equals("PURCHASE") || eventType.equals("REFUND")) {
            int quantity = 1 + random.nextInt(3);
            double roll = random.nextDouble();
            String status = eventType.equals("REFUND") ? "REFUNDED" : roll < 0.8 ? "PAID" : roll < 0.9 ? "PENDING" : "FAILED";
            String transactionId = "T-" + Long.toString(random.nextLong() & Long.MAX_VALUE, 36);
            ObjectNode t = e.putObject("transaction");
            t.put("transaction_id", transactionId);
            t.put("amount", price.multiply(BigDecimal.valueOf(quantity)).setScale(2, RoundingMode.HALF_UP));
            t.put("quantity", quantity);
            t.put("currency", currency);
            t.put("payment_method", METHODS[random.nextInt(METHODS.length)]);
            t.put("payment_status", status);
            if (status.equals("PAID")) {
                state(customer).purchases.add(new Purchase(transactionId, no, price, quantity, currency, time));
            }
        }
        return e;
    }

    private ObjectNode base(String eventType, Instant time, int customer, String sessionId, String source) {
        ObjectNode e = json.createObjectNode();
        e.put("event_id", randomUuid().toString());
        e.put("event_type", eventType);
        e.put("event_time", time.toString());
        e.put("source", source != null ? source : SOURCES[random.nextInt(SOURCES.length)]);
        if (sessionId != null) {
            e.put("session_id", sessionId);
        }
        ObjectNode c = e.putObject("customer");
        c.put("customer_id", "C-" + (10_000 + customer));
        c.put("email", "customer" + customer + "@example.com");
        c.put("country", COUNTRIES[customer % COUNTRIES.length]);
        c.put("tier", tier(customer, time));
        return e;
    }

    /**
     * A customer's tier at {@code time}: it starts at BRONZE or SILVER and rises one step every 7-59 days (per
     * customer) from the start of the period, up to PLATINUM, so it never goes down in event time, whatever the order
     * the sessions are generated in.
     */
    private String tier(int customer, Instant time) {
        long days = Math.max(0, Duration.between(Instant.now(clock).minus(spread), time).toDays());
        long period = 7 + (customer * 37L) % 53;
        return TIERS[(int) Math.min(TIERS.length - 1, customer % 2 + days / period)];
    }

    private static void product(ObjectNode e, int productNo, BigDecimal price, String currency) {
        ObjectNode p = e.putObject("product");
        p.put("product_id", "P-" + (100 + productNo));
        p.put("name", "Product " + productNo);
        p.put("category", CATEGORIES[productNo % CATEGORIES.length]);
        p.put("price", price);
        p.put("currency", currency);
    }

    private String currencyOf(int customer) {
        return COUNTRY_CURRENCIES[customer % COUNTRIES.length];
    }

    /** The product's EUR list price in {@code currency}; every tenth product costs 10 % more from mid-period on. */
    private BigDecimal price(int productNo, Instant time, String currency) {
        BigDecimal eur = ProductCatalog.price(productNo);
        Instant change = Instant.now(clock).minus(spread.dividedBy(2));
        if (productNo % 10 == 3 && !time.isBefore(change)) {
            eur = eur.multiply(new BigDecimal("1.10"));
        }
        return eur.multiply(PRICE_RATES.get(currency)).setScale(2, RoundingMode.HALF_UP);
    }

    private GeneratedEvent generated(ObjectNode event) {
        Instant time = Instant.parse(event.get("event_time").asText());
        boolean late = time.isBefore(Instant.now(clock).minus(LATE_THRESHOLD));
        return new GeneratedEvent(event.get("event_id").asText(), bytes(event), "valid", null, late);
    }

    /** A version-4 UUID from the seeded random source, so runs are reproducible. */
    private UUID randomUuid() {
        long msb = (random.nextLong() & ~0xF000L) | 0x4000L;
        long lsb = (random.nextLong() & ~0xC000000000000000L) | 0x8000000000000000L;
        return new UUID(msb, lsb);
    }

    private byte[] edit(ObjectNode event, String find, String replacement) {
        String text = new String(bytes(event), StandardCharsets.UTF_8);
        if (!text.contains(find)) {
            throw new IllegalStateException("generated event has no " + find);
        }
        return text.replaceFirst(java.util.regex.Pattern.quote(find), java.util.regex.Matcher.quoteReplacement(replacement))
                .getBytes(StandardCharsets.UTF_8);
    }

    private byte[] bytes(ObjectNode event) {
        try {
            return json.writeValueAsBytes(event);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
