package io.ecompipeline.transform;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import io.ecompipeline.db.CopyBuffer;
import io.ecompipeline.it.LocalServices;
import io.ecompipeline.it.TestEs;

/**
 * Makes and inserts raw events for the transformation tests: the same path as ingest (COPY into a staging table,
 * then one {@code INSERT ... SELECT ... ON CONFLICT (event_id) DO NOTHING}), except that ingested_at is given.
 */
public final class TxEvents {

    static final String[] TYPES = {"PAGE_VIEW", "ADD_TO_CART", "PURCHASE", "PURCHASE", "PURCHASE", "REFUND"};
    static final String[] STATUSES = {"PAID", "PAID", "PAID", "PENDING", "FAILED"};
    static final String[] METHODS = {"CARD", "PAYPAL", "BANK_TRANSFER", "WALLET", "COD"};
    static final String[] CATEGORIES = {"electronics", "fashion", "home", "books"};
    static final String[] COUNTRIES = {"DE", "FR", "US"};
    static final String[] CURRENCIES = {"EUR", "EUR", "USD"};
    static final String[] TIERS = {"BRONZE", "SILVER", "GOLD", "PLATINUM"};

    private final Random random;
    private final String customerPrefix;

    /** Events of this generator belong to customers C-{seed}-n and no others, so customer tables can be asserted. */
    public TxEvents(long seed) {
        this.random = new Random(seed);
        this.customerPrefix = "C-" + seed + "-";
    }

    public String customerPrefix() {
        return customerPrefix;
    }

    /**
     * {@code count} events with event times spread over [from, from + span), processing latency 0-90 s, except
     * that about {@code lateShare} of them arrive 3 min - 5 h late.
     */
    public List<TxEvent> spread(Instant from, Duration span, int count, double lateShare) {
        List<TxEvent> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Instant eventTime = from.plusMillis((long) (random.nextDouble() * span.toMillis()));
            Duration latency = random.nextDouble() < lateShare
                    ? Duration.ofSeconds(180 + random.nextInt(5 * 3600))
                    : Duration.ofMillis(random.nextInt(90_000));
            events.add(event(TYPES[random.nextInt(TYPES.length)], eventTime, eventTime.plus(latency)));
        }
        return events;
    }

    public TxEvent event(String type, Instant eventTime, Instant ingestedAt) {
        boolean tx = type.equals("PURCHASE") || type.equals("REFUND");
        boolean product = !type.equals("PAGE_VIEW");
        int quantity = 1 + random.nextInt(3);
        BigDecimal price = BigDecimal.valueOf(100 + random.nextInt(99_900), 2);
        int customer = random.nextInt(30);
        // mostly the customer's own tier, sometimes the next one up: tier histories with several versions
        String tier = TIERS[(customer + (random.nextInt(4) == 0 ? 1 : 0)) % TIERS.length];
        int productNo = random.nextInt(8);
        return new TxEvent(UUID.randomUUID(), type, eventTime, ingestedAt, customerPrefix + customer, tier,
                COUNTRIES[random.nextInt(COUNTRIES.length)],
                product ? "P-" + productNo : null,
                product ? CATEGORIES[productNo % CATEGORIES.length] : null,
                tx ? METHODS[random.nextInt(METHODS.length)] : null,
                tx ? (type.equals("REFUND") ? "REFUNDED" : STATUSES[random.nextInt(STATUSES.length)]) : null,
                tx ? CURRENCIES[random.nextInt(CURRENCIES.length)] : null,
                tx ? price.multiply(BigDecimal.valueOf(quantity)).setScale(2, RoundingMode.HALF_UP) : null,
                tx ? quantity : null, null, null);
    }

    /**
     * Inserts like ingest does; returns how many rows were new. The days of the events get {@link Fx#TEST}'s rates
     * first, unless a test loaded its own for them.
     */
    public static int insert(List<TxEvent> events) {
        Fx.TEST.insert(events.stream().map(TxEvent::day).collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new)));
        CopyBuffer buffer = new CopyBuffer(events.size(), 300);
        for (TxEvent e : events) {
            buffer.value(e.eventId().toString()).value(e.eventType()).value(e.eventTime().toString())
                    .value(e.customerId()).value(e.tier()).value(e.country()).value(e.productId())
                    .value(e.category()).value(e.amount() == null ? null : "T-" + e.eventId())
                    .value(e.amount() == null ? null : e.amount().toPlainString())
                    .value(e.quantity() == null ? null : e.quantity().toString()).value(e.currency())
                    .value(e.paymentMethod()).value(e.paymentStatus()).value("{}").value("transform-it").value(0)
                    .value(0).value(e.ingestedAt().toString()).value(UUID.randomUUID().toString())
                    .value(e.source()).value(e.sessionId()).endRow();
        }
        String columns = "event_id, event_type, event_time, customer_id, customer_tier, customer_country, product_id, product_category, "
                + "transaction_id, amount, quantity, currency, payment_method, payment_status, payload, kafka_topic, "
                + "kafka_partition, kafka_offset, ingested_at, run_id, source, session_id";
        try (Connection c = LocalServices.postgres()) {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.execute("CREATE TEMP TABLE stg_tx (LIKE raw.events INCLUDING DEFAULTS) ON COMMIT DROP");
                buffer.copyInto(c, "COPY stg_tx (" + columns + ") FROM STDIN");
                int inserted = st.executeUpdate("INSERT INTO raw.events (" + columns + ") SELECT " + columns
                        + " FROM stg_tx ON CONFLICT (event_id) DO NOTHING");
                c.commit();
                return inserted;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("inserting raw events failed: " + e.getMessage(), e);
        }
    }

    /**
     * A UTC day in 2019-2021 with no raw events, no daily revenue and no Elasticsearch document on it, the day before
     * or the two days after, so a test owns its hours, windows and days (and their day-over-day neighbours) in the
     * shared database and index (the index outlives a database that was reset).
     */
    public static LocalDate unusedDay() {
        Random r = new Random();
        LocalDate first = LocalDate.of(2019, 1, 2);
        for (int attempt = 0; attempt < 50; attempt++) {
            LocalDate day = first.plusDays(r.nextInt(3 * 365 - 4));
            try (Connection c = LocalServices.postgres();
                 PreparedStatement st = c.prepareStatement(
                         "SELECT EXISTS (SELECT 1 FROM raw.events WHERE event_time >= ? AND event_time < ?)"
                                 + " OR EXISTS (SELECT 1 FROM marts.daily_revenue WHERE revenue_date BETWEEN ? AND ?)")) {
                st.setObject(1, day.minusDays(1).atStartOfDay().atOffset(ZoneOffset.UTC));
                st.setObject(2, day.plusDays(3).atStartOfDay().atOffset(ZoneOffset.UTC));
                st.setObject(3, day.minusDays(1));
                st.setObject(4, day.plusDays(2));
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    if (!rs.getBoolean(1) && noDocuments(day)) {
                        return day;
                    }
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }
        throw new IllegalStateException("no unused day found in 2019-2021");
    }

    private static boolean noDocuments(LocalDate day) {
        TestEs es = new TestEs();
        if (!indexExists(es)) {
            return true;
        }
        Instant from = day.minusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        return es.count(TransformTestSupport.INDEX, from, from.plus(Duration.ofDays(4))) == 0;
    }

    private static boolean indexExists(TestEs es) {
        return es.exists("/" + TransformTestSupport.INDEX);
    }

    public static Instant at(LocalDate day, int hour, int minute, int second) {
        return day.atStartOfDay().toInstant(ZoneOffset.UTC).plusSeconds(hour * 3600L + minute * 60L + second);
    }
}
