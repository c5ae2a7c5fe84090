package io.ecompipeline.transform;

import static io.ecompipeline.transform.TransformTestSupport.INDEX;
import static io.ecompipeline.transform.TransformTestSupport.assertDocumentIsRow;
import static io.ecompipeline.transform.TransformTestSupport.assertDocumentsMatch;
import static io.ecompipeline.transform.TransformTestSupport.assertGoldMatch;
import static io.ecompipeline.transform.TransformTestSupport.assertTablesMatch;
import static io.ecompipeline.transform.TransformTestSupport.recordedHours;
import static io.ecompipeline.transform.TransformTestSupport.run;
import static io.ecompipeline.transform.TransformTestSupport.snapshot;
import static io.ecompipeline.transform.TransformTestSupport.start;
import static io.ecompipeline.transform.TransformTestSupport.utc;
import static io.ecompipeline.transform.TxEvents.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import io.ecompipeline.index.HourlyMetricsIndex;
import io.ecompipeline.it.TestDb;
import io.ecompipeline.it.TestEs;
import io.ecompipeline.jobs.JobRegistry;
import io.ecompipeline.jobs.JobRun;
import io.ecompipeline.jobs.RunStatus;
import io.ecompipeline.wiring.Wiring;
import org.apache.camel.BeanInject;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.apache.camel.test.main.junit5.Configure;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue 12's metrics against the real PostgreSQL and Elasticsearch: several currencies with day-specific rates, a
 * currency without a rate, refunds, paid, pending and failed purchases, sessions that cross an hour and a day
 * boundary, late events that reopen an old day and move a session's start. Every figure is computed in Java from the
 * events ({@link Expected}, {@link Fx}: the glossary's definitions, not the SQL), after the first run, after the late
 * events, and after a rebuild of every hour, which must equal the incremental result.
 */
@CamelMainTest(properties = {
        "camel.main.routes-include-pattern="
                + "classpath:routes/error-handling.yaml,classpath:routes/transform.yaml,classpath:routes/index.yaml",
        "camel.server.authenticationEnabled=false",
        "camel.management.enabled=false",
        "pipeline.transform.cron=0 0 0 1 1 ? 2099",
        "pipeline.gold.cron=0 0 0 1 1 ? 2099",
        "pipeline.index.cron=0 0 0 1 1 ? 2099"})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MetricsIT {

    private static final TestEs ES = new TestEs();

    @Configure
    protected void configure(MainConfigurationProperties configuration) {
        Wiring.addTo(configuration);
    }

    @BeanInject("jobRegistry")
    JobRegistry jobs;

    @BeanInject("qualityReport")
    io.ecompipeline.quality.QualityReport quality;

    @BeforeAll
    static void services() {
        TestDb.count("SELECT 1");
        ES.requireUp();
    }

    /** Events of one test: its own customers, products and sessions (ids carry the prefix). */
    private static final class Fixture {
        final String p;
        final Random random;
        final List<TxEvent> events = new ArrayList<>();

        Fixture(long seed) {
            this.p = "M" + seed + "-";
            this.random = new Random(seed);
        }

        /** An event arriving {@code lateBy} after it happened. */
        TxEvent add(String session, String source, String customer, String type, Instant t, Duration lateBy, String product,
                    String category, String currency, String status, String amount) {
            boolean tx = type.equals("PURCHASE") || type.equals("REFUND");
            TxEvent e = new TxEvent(UUID.randomUUID(), type, t, t.plus(lateBy), p + customer, "GOLD", "DE",
                    product == null ? null : p + product, category, tx ? "CARD" : null, tx ? status : null,
                    tx ? currency : null, tx ? new BigDecimal(amount) : null, tx ? 1 : null, source,
                    session == null ? null : p + session);
            events.add(e);
            return e;
        }

        TxEvent add(String session, String source, String customer, String type, Instant t, String product, String category) {
            return add(session, source, customer, type, t, Duration.ofSeconds(5), product, category, null, null, null);
        }

        TxEvent pay(String session, String source, String customer, String type, Instant t, String product, String category,
                    String currency, String status, String amount) {
            return add(session, source, customer, type, t, Duration.ofSeconds(5), product, category, currency, status, amount);
        }

        /** {@code n} random sessions starting in [from, from + span): funnels that stop anywhere, any currency. */
        void randomSessions(Instant from, Duration span, int n) {
            String[] sources = {"web", "ios", "android", null};
            String[] categories = {"electronics", "fashion", "home", "books"};
            String[] currencies = {"EUR", "EUR", "USD", "GBP", "PLN", Fx.NO_RATE_CURRENCY};
            String[] statuses = {"PAID", "PAID", "PAID", "PENDING", "FAILED"};
            for (int i = 0; i < n; i++) {
                String session = "R" + i;
                String source = sources[random.nextInt(sources.length)];
                String customer = "C" + random.nextInt(12);
                String currency = currencies[random.nextInt(currencies.length)];
                Instant t = from.plusMillis((long) (random.nextDouble() * span.toMillis()));
                int steps = 1 + random.nextInt(6);
                for (int s = 0; s < steps; s++) {
                    int productNo = random.nextInt(6);
                    String product = "P" + productNo;
                    String category = categories[productNo % categories.length];
                    double roll = random.nextDouble();
                    Duration late = random.nextInt(10) == 0 ? Duration.ofMinutes(3 + random.nextInt(300)) : Duration.ofSeconds(2);
                    String amount = BigDecimal.valueOf(100 + random.nextInt(20_000), 2).toPlainString();
                    if (roll < 0.45) {
                        boolean productPage = random.nextInt(5) != 0;
                        add(session, source, customer, "PAGE_VIEW", t, late, productPage ? product : null,
                                productPage ? category : null, null, null, null);
                    } else if (roll < 0.75) {
                        add(session, source, customer, "ADD_TO_CART", t, late, product, category, null, null, null);
                    } else if (roll < 0.93) {
                        add(session, source, customer, "PURCHASE", t, late, product, category, currency,
                                statuses[random.nextInt(statuses.length)], amount);
                    } else {
                        add(session, source, customer, "REFUND", t, late, product, category, currency, "REFUNDED", amount);
                    }
                    t = t.plusMillis(1_000 + random.nextInt(600_000));
                }
            }
        }
    }

    @Test
    void everyMetricEqualsAnIndependentComputationIncrementallyAndAfterARebuild() throws Exception {
        LocalDate day = TxEvents.unusedDay();
        LocalDate next = day.plusDays(1);
        Instant from = start(day);
        Instant to = start(day.plusDays(2));
        Fixture f = new Fixture(day.toEpochDay() * 7 + 1);
        Fx fx = Fx.testRates().on(day, "USD", "1.25").on(day, "GBP", "0.8").on(next, "USD", "1.6").on(next, "GBP", "0.5");
        fx.insert(List.of(day.minusDays(1), day, next, next.plusDays(1)));

        // S1: view, cart, paid purchase in USD
        f.add("S1", "web", "C2", "PAGE_VIEW", at(day, 10, 5, 0), "P1", "electronics");
        f.add("S1", "web", "C2", "ADD_TO_CART", at(day, 10, 7, 30), "P1", "electronics");
        f.pay("S1", "web", "C2", "PURCHASE", at(day, 10, 9, 10), "P1", "electronics", "USD", "PAID", "100.00");
        // S2 crosses 11:00: a page without a product, view, cart, a failed payment (cart abandoned)
        f.add("S2", "ios", "C1", "PAGE_VIEW", at(day, 10, 50, 0), null, null);
        f.add("S2", "ios", "C1", "PAGE_VIEW", at(day, 10, 58, 0), "P2", "fashion");
        f.add("S2", "ios", "C1", "ADD_TO_CART", at(day, 11, 3, 0), "P2", "fashion");
        f.pay("S2", "ios", "C1", "PURCHASE", at(day, 11, 5, 0), "P2", "fashion", "EUR", "FAILED", "40.00");
        // S3: a bounce
        f.add("S3", "web", "C5", "PAGE_VIEW", at(day, 12, 0, 0), "P3", "home");
        // S4 crosses midnight: counted on its first day, paid in GBP at the next day's rate
        f.add("S4", "android", "C3", "PAGE_VIEW", at(day, 23, 50, 0), "P4", "books");
        f.add("S4", "android", "C3", "ADD_TO_CART", at(day, 23, 55, 0), "P4", "books");
        f.pay("S4", "android", "C3", "PURCHASE", at(next, 0, 10, 0), "P4", "books", "GBP", "PAID", "30.00");
        // S5: pending and paid purchases and a refund in EUR
        f.pay("S5", "web", "C1", "PURCHASE", at(day, 13, 0, 0), "P2", "fashion", "EUR", "PENDING", "25.50");
        f.pay("S5", "web", "C1", "PURCHASE", at(day, 13, 10, 0), "P2", "fashion", "EUR", "PAID", "60.00");
        f.pay("S5", "web", "C1", "REFUND", at(day, 13, 30, 0), "P2", "fashion", "EUR", "REFUNDED", "20.00");
        // S6: a currency without a rate: counted, never summed
        f.add("S6", "web", "C4", "PAGE_VIEW", at(day, 14, 0, 0), "P1", "electronics");
        f.pay("S6", "web", "C4", "PURCHASE", at(day, 14, 2, 0), "P1", "electronics", Fx.NO_RATE_CURRENCY, "PAID", "1500.00");
        // no session: a refund in USD, and a purchase on the next day at that day's rate
        f.pay(null, "web", "C2", "REFUND", at(day, 15, 0, 0), "P1", "electronics", "USD", "REFUNDED", "10.00");
        f.pay(null, "web", "C2", "PURCHASE", at(next, 9, 0, 0), "P1", "electronics", "USD", "PAID", "80.00");
        f.randomSessions(at(day, 0, 30, 0), Duration.ofHours(40), 60);
        assertEquals(f.events.size(), TxEvents.insert(f.events));

        assertAllMatch(f, fx, from, to, runTransformAndGold());

        // --- late events: S1 gets an earlier first event (its start moves from 10:00 to 09:00), S4 a late cart on the
        //     next day, an old day a late paid purchase, and a new session starts
        List<TxEvent> late = new ArrayList<>();
        late.add(f.add("S1", "web", "C2", "PAGE_VIEW", at(day, 9, 58, 0), Duration.ofDays(2), "P1", "electronics", null, null, null));
        late.add(f.add("S4", "android", "C3", "ADD_TO_CART", at(next, 0, 20, 0), Duration.ofHours(3), "P4", "books", null, null,
                null));
        late.add(f.add(null, "web", "C1", "PURCHASE", at(day, 8, 30, 0), Duration.ofDays(2), "P2", "fashion", "EUR", "PAID", "12.34"));
        late.add(f.add("S7", "ios", "C5", "PAGE_VIEW", at(next, 18, 0, 0), Duration.ofMinutes(10), "P3", "home", null, null, null));
        assertEquals(late.size(), TxEvents.insert(late));
        JobRun second = runTransformAndGold();
        Set<Instant> recomputed = recordedHours(second.id(), from, to);
        for (Instant h : List.of(at(day, 8, 0, 0), at(day, 9, 0, 0), at(day, 10, 0, 0), at(day, 23, 0, 0), at(next, 0, 0, 0),
                at(next, 18, 0, 0))) {
            assertTrue(recomputed.contains(h), "hour " + h + " recomputed; recorded " + recomputed);
        }
        assertAllMatch(f, fx, from, to, second);
        Expected.Metrics sessionsOnly = Expected.hourly(f.events, fx).get(at(next, 18, 0, 0));
        assertEquals(0, sessionsOnly.total(), "S7's hour has a session and no transaction");
        assertEquals(1, sessionsOnly.sessions());
        assertNull(sessionsOnly.lateRatio());
        Expected.Session s1 = Expected.sessions(f.events).stream().filter(x -> x.sessionId().equals(f.p + "S1")).findFirst().orElseThrow();
        assertEquals(at(day, 9, 0, 0), s1.startHour(), "the late event moved S1's start");

        // --- a rebuild of every hour equals the incremental result
        Map<String, List<Map<String, Object>>> incremental = snapshot(from, to);
        List<Map<String, Object>> sessionsBefore = sessionRows(f);
        List<Map<String, Object>> customersBefore = customerRows(f);
        int requested = ((Number) TestDb.rows("SELECT pipeline.transform_request_hours(?, ?) AS n", utc(from), utc(to))
                .get(0).get("n")).intValue();
        assertEquals(f.events.stream().map(TxEvent::hour).distinct().count(), requested, "every hour with an event");
        runTransformAndGold();
        assertEquals(incremental, snapshot(from, to), "rebuild = incremental");
        assertEquals(sessionsBefore, sessionRows(f));
        assertEquals(customersBefore, customerRows(f));
        assertAllMatch(f, fx, from, to, null);

        assertTrends(f, fx, next);
    }

    @Test
    @SuppressWarnings("unchecked")
    void theQualityReportNamesRecentTransactionsWithoutARate() throws Exception {
        // yesterday (the check looks at the last 7 event days); the sample FX table has no ISK
        Instant t = Instant.now().minus(Duration.ofDays(1)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        LocalDate day = LocalDate.ofInstant(t, java.time.ZoneOffset.UTC);
        Fixture f = new Fixture(System.nanoTime());
        TxEvent isk = f.pay(null, "web", "C1", "PURCHASE", t, "P1", "electronics", Fx.NO_RATE_CURRENCY, "PAID", "990.00");
        TxEvents.insert(f.events);
        try {
            assertEquals(RunStatus.SUCCEEDED, run(jobs, "transform").status());
            Map<String, Object> check = fxCoverage();
            assertEquals("breach", check.get("status"), () -> "check: " + check);
            assertTrue(check.get("detail").toString().contains(Fx.NO_RATE_CURRENCY + " on " + day), () -> "check: " + check);
        } finally {
            TestDb.execute("DELETE FROM raw.events WHERE event_id = ?", isk.eventId());
            assertEquals(RunStatus.SUCCEEDED, run(jobs, "transform").status());
        }
        assertEquals(0, TestDb.count("SELECT count(*) FROM clean.transactions WHERE event_id = ?", isk.eventId()));
        Map<String, Object> after = fxCoverage();
        assertFalse(after.get("detail").toString().contains(Fx.NO_RATE_CURRENCY + " on " + day), () -> "check: " + after);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> fxCoverage() throws Exception {
        List<Map<String, Object>> checks = (List<Map<String, Object>>) quality.generate().get("checks");
        return checks.stream().filter(c -> "fx_coverage".equals(c.get("name"))).findFirst().orElseThrow();
    }

    @Test
    void aMappingChangeReindexesEveryHourFromPostgresAndSwapsTheAliasAtOnce() throws Exception {
        LocalDate day = TxEvents.unusedDay();
        Instant from = start(day);
        Instant to = start(day.plusDays(1));
        // the state an older release left behind: a plain index under the alias's name, with the old mapping and a
        // document PostgreSQL does not have
        if (ES.exists("/_alias/" + INDEX)) {
            JsonNode aliases = ES.json("GET", "/_alias/" + INDEX, null);
            aliases.fieldNames().forEachRemaining(index -> ES.json("DELETE", "/" + index, null));
        } else if (ES.exists("/" + INDEX)) {
            ES.json("DELETE", "/" + INDEX, null);
        }
        ES.json("PUT", "/" + INDEX, "{\"settings\":{\"number_of_replicas\":0},\"mappings\":{\"dynamic\":\"strict\",\"properties\":{"
                + "\"event_hour\":{\"type\":\"date\"},\"total_transactions\":{\"type\":\"integer\"},\"total_amount\":{\"type\":\"double\"},"
                + "\"late_transactions\":{\"type\":\"integer\"},\"late_ratio\":{\"type\":\"float\"}}}}");
        ES.json("PUT", "/" + INDEX + "/_doc/1999-01-01T00:00:00Z?refresh=true", "{\"event_hour\":\"1999-01-01T00:00:00Z\","
                + "\"total_transactions\":999,\"total_amount\":1.0,\"late_transactions\":0,\"late_ratio\":0.0}");

        Fixture f = new Fixture(day.toEpochDay() * 7 + 2);
        f.randomSessions(at(day, 6, 0, 0), Duration.ofHours(10), 20);
        TxEvents.insert(f.events);
        JobRun run = run(jobs, "transform");
        assertEquals(RunStatus.SUCCEEDED, run.status(), () -> "run: " + run);
        assertEquals("indexed", run.result().get("index_status"), () -> "result: " + run.result());

        String versioned = INDEX + "_v" + HourlyMetricsIndex.VERSION;
        JsonNode alias = ES.json("GET", "/_alias/" + INDEX, null);
        assertEquals(List.of(versioned), iterate(alias.fieldNames()), "the alias points to the current version only");
        assertNull(ES.get(INDEX, "1999-01-01T00:00:00Z"), "the old index went with the swap");
        // every row of the table is a document, field by field, and there is nothing else
        List<Map<String, Object>> rows = TestDb.rows("SELECT * FROM marts.hourly_metrics WHERE event_hour > ? ORDER BY event_hour",
                utc(Instant.EPOCH.minus(Duration.ofDays(365L * 1000))));
        for (Map<String, Object> row : rows) {
            TestEs.Doc doc = ES.get(INDEX, Expected.instant(row.get("event_hour")).toString());
            assertNotNull(doc, "document of " + row.get("event_hour"));
            assertDocumentIsRow(row, doc.source());
        }
        ES.json("POST", "/" + INDEX + "/_refresh", null);
        assertEquals(rows.size(), ES.json("GET", "/" + INDEX + "/_count", null).path("count").asLong());
        JsonNode mapping = ES.json("GET", "/" + versioned + "/_mapping", null).path(versioned).path("mappings");
        assertEquals(HourlyMetricsIndex.VERSION, mapping.path("_meta").path("version").asInt());
        assertEquals(new HashSet<>(TestDb.rows("SELECT column_name FROM information_schema.columns WHERE table_schema = ? "
                + "AND table_name = ?", "marts", "hourly_metrics").stream().map(r -> (String) r.get("column_name")).toList()),
                new HashSet<>(iterate(mapping.path("properties").fieldNames())), "one mapped field per column");
        assertDocumentsMatch(ES, f.events, from, to);
    }

    private JobRun runTransformAndGold() throws Exception {
        JobRun transform = run(jobs, "transform");
        assertEquals(RunStatus.SUCCEEDED, transform.status(), () -> "run: " + transform);
        assertEquals("indexed", transform.result().get("index_status"), () -> "result: " + transform.result());
        JobRun gold = run(jobs, "gold");
        assertEquals(RunStatus.SUCCEEDED, gold.status(), () -> "gold: " + gold);
        return transform;
    }

    private static void assertAllMatch(Fixture f, Fx fx, Instant from, Instant to, JobRun run) {
        assertTablesMatch(f.events, from, to, fx);
        assertEquals(Expected.sessions(f.events), Expected.sessionsFrom(sessionRows(f)), "clean.sessions");
        assertGoldMatch(f.events, from, to, f.p, fx);
        assertDocumentsMatch(ES, f.events, from, to, fx);
        // the named cases, spelled out (the generic comparison above covers them; these say what they mean)
        Map<Instant, Expected.Metrics> hourly = Expected.hourly(f.events, fx);
        assertTrue(hourly.values().stream().anyMatch(m -> m.unconverted() > 0), "a transaction without a rate");
        assertTrue(hourly.values().stream().anyMatch(m -> m.pendingOrders() > 0 && m.refundTransactions() > 0));
        assertTrue(hourly.values().stream().anyMatch(m -> m.failedOrders() > 0));
    }

    /** The trends view over marts.daily_metrics, its input, for {@code day}: changes, weekend, moving average. */
    private static void assertTrends(Fixture f, Fx fx, LocalDate day) {
        Map<LocalDate, Expected.Metrics> daily = Expected.daily(f.events, fx);
        List<Map<String, Object>> rows = TestDb.rows("SELECT * FROM marts.daily_revenue_trends WHERE event_date = ?", day);
        assertEquals(1, rows.size());
        Map<String, Object> t = rows.get(0);
        BigDecimal net = new BigDecimal(daily.get(day).net());
        BigDecimal prev = new BigDecimal(daily.get(day.minusDays(1)).net());
        assertEquals(Expected.dec(net), Expected.dec(t.get("net_revenue")));
        assertEquals(Expected.dec(prev), Expected.dec(t.get("prev_day_net_revenue")));
        assertEquals(Expected.dec(prev.signum() == 0 ? null : net.subtract(prev).multiply(BigDecimal.valueOf(100))
                .divide(prev.abs(), 4, RoundingMode.HALF_UP)), Expected.dec(t.get("dod_change_pct")));
        assertEquals(day.getDayOfWeek() == DayOfWeek.SATURDAY || day.getDayOfWeek() == DayOfWeek.SUNDAY, t.get("is_weekend"));
        BigDecimal week = BigDecimal.ZERO;
        for (Map<String, Object> r : TestDb.rows("SELECT net_revenue FROM marts.daily_metrics WHERE event_date BETWEEN ? AND ?",
                day.minusDays(6), day)) {
            week = week.add((BigDecimal) r.get("net_revenue"));
        }
        assertEquals(Expected.dec(week.divide(BigDecimal.valueOf(7), 4, RoundingMode.HALF_UP)), Expected.dec(t.get("net_revenue_7d_avg")));
        List<Map<String, Object>> lastWeek = TestDb.rows("SELECT net_revenue FROM marts.daily_metrics WHERE event_date = ?",
                day.minusDays(7));
        assertEquals(lastWeek.isEmpty() ? null : Expected.dec(lastWeek.get(0).get("net_revenue")),
                Expected.dec(t.get("prev_week_net_revenue")));
        assertFalse(t.containsKey("currency"), "one reporting currency, no per-currency rows");
    }

    private static List<Map<String, Object>> sessionRows(Fixture f) {
        return TestDb.rows("SELECT * FROM clean.sessions WHERE session_id LIKE ? ORDER BY session_id COLLATE \"C\"", f.p + "%");
    }

    private static List<Map<String, Object>> customerRows(Fixture f) {
        List<Map<String, Object>> rows = new ArrayList<>(TestDb.rows("SELECT * FROM marts.customer_tier_history "
                + "WHERE customer_id LIKE ? ORDER BY customer_id, valid_from", f.p + "%"));
        rows.addAll(TestDb.rows("SELECT * FROM marts.customer_rfm WHERE customer_id LIKE ? ORDER BY customer_id", f.p + "%"));
        return rows;
    }

    private static List<String> iterate(java.util.Iterator<String> names) {
        List<String> out = new ArrayList<>();
        names.forEachRemaining(out::add);
        return out;
    }
}
