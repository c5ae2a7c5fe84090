package io.ecompipeline.transform;

import static io.ecompipeline.transform.TransformTestSupport.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.InetSocketAddress;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.ecompipeline.it.Await;
import io.ecompipeline.it.TestDb;
import io.ecompipeline.jobs.JobRun;
import io.ecompipeline.jobs.RunStatus;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The warehouse of the products, inventory and campaigns sources: the transform, catalog and gold jobs of the real
 * configuration against the real PostgreSQL, on fixtures with a price change mid-day, a product going out of stock, a
 * dead-stock product and campaigns with and without attributed purchases. Every expected value is computed here in Java
 * from the fixture (versions, sales, touches, FX rates), never by the same SQL. Money is in the reporting currency
 * (EUR): sales in USD and EUR of products whose catalog cost is in EUR or GBP, campaigns whose spend is in GBP and USD,
 * and a sale, a cost and a spend in a currency without a rate ({@link Fx#NO_RATE_CURRENCY}), which must stay visible
 * as unconverted. Each run owns its products, customers and campaigns and a recent day, and asserts only on those
 * (ranks: against every product of that day).
 */
@CamelMainTest(properties = {
        "camel.main.routes-include-pattern=classpath:routes/error-handling.yaml,classpath:routes/transform.yaml,"
                + "classpath:routes/index.yaml,classpath:routes/catalog.yaml,classpath:routes/housekeeping.yaml",
        "camel.server.authenticationEnabled=false",
        "camel.management.enabled=false",
        "pipeline.reload.enabled=false",
        "pipeline.transform.cron=0 0 0 1 1 ? 2099",
        "pipeline.gold.cron=0 0 0 1 1 ? 2099",
        "pipeline.index.cron=0 0 0 1 1 ? 2099",
        "pipeline.catalog.cron=0 0 0 1 1 ? 2099",
        // low-stock alerts go to the existing webhook: a server of this test receives them
        "pipeline.alerts.webhook-url=http://127.0.0.1:{{sys:sources-warehouse-it.alert-port}}/alerts"})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SourcesWarehouseIT extends TransformJobsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<JsonNode> ALERTS = Collections.synchronizedList(new ArrayList<>());
    private static final HttpServer WEBHOOK = webhook();
    private static final Duration WINDOW = Duration.ofDays(7);
    private static final String NO_RATE = Fx.NO_RATE_CURRENCY;

    private static HttpServer webhook() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/alerts", exchange -> {
                ALERTS.add(JSON.readTree(exchange.getRequestBody().readAllBytes()));
                exchange.sendResponseHeaders(204, -1);
                exchange.close();
            });
            server.start();
            System.setProperty("sources-warehouse-it.alert-port", String.valueOf(server.getAddress().getPort()));
            return server;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterAll
    static void stopWebhook() {
        WEBHOOK.stop(0);
    }

    // --- the fixture, as Java values ---------------------------------------------------------------------------------

    /** A product version; price and cost in currency. */
    private record Version(String product, BigDecimal price, BigDecimal cost, String currency, String category, Instant at) {
    }

    /** A raw event: a touch when campaign is set; a sale (amount in currency) when type is PURCHASE or REFUND. */
    private record Event(UUID id, String type, Instant at, String customer, String session, String product, int quantity,
                         BigDecimal amount, String currency, String status, String campaign) {

        boolean paid() {
            return type.equals("PURCHASE") && "PAID".equals(status);
        }
    }

    private record Snapshot(String product, String warehouse, int onHand, int reserved, int reorderPoint, Instant at) {
    }

    private record Spend(String campaign, LocalDate day, String channel, BigDecimal amount) {
    }

    private final String run = Long.toString(System.nanoTime(), 36).toUpperCase();
    private final Random random = new Random();
    // never yesterday: MetricsIT asserts that "ISK on <yesterday>" leaves the FX-coverage check once its own sale is gone
    private final LocalDate day = LocalDate.now(ZoneOffset.UTC).minusDays(2 + random.nextInt(11));
    private final String pa = "P-W" + run + "-A";
    private final String pb = "P-W" + run + "-B";
    private final String pc = "P-W" + run + "-C";
    private final String pd = "P-W" + run + "-D";
    private final String pe = "P-W" + run + "-E";
    private final String cmpA = "CMP-W" + run + "-A";
    private final String cmpB = "CMP-W" + run + "-B";
    private final String cmpC = "CMP-W" + run + "-C";

    private Instant at(LocalDate d, int hour) {
        return d.atStartOfDay().toInstant(ZoneOffset.UTC).plus(Duration.ofHours(hour));
    }

    private static BigDecimal n(String v) {
        return new BigDecimal(v);
    }

    private Event touch(String customer, String session, Instant t, String campaign) {
        return new Event(UUID.randomUUID(), "PAGE_VIEW", t, customer, session, null, 0, null, null, null, campaign);
    }

    private Event sale(String type, String customer, String session, Instant t, String product, int quantity, String amount,
                       String currency, String status) {
        return new Event(UUID.randomUUID(), type, t, customer, session, product, quantity, n(amount), currency, status, null);
    }

    @Test
    void marginsInventoryHealthAndCampaignRoiEqualAnIndependentComputation() throws Exception {
        String c1 = "C-W" + run + "-1";
        String c2 = "C-W" + run + "-2";
        String c3 = "C-W" + run + "-3";
        String c4 = "C-W" + run + "-4";
        String c5 = "C-W" + run + "-5";
        String c6 = "C-W" + run + "-6";
        String c7 = "C-W" + run + "-7";
        String c8 = "C-W" + run + "-8";
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        Instant now = Instant.now();

        List<Version> versions = List.of(
                new Version(pa, n("10.00"), n("6.00"), "EUR", "home", at(day.minusDays(2), 8)),
                // the price (and cost) change in the middle of the day
                new Version(pa, n("12.00"), n("7.00"), "EUR", "home", at(day, 12)),
                // repeated unchanged: no new version
                new Version(pa, n("12.0"), n("7"), "EUR", "home", at(day, 13)),
                // catalog in GBP, sold in USD, reported in EUR
                new Version(pb, n("20.00"), n("11.30"), "GBP", "garden", at(day.minusDays(2), 8)),
                new Version(pc, n("30.00"), n("15.00"), "EUR", "toys", at(today.minusDays(60), 8)),
                // pd is sold in a currency without a rate; pe's cost is in one
                new Version(pd, n("8.00"), n("5.00"), "EUR", "books", at(day.minusDays(2), 8)),
                new Version(pe, n("1500"), n("900"), NO_RATE, "books", at(day.minusDays(2), 8)));
        List<Event> events = List.of(
                touch(c1, "S-" + run + "-1", at(day, 9), cmpA),
                sale("PURCHASE", c1, "S-" + run + "-1", at(day, 10), pa, 2, "25.18", "USD", "PAID"),
                sale("PURCHASE", c2, "S-" + run + "-2", at(day, 15), pa, 1, "15.11", "USD", "PAID"),
                sale("REFUND", c2, "S-" + run + "-2", at(day, 17), pa, 1, "15.11", "USD", "REFUNDED"),
                sale("PURCHASE", c2, "S-" + run + "-2", at(day, 18), pa, 1, "15.11", "USD", "PENDING"),
                // a sale in the catalog's own currency
                sale("PURCHASE", c6, "S-" + run + "-6", at(day, 19), pa, 1, "12.00", "EUR", "PAID"),
                // c3: a touch of A eight days before (outside the window), of B the same day in another session
                touch(c3, "S-" + run + "-3old", at(day.minusDays(8), 9), cmpA),
                touch(c3, "S-" + run + "-3b", at(day, 11), cmpB),
                sale("PURCHASE", c3, "S-" + run + "-3", at(day, 16), pb, 3, "75.57", "USD", "PAID"),
                // c7 comes from B and pays in a currency without a rate: attributed and counted, never summed
                touch(c7, "S-" + run + "-7", at(day, 13), cmpB),
                sale("PURCHASE", c7, "S-" + run + "-7", at(day, 14), pd, 1, "1300", NO_RATE, "PAID"),
                // pe: sold in EUR, its cost has no rate
                sale("PURCHASE", c8, "S-" + run + "-8", at(day, 20), pe, 2, "20.00", "EUR", "PAID"),
                // c5 visits from campaign C and buys nothing
                touch(c5, "S-" + run + "-5", at(day, 12), cmpC),
                // pc's last sale was 40 days ago: dead stock
                sale("PURCHASE", c4, "S-" + run + "-4", at(today.minusDays(40), 10), pc, 1, "30.00", "EUR", "PAID"));
        List<Snapshot> snapshots = List.of(
                new Snapshot(pa, "WH-1", 100, 0, 10, now.minus(1, ChronoUnit.DAYS)),
                new Snapshot(pb, "WH-1", 5, 0, 2, now.minus(3, ChronoUnit.DAYS)),
                // pb goes out of stock in WH-1, and is low in WH-2
                new Snapshot(pb, "WH-1", 0, 0, 2, now.minus(1, ChronoUnit.HOURS)),
                new Snapshot(pb, "WH-2", 4, 1, 5, now.minus(1, ChronoUnit.HOURS)),
                new Snapshot(pc, "WH-1", 50, 0, 5, now.minus(2, ChronoUnit.DAYS)));
        // the campaigns' currencies differ from the sales' (A: GBP, B: USD); C's has no rate
        Map<String, String> campaignCurrency = Map.of(cmpA, "GBP", cmpB, "USD", cmpC, NO_RATE);
        List<Spend> spend = List.of(
                new Spend(cmpA, day, "search", n("50.03")),
                new Spend(cmpA, day, "social", n("25.01")),
                new Spend(cmpB, day, "search", n("10.07")),
                new Spend(cmpC, day, "display", n("4000")));
        Fx fx = rates(events);

        insertProducts(versions);
        insertEvents(events);
        insertSnapshots(snapshots);
        insertCampaigns(campaignCurrency, spend);

        runJobs();
        Map<String, List<Map<String, Object>>> first = snapshotTables();

        // --- SCD2: pa has two versions (the repeated one merged), split at the mid-day change
        List<Map<String, Object>> history = TestDb.rows("SELECT version, price, cost, valid_from, valid_to, is_current "
                + "FROM marts.product_history WHERE product_id = ? ORDER BY version", pa);
        assertEquals(2, history.size(), history::toString);
        assertEquals(0, n("10.00").compareTo((BigDecimal) history.get(0).get("price")));
        assertEquals(Timestamp.from(at(day, 12)), history.get(0).get("valid_to"));
        assertEquals(Timestamp.from(at(day, 12)), history.get(1).get("valid_from"));
        assertNull(history.get(1).get("valid_to"));
        assertEquals(true, history.get(1).get("is_current"));

        // --- margins of the day in the reporting currency: every unit at the version valid at its event time
        Map<String, Map<String, Object>> expectedMargins = expectedMargins(versions, events, fx);
        Map<String, Map<String, Object>> actualMargins = new TreeMap<>();
        for (Map<String, Object> r : TestDb.rows("SELECT product_id, product_category, reporting_currency, paid_units, "
                + "refunded_units, revenue, refunds, net_revenue, cost_of_goods, unconverted_transactions, uncosted_units, "
                + "unconverted_cost_units, gross_margin, margin_pct, revenue_rank, margin_rank "
                + "FROM marts.daily_product_margin WHERE revenue_date = ? AND product_id LIKE ?", day, "P-W" + run + "-%")) {
            actualMargins.put((String) r.remove("product_id"), normalise(r));
        }
        assertEquals(expectedMargins, actualMargins);
        // a unit sold in USD whose catalog cost is in GBP has a margin in EUR; a sale or a cost without a rate has none
        assertTrue(actualMargins.get(pb).get("gross_margin") != null, "pb (USD sale, GBP cost) has a margin");
        assertEquals(1L, actualMargins.get(pd).get("unconverted_transactions"));
        assertNull(actualMargins.get(pd).get("gross_margin"));
        assertEquals(2L, actualMargins.get(pe).get("unconverted_cost_units"));
        assertNull(actualMargins.get(pe).get("gross_margin"));

        // --- attribution and campaign ROI in the reporting currency
        Map<UUID, String> expectedAttribution = expectedAttribution(events);
        Map<UUID, String> actualAttribution = new TreeMap<>();
        Map<UUID, Object> actualAttributedAmount = new TreeMap<>();
        TestDb.rows("SELECT event_id, campaign_id, amount_reporting FROM marts.campaign_attributions WHERE customer_id LIKE ?",
                "C-W" + run + "-%").forEach(r -> {
                    actualAttribution.put((UUID) r.get("event_id"), (String) r.get("campaign_id"));
                    actualAttributedAmount.put((UUID) r.get("event_id"), normalise(r).get("amount_reporting"));
                });
        assertEquals(new TreeMap<>(expectedAttribution), actualAttribution);
        Map<UUID, Object> expectedAttributedAmount = new TreeMap<>();
        events.stream().filter(e -> expectedAttribution.containsKey(e.id())).forEach(e -> expectedAttributedAmount.put(e.id(),
                normalise(Collections.singletonMap("a", fx.convert(day, e.currency(), e.amount()))).get("a")));
        assertEquals(expectedAttributedAmount, actualAttributedAmount);
        Map<String, Map<String, Object>> expectedRoi = expectedRoi(events, expectedAttribution, spend, campaignCurrency, fx);
        Map<String, Map<String, Object>> actualRoi = new TreeMap<>();
        for (Map<String, Object> r : TestDb.rows("SELECT campaign_id, campaign_currency, reporting_currency, "
                + "spend_in_campaign_currency, spend, sessions, converted_sessions, conversion_rate, attributed_orders, "
                + "attributed_revenue, unconverted_orders, roas, cost_per_order "
                + "FROM marts.campaign_daily_roi WHERE roi_date = ? AND campaign_id LIKE ?", day, "CMP-W" + run + "-%")) {
            actualRoi.put((String) r.remove("campaign_id"), normalise(r));
        }
        assertEquals(expectedRoi, actualRoi);
        assertTrue(actualRoi.get(cmpA).get("roas") != null && (Long) actualRoi.get(cmpA).get("attributed_orders") > 0,
                "a GBP campaign with a USD purchase has a ROAS in EUR");
        assertEquals(1L, actualRoi.get(cmpB).get("unconverted_orders"), "B's purchase without a rate is counted");
        assertNull(actualRoi.get(cmpB).get("roas"), "and leaves B's ROAS unknown");
        assertNull(actualRoi.get(cmpC).get("spend"), "C's spend has no rate: not converted");
        assertEquals("4000", actualRoi.get(cmpC).get("spend_in_campaign_currency"));
        assertTrue((Long) actualRoi.get(cmpC).get("attributed_orders") == 0L, "a campaign with spend and no attributed purchase");

        // --- inventory health as of now
        Map<String, Map<String, Object>> expectedHealth = expectedHealth(snapshots, events, now);
        Map<String, Map<String, Object>> actualHealth = new TreeMap<>();
        for (Map<String, Object> r : TestDb.rows("SELECT product_id || '/' || warehouse_id AS key, available, units_sold, "
                + "days_of_cover, is_out_of_stock, is_low_stock, is_overstock, is_dead_stock, stock_status "
                + "FROM marts.inventory_health WHERE product_id LIKE ?", "P-W" + run + "-%")) {
            actualHealth.put((String) r.remove("key"), normalise(r));
        }
        assertEquals(expectedHealth, actualHealth);
        assertEquals("out_of_stock", actualHealth.get(pb + "/WH-1").get("stock_status"));
        assertEquals("dead_stock", actualHealth.get(pc + "/WH-1").get("stock_status"));

        // --- one alert per pair that turned low-stock, through the existing webhook
        Set<String> lowNow = expectedHealth.entrySet().stream().filter(e -> (Boolean) e.getValue().get("is_low_stock"))
                .map(Map.Entry::getKey).collect(Collectors.toSet());
        Await.until("low-stock alerts delivered", Duration.ofSeconds(20), this::alertedPairs, lowNow::equals);
        assertEquals(0, TestDb.count("SELECT count(*) FROM pipeline.low_stock_alerts WHERE product_id LIKE ?", "P-W" + run + "-%"));

        // --- running the jobs again changes nothing and alerts nothing again
        long alerts = lowStockAlerts();
        runJobs();
        assertEquals(first, snapshotTables());
        assertEquals(alerts, lowStockAlerts());

        // --- pa's stock drops below its reorder point: it turns low, one more alert
        insertSnapshots(List.of(new Snapshot(pa, "WH-1", 6, 0, 10, Instant.now().minusSeconds(5))));
        runJobs();
        Await.until("pa's low-stock alert", Duration.ofSeconds(20), this::alertedPairs, a -> a.contains(pa + "/WH-1"));
        assertEquals(alerts + 1, lowStockAlerts(), "exactly one more alert");
    }

    @Test
    void aRateLoadedForADayWithSpendAndNoEventsConvertsThatDaysSpend() throws Exception {
        // a day long before the sample rates and every other test's data: spend, no events, no rate for the currency
        LocalDate quiet = LocalDate.of(2015, 1, 1).plusDays(random.nextInt(1500));
        String campaign = "CMP-Q" + run;
        assertEquals(0, TestDb.count("SELECT count(*) FROM raw.events WHERE event_time >= ?::date AND event_time < ?::date + 1",
                quiet.toString(), quiet.toString()), "the day has no events");
        TestDb.execute("DELETE FROM raw.fx_rates WHERE rate_date = ? AND currency = ?", quiet, NO_RATE);
        TestDb.execute("INSERT INTO raw.campaigns (campaign_id, name, channel, currency, budget, start_date, end_date, updated_at, "
                + "payload, source_topic, source_partition, source_offset, run_id) VALUES (?, 'Quiet day', 'search', ?, 1000, ?, NULL, ?, "
                + "'{}'::jsonb" + ORIGIN + ")", campaign, NO_RATE, quiet.minusDays(1), Timestamp.from(at(quiet.minusDays(1), 0)),
                "it-warehouse", UUID.randomUUID().toString());
        TestDb.execute("INSERT INTO raw.campaign_spend (campaign_id, spend_date, channel, amount, reported_at, payload, "
                + "source_topic, source_partition, source_offset, run_id) VALUES (?, ?, 'search', 1000, ?, '{}'::jsonb" + ORIGIN + ")",
                campaign, quiet, Timestamp.from(at(quiet, 23)), "it-warehouse", UUID.randomUUID().toString());
        try {
            runJobs();
            Map<String, Object> before = TestDb.rows("SELECT spend_in_campaign_currency::text AS original, spend::text AS spend "
                    + "FROM marts.campaign_daily_roi WHERE campaign_id = ? AND roi_date = ?", campaign, quiet).get(0);
            assertEquals("1000", before.get("original"));
            assertNull(before.get("spend"), "no rate yet: the spend is not converted");

            // the rate arrives later (a user's \copy): 150 ISK per EUR, so 1000 ISK = 6.666... EUR = 6.67
            TestDb.execute("INSERT INTO raw.fx_rates (rate_date, currency, units_per_eur) VALUES (?, ?, 150)", quiet, NO_RATE);
            runJobs();
            BigDecimal expected = n("1000").divide(n("150"), 2, java.math.RoundingMode.HALF_UP);
            assertEquals(expected.toPlainString(), TestDb.rows("SELECT spend::text AS spend FROM marts.campaign_daily_roi "
                    + "WHERE campaign_id = ? AND roi_date = ?", campaign, quiet).get(0).get("spend"),
                    "the new rate reached the spend of a day without events");
        } finally {
            TestDb.execute("DELETE FROM raw.fx_rates WHERE rate_date = ? AND currency = ?", quiet, NO_RATE);
        }
    }

    @Test
    void theAnalystRoleReadsTheAnalyticsLayersAndNothingElse() throws Exception {
        // every table and view of clean and marts is readable by analyst, nothing of raw and pipeline, no writes anywhere
        List<Map<String, Object>> wrong = TestDb.rows("SELECT n.nspname AS schema, c.relname AS relation, "
                + "has_table_privilege('analyst', c.oid, 'SELECT') AS can_read, "
                + "has_table_privilege('analyst', c.oid, 'INSERT,UPDATE,DELETE,TRUNCATE') AS can_write "
                + "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                + "WHERE n.nspname IN ('raw', 'pipeline', 'clean', 'marts') AND c.relkind IN ('r', 'v', 'p') "
                + "AND (has_table_privilege('analyst', c.oid, 'SELECT') <> (n.nspname IN ('clean', 'marts')) "
                + "OR has_table_privilege('analyst', c.oid, 'INSERT,UPDATE,DELETE,TRUNCATE'))", new Object[0]);
        assertEquals(List.of(), wrong);
        assertTrue(TestDb.count("SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                + "WHERE n.nspname = 'marts' AND has_table_privilege('analyst', c.oid, 'SELECT')") >= 13);
        // and for real, logged in as analyst (scripts/local-stack.sh gives it PG_ANALYST_PASSWORD)
        java.util.Properties login = new java.util.Properties();
        login.setProperty("user", "analyst");
        String password = System.getenv("PG_ANALYST_PASSWORD");
        login.setProperty("password", password == null || password.isBlank() ? "analyst-dev-password" : password);
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(io.ecompipeline.it.LocalServices.PG_URL, login);
             java.sql.Statement st = c.createStatement()) {
            st.executeQuery("SELECT count(*) FROM marts.campaign_daily_roi").close();
            st.executeQuery("SELECT count(*) FROM clean.campaign_touches").close();
            for (String denied : List.of("SELECT count(*) FROM raw.products", "SELECT count(*) FROM pipeline.dead_letters",
                    "DELETE FROM marts.inventory_health")) {
                java.sql.SQLException e = org.junit.jupiter.api.Assertions.assertThrows(java.sql.SQLException.class,
                        () -> st.execute(denied), denied);
                assertEquals("42501", e.getSQLState(), denied + ": " + e.getMessage());
            }
        }
    }

    private long lowStockAlerts() {
        synchronized (ALERTS) {
            return ALERTS.stream().filter(a -> "low-stock".equals(a.path("kind").asText())
                    && a.at("/details/product_id").asText().startsWith("P-W" + run + "-")).count();
        }
    }

    private Set<String> alertedPairs() {
        synchronized (ALERTS) {
            return ALERTS.stream().filter(a -> "low-stock".equals(a.path("kind").asText()))
                    .map(a -> a.at("/details/product_id").asText() + "/" + a.at("/details/warehouse_id").asText())
                    .filter(k -> k.startsWith("P-W" + run + "-")).collect(Collectors.toSet());
        }
    }

    private void runJobs() throws Exception {
        for (String job : List.of("transform", "catalog", "gold")) {
            JobRun r = run(jobs, job);
            assertEquals(RunStatus.SUCCEEDED, r.status(), () -> job + ": " + r);
        }
    }

    /** Our rows of every table the jobs build, without the run time (inventory health is "as of" the run). */
    private Map<String, List<Map<String, Object>>> snapshotTables() {
        Map<String, List<Map<String, Object>>> s = new LinkedHashMap<>();
        s.put("history", TestDb.rows("SELECT * FROM marts.product_history WHERE product_id LIKE ? ORDER BY 1, 2", "P-W" + run + "-%"));
        s.put("margin", TestDb.rows("SELECT * FROM marts.daily_product_margin WHERE product_id LIKE ? ORDER BY 1, 2, 3",
                "P-W" + run + "-%"));
        s.put("health", TestDb.rows("SELECT * FROM marts.inventory_health WHERE product_id LIKE ? ORDER BY 1, 2", "P-W" + run + "-%"));
        s.get("health").forEach(r -> r.remove("as_of"));
        s.put("attribution", TestDb.rows("SELECT * FROM marts.campaign_attributions WHERE campaign_id LIKE ? ORDER BY 1",
                "CMP-W" + run + "-%"));
        s.put("roi", TestDb.rows("SELECT * FROM marts.campaign_daily_roi WHERE campaign_id LIKE ? ORDER BY 1, 2", "CMP-W" + run + "-%"));
        return s;
    }

    // --- the independent computation ------------------------------------------------------------------------------------

    private static Version validAt(List<Version> versions, String product, Instant t) {
        Version valid = null;
        for (Version v : versions.stream().filter(v -> v.product().equals(product)).sorted(Comparator.comparing(Version::at)).toList()) {
            if (!v.at().isAfter(t)) {
                valid = v;
            }
        }
        return valid;
    }

    /**
     * The FX rates of the fixture's days: what raw.fx_rates holds for them (the sample rates; the test's own rates
     * {@link Fx#TEST} are added where a day has none), read once and used by the computation below.
     */
    private Fx rates(List<Event> events) {
        Set<LocalDate> days = events.stream().map(e -> e.at().atOffset(ZoneOffset.UTC).toLocalDate())
                .collect(Collectors.toCollection(java.util.TreeSet::new));
        Fx.TEST.insert(days);
        Fx fx = Fx.testRates();
        for (Map<String, Object> r : TestDb.rows("SELECT rate_date, currency, units_per_eur::text AS units FROM raw.fx_rates "
                + "WHERE rate_date = ANY (?::date[]) AND currency IN ('USD', 'GBP')",
                days.stream().map(LocalDate::toString).collect(Collectors.joining(",", "{", "}")))) {
            fx.on(((java.sql.Date) r.get("rate_date")).toLocalDate(), (String) r.get("currency"), (String) r.get("units"));
        }
        assertEquals(0, TestDb.count("SELECT count(*) FROM raw.fx_rates WHERE rate_date = ? AND currency = ?", day, NO_RATE),
                NO_RATE + " must have no rate");
        return fx;
    }

    /**
     * Per product of the day, in the reporting currency: a sale converted at its day's rate (cents), its units costed at
     * the version valid at its time, the cost converted from the version's currency (cents per sale); a sale or cost
     * without a rate counted, not summed, and no margin then. Ranks against every product of the day in the table.
     */
    private Map<String, Map<String, Object>> expectedMargins(List<Version> versions, List<Event> events, Fx fx) {
        // paid units, refunded units, revenue, refunds, cogs, unconverted sales, uncosted units, unconverted cost units
        Map<String, BigDecimal[]> sums = new TreeMap<>();
        Map<String, String> category = new HashMap<>();
        for (Event e : events) {
            boolean refund = e.type().equals("REFUND");
            if (e.product() == null || !(e.paid() || refund) || !e.at().atOffset(ZoneOffset.UTC).toLocalDate().equals(day)) {
                continue;
            }
            Version v = validAt(versions, e.product(), e.at());
            BigDecimal[] s = sums.computeIfAbsent(e.product(), k -> {
                BigDecimal[] zeros = new BigDecimal[8];
                java.util.Arrays.fill(zeros, BigDecimal.ZERO);
                return zeros;
            });
            BigDecimal units = BigDecimal.valueOf(e.quantity());
            s[refund ? 1 : 0] = s[refund ? 1 : 0].add(units);
            BigDecimal amount = fx.convert(day, e.currency(), e.amount());
            BigDecimal costRate = v == null || v.cost() == null ? null : fx.rate(day, v.currency());
            if (amount == null) {
                s[5] = s[5].add(BigDecimal.ONE);
            } else {
                s[refund ? 3 : 2] = s[refund ? 3 : 2].add(amount);
            }
            if (v == null || v.cost() == null) {
                s[6] = s[6].add(units);
            } else if (costRate == null) {
                s[7] = s[7].add(units);
            } else if (amount != null) {
                BigDecimal cost = units.multiply(v.cost()).multiply(costRate).setScale(2, RoundingMode.HALF_UP);
                s[4] = refund ? s[4].subtract(cost) : s[4].add(cost);
            }
            category.merge(e.product(), v.category(), (a, b) -> a.compareTo(b) >= 0 ? a : b);
        }
        Map<String, BigDecimal> net = new HashMap<>();
        Map<String, BigDecimal> margin = new HashMap<>();
        sums.forEach((p, s) -> {
            net.put(p, s[2].subtract(s[3]));
            if (s[5].signum() == 0 && s[6].signum() == 0 && s[7].signum() == 0) {
                margin.put(p, s[2].subtract(s[3]).subtract(s[4]));
            }
        });
        // the day's other products (other tests' or runs') as stored: ranks are within the whole day
        List<BigDecimal> dayNets = new ArrayList<>(net.values());
        List<BigDecimal> dayMargins = new ArrayList<>(margin.values());
        for (Map<String, Object> r : TestDb.rows("SELECT net_revenue, gross_margin FROM marts.daily_product_margin "
                + "WHERE revenue_date = ? AND product_id NOT LIKE ?", day, "P-W" + run + "-%")) {
            dayNets.add((BigDecimal) r.get("net_revenue"));
            if (r.get("gross_margin") != null) {
                dayMargins.add((BigDecimal) r.get("gross_margin"));
            }
        }
        Map<String, Map<String, Object>> out = new TreeMap<>();
        sums.forEach((p, s) -> {
            BigDecimal m0 = margin.get(p);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("product_category", category.get(p));
            m.put("reporting_currency", Fx.REPORTING);
            m.put("paid_units", s[0].longValue());
            m.put("refunded_units", s[1].longValue());
            m.put("revenue", s[2]);
            m.put("refunds", s[3]);
            m.put("net_revenue", net.get(p));
            m.put("cost_of_goods", s[4]);
            m.put("unconverted_transactions", s[5].longValue());
            m.put("uncosted_units", s[6].longValue());
            m.put("unconverted_cost_units", s[7].longValue());
            m.put("gross_margin", m0);
            m.put("margin_pct", m0 == null || net.get(p).signum() == 0 ? null
                    : m0.multiply(BigDecimal.valueOf(100)).divide(net.get(p), 2, RoundingMode.HALF_UP));
            m.put("revenue_rank", 1L + dayNets.stream().filter(x -> x.compareTo(net.get(p)) > 0).count());
            m.put("margin_rank", m0 == null ? null : 1L + dayMargins.stream().filter(x -> x.compareTo(m0) > 0).count());
            out.put(p, normalise(m));
        });
        return out;
    }

    /** Last touch of the same customer at or before the paid purchase and less than the window before it. */
    private Map<UUID, String> expectedAttribution(List<Event> events) {
        Map<UUID, String> out = new HashMap<>();
        for (Event p : events) {
            if (!p.paid() || !p.at().atOffset(ZoneOffset.UTC).toLocalDate().equals(day)) {
                continue;
            }
            events.stream().filter(t -> t.campaign() != null && t.customer().equals(p.customer()) && !t.at().isAfter(p.at())
                            && t.at().isAfter(p.at().minus(WINDOW)))
                    .max(Comparator.comparing(Event::at)).ifPresent(t -> out.put(p.id(), t.campaign()));
        }
        return out;
    }

    /**
     * Per campaign of the day, in the reporting currency: each spend report converted from the campaign's currency
     * (cents), each attributed sale from its own; without a rate, spend is null and a sale is counted, not summed; ROAS
     * only when both are complete.
     */
    private Map<String, Map<String, Object>> expectedRoi(List<Event> events, Map<UUID, String> attribution, List<Spend> spend,
                                                         Map<String, String> campaignCurrency, Fx fx) {
        Map<String, Map<String, Object>> out = new TreeMap<>();
        for (String campaign : List.of(cmpA, cmpB, cmpC)) {
            List<Spend> reports = spend.stream().filter(s -> s.campaign().equals(campaign) && s.day().equals(day)).toList();
            BigDecimal spentOriginal = reports.stream().map(Spend::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
            BigDecimal spent = fx.rate(day, campaignCurrency.get(campaign)) == null ? null : reports.stream()
                    .map(s -> fx.convert(day, campaignCurrency.get(campaign), s.amount())).reduce(BigDecimal.ZERO, BigDecimal::add);
            Set<String> sessions = events.stream().filter(t -> campaign.equals(t.campaign())
                    && t.at().atOffset(ZoneOffset.UTC).toLocalDate().equals(day)).map(Event::session).collect(Collectors.toSet());
            List<Event> orders = events.stream().filter(p -> campaign.equals(attribution.get(p.id()))).toList();
            long converted = sessions.stream().filter(s -> orders.stream().anyMatch(o -> o.session().equals(s))).count();
            BigDecimal revenue = orders.stream().map(o -> fx.convert(day, o.currency(), o.amount())).filter(a -> a != null)
                    .reduce(BigDecimal.ZERO, BigDecimal::add);
            long unconverted = orders.stream().filter(o -> fx.rate(day, o.currency()) == null).count();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("campaign_currency", campaignCurrency.get(campaign));
            m.put("reporting_currency", Fx.REPORTING);
            m.put("spend_in_campaign_currency", spentOriginal);
            m.put("spend", spent);
            m.put("sessions", (long) sessions.size());
            m.put("converted_sessions", converted);
            m.put("conversion_rate", sessions.isEmpty() ? null
                    : BigDecimal.valueOf(converted).divide(BigDecimal.valueOf(sessions.size()), 4, RoundingMode.HALF_UP));
            m.put("attributed_orders", (long) orders.size());
            m.put("attributed_revenue", revenue);
            m.put("unconverted_orders", unconverted);
            m.put("roas", spent == null || spent.signum() == 0 || unconverted > 0 ? null
                    : revenue.divide(spent, 4, RoundingMode.HALF_UP));
            m.put("cost_per_order", spent == null || orders.isEmpty() ? null
                    : spent.divide(BigDecimal.valueOf(orders.size()), 2, RoundingMode.HALF_UP));
            out.put(campaign, normalise(m));
        }
        return out;
    }

    private Map<String, Map<String, Object>> expectedHealth(List<Snapshot> snapshots, List<Event> events, Instant now) {
        int velocityDays = 28;
        Map<String, Snapshot> latest = new TreeMap<>();
        snapshots.forEach(s -> latest.merge(s.product() + "/" + s.warehouse(), s, (a, b) -> a.at().isAfter(b.at()) ? a : b));
        Map<String, Integer> productAvailable = new HashMap<>();
        latest.values().forEach(s -> productAvailable.merge(s.product(), s.onHand() - s.reserved(), Integer::sum));
        Map<String, Map<String, Object>> out = new TreeMap<>();
        latest.forEach((key, s) -> {
            long sold = events.stream().filter(e -> e.paid() && s.product().equals(e.product())
                    && e.at().isAfter(now.minus(Duration.ofDays(velocityDays)))).mapToLong(Event::quantity).sum();
            Instant lastSale = events.stream().filter(e -> e.paid() && s.product().equals(e.product())).map(Event::at)
                    .max(Comparator.naturalOrder()).orElse(null);
            int available = s.onHand() - s.reserved();
            BigDecimal cover = sold == 0 ? null : BigDecimal.valueOf((long) productAvailable.get(s.product()) * velocityDays)
                    .divide(BigDecimal.valueOf(sold), 2, RoundingMode.HALF_UP);
            boolean out0 = available <= 0;
            boolean low = available <= s.reorderPoint() || (cover != null && cover.compareTo(BigDecimal.valueOf(7)) < 0);
            boolean over = cover != null && cover.compareTo(BigDecimal.valueOf(90)) > 0;
            boolean dead = s.onHand() > 0 && (lastSale == null || lastSale.isBefore(now.minus(Duration.ofDays(30))));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("available", (long) available);
            m.put("units_sold", sold);
            m.put("days_of_cover", cover);
            m.put("is_out_of_stock", out0);
            m.put("is_low_stock", low);
            m.put("is_overstock", over);
            m.put("is_dead_stock", dead);
            m.put("stock_status", out0 ? "out_of_stock" : low ? "low_stock" : dead ? "dead_stock" : over ? "overstock" : "ok");
            out.put(key, normalise(m));
        });
        return out;
    }

    /** Numbers compared by value (BigDecimal without trailing zeros, integers as long), the rest as they are. */
    private static Map<String, Object> normalise(Map<String, Object> row) {
        Map<String, Object> out = new LinkedHashMap<>();
        row.forEach((k, v) -> out.put(k, v instanceof BigDecimal d ? d.stripTrailingZeros().toPlainString()
                : v instanceof Integer || v instanceof Long || v instanceof Short ? ((Number) v).longValue()
                : v instanceof Double d ? BigDecimal.valueOf(d).stripTrailingZeros().toPlainString() : v));
        return out;
    }

    // --- the fixture, as raw rows ---------------------------------------------------------------------------------------

    private static final String ORIGIN = ", ?, 0, 0, ?::uuid";

    private void insertProducts(List<Version> versions) {
        for (Version v : versions) {
            ObjectNode p = JSON.createObjectNode().put("product_id", v.product()).put("title", "Item " + v.product())
                    .put("category", v.category()).put("price", v.price()).put("cost", v.cost()).put("currency", v.currency())
                    .put("updated_at", v.at().toString());
            TestDb.execute("INSERT INTO raw.products (product_id, title, category, price, cost, currency, updated_at, payload, "
                    + "source_topic, source_partition, source_offset, run_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?::jsonb" + ORIGIN + ")",
                    v.product(), "Item " + v.product(), v.category(), v.price(), v.cost(), v.currency(), Timestamp.from(v.at()),
                    p.toString(), "it-warehouse", UUID.randomUUID().toString());
        }
    }

    private void insertEvents(List<Event> events) {
        for (Event e : events) {
            ObjectNode payload = JSON.createObjectNode().put("event_id", e.id().toString()).put("event_type", e.type())
                    .put("event_time", e.at().toString()).put("session_id", e.session());
            if (e.campaign() != null) {
                payload.put("campaign_id", e.campaign()).put("utm_source", "google").put("utm_medium", "cpc");
            }
            TestDb.execute("INSERT INTO raw.events (event_id, event_type, event_time, source, session_id, customer_id, customer_email, "
                    + "customer_country, product_id, product_category, product_price, product_currency, transaction_id, amount, "
                    + "quantity, currency, payment_method, payment_status, payload, kafka_topic, kafka_partition, kafka_offset, "
                    + "ingested_at, run_id) VALUES (?::uuid, ?, ?, 'web', ?, ?, 'x@example.com', 'DE', ?, 'any', ?, ?, ?, ?, ?, ?, "
                    + "'CARD', ?, ?::jsonb, 'it-warehouse', 0, 0, ?, ?::uuid)",
                    e.id().toString(), e.type(), Timestamp.from(e.at()), e.session(), e.customer(), e.product(),
                    e.amount() == null ? null : e.amount().divide(BigDecimal.valueOf(e.quantity()), 2, RoundingMode.HALF_UP),
                    e.product() == null ? null : e.currency(), e.amount() == null ? null : "T-" + e.id(), e.amount(),
                    e.amount() == null ? null : e.quantity(), e.currency(), e.status(), payload.toString(),
                    Timestamp.from(e.at().plusSeconds(5)), UUID.randomUUID().toString());
        }
    }

    private void insertSnapshots(List<Snapshot> snapshots) {
        for (Snapshot s : snapshots) {
            TestDb.execute("INSERT INTO raw.inventory_snapshots (product_id, warehouse_id, on_hand, reserved, reorder_point, "
                    + "unit_cost, currency, snapshot_time, payload, source_topic, source_partition, source_offset, run_id) "
                    + "VALUES (?, ?, ?, ?, ?, NULL, NULL, ?, '{}'::jsonb" + ORIGIN + ")", s.product(), s.warehouse(), s.onHand(),
                    s.reserved(), s.reorderPoint(), Timestamp.from(s.at()), "it-warehouse", UUID.randomUUID().toString());
        }
    }

    private void insertCampaigns(Map<String, String> campaigns, List<Spend> spend) {
        for (Map.Entry<String, String> c : new TreeMap<>(campaigns).entrySet()) {
            TestDb.execute("INSERT INTO raw.campaigns (campaign_id, name, channel, currency, budget, start_date, end_date, updated_at, "
                    + "payload, source_topic, source_partition, source_offset, run_id) VALUES (?, ?, 'search', ?, 1000, ?, NULL, ?, "
                    + "'{}'::jsonb" + ORIGIN + ")", c.getKey(), "Campaign " + c.getKey(), c.getValue(), day.minusDays(10),
                    Timestamp.from(at(day.minusDays(10), 0)), "it-warehouse", UUID.randomUUID().toString());
        }
        for (Spend s : spend) {
            TestDb.execute("INSERT INTO raw.campaign_spend (campaign_id, spend_date, channel, amount, reported_at, payload, "
                    + "source_topic, source_partition, source_offset, run_id) VALUES (?, ?, ?, ?, ?, '{}'::jsonb" + ORIGIN + ")",
                    s.campaign(), s.day(), s.channel(), s.amount(), Timestamp.from(at(s.day(), 23)), "it-warehouse",
                    UUID.randomUUID().toString());
        }
    }
}
