package io.ecompipeline.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.math.BigDecimal;
import java.sql.Array;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import io.ecompipeline.it.TestDb;
import io.ecompipeline.it.TestEs;
import io.ecompipeline.jobs.JobRegistry;
import io.ecompipeline.jobs.JobRun;

/** Assertions shared by the transformation ITs: tables and documents against Expected, snapshots, run records. */
final class TransformTestSupport {

    /** The alias the runtime writes to: ES_INDEX as the runtime reads it (a checkout may use its own). */
    static final String INDEX = System.getenv().getOrDefault("ES_INDEX", "hourly_metrics");

    private TransformTestSupport() {
    }

    static JobRun run(JobRegistry jobs, String type) throws Exception {
        return jobs.runNow(type, "test");
    }

    /** A run read from the run table, for polling. */
    static JobRun find(JobRegistry jobs, String id) {
        try {
            return jobs.get(id).orElseThrow();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static OffsetDateTime utc(Instant i) {
        return i.atOffset(ZoneOffset.UTC);
    }

    static Instant start(LocalDate day) {
        return day.atStartOfDay().toInstant(ZoneOffset.UTC);
    }

    static Map<String, Object> runRecord(String runId) {
        List<Map<String, Object>> rows = TestDb.rows("SELECT * FROM pipeline.job_runs WHERE run_id = ?", runId);
        assertEquals(1, rows.size(), "one run record for " + runId);
        return rows.get(0);
    }

    /** The hours a run recorded as recomputed, limited to [from, to) (other tests' hours are none of ours). */
    static Set<Instant> recordedHours(String runId, Instant from, Instant to) {
        Object hours = runRecord(runId).get("hours");
        Set<Instant> out = new TreeSet<>();
        if (hours == null) {
            return out;
        }
        try {
            Object[] values = (Object[]) ((Array) hours).getArray();
            for (Object v : values) {
                Instant i = Expected.instant(v);
                if (!i.isBefore(from) && i.isBefore(to)) {
                    out.add(i);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    static long pendingHours(Instant from, Instant to) {
        return TestDb.count("SELECT count(DISTINCT event_hour) FROM pipeline.transform_pending_hours "
                + "WHERE event_hour >= ? AND event_hour < ?",
                utc(from), utc(to));
    }

    static long esPendingHours(Instant from, Instant to) {
        return TestDb.count("SELECT count(*) FROM pipeline.es_pending_hours WHERE event_hour >= ? AND event_hour < ?", utc(from), utc(to));
    }

    // ------------------------------------------------------------------------------------------------ table slices
    static List<Map<String, Object>> hourlyRows(Instant from, Instant to) {
        return TestDb.rows("SELECT * FROM marts.hourly_metrics WHERE event_hour >= ? AND event_hour < ? ORDER BY event_hour",
                utc(from), utc(to));
    }

    /** Every derived row of [from, to): clean rows, hourly metrics, windows, daily revenue (whole days). */
    static Map<String, List<Map<String, Object>>> snapshot(Instant from, Instant to) {
        Map<String, List<Map<String, Object>>> s = new LinkedHashMap<>();
        s.put("transactions_clean", TestDb.rows("SELECT * FROM clean.transactions WHERE event_time >= ? AND event_time < ? "
                + "ORDER BY event_id", utc(from), utc(to)));
        s.put("clean_events", TestDb.rows("SELECT * FROM clean.events WHERE event_time >= ? AND event_time < ? "
                + "ORDER BY event_id", utc(from), utc(to)));
        s.put("hourly_metrics", hourlyRows(from, to));
        s.put("daily_metrics", TestDb.rows("SELECT * FROM marts.daily_metrics WHERE event_date >= ? AND event_date < ? "
                + "ORDER BY event_date", LocalDate.ofInstant(from, ZoneOffset.UTC), LocalDate.ofInstant(to, ZoneOffset.UTC)));
        s.put("daily_funnel", TestDb.rows("SELECT * FROM marts.daily_funnel WHERE funnel_date >= ? AND funnel_date < ? "
                + "ORDER BY funnel_date, source COLLATE \"C\", product_category COLLATE \"C\"",
                LocalDate.ofInstant(from, ZoneOffset.UTC), LocalDate.ofInstant(to, ZoneOffset.UTC)));
        s.put("window_orders_by_category", TestDb.rows("SELECT * FROM marts.window_orders_by_category WHERE window_start >= ? "
                + "AND window_start < ? ORDER BY window_start, product_category COLLATE \"C\"", utc(from), utc(to)));
        s.put("window_payment_methods", TestDb.rows("SELECT * FROM marts.window_payment_methods WHERE window_start >= ? "
                + "AND window_start < ? ORDER BY window_start, payment_method COLLATE \"C\"", utc(from), utc(to)));
        s.put("window_country_revenue", TestDb.rows("SELECT * FROM marts.window_country_revenue WHERE window_start >= ? "
                + "AND window_start < ? ORDER BY window_start, customer_country COLLATE \"C\", currency COLLATE \"C\"",
                utc(from), utc(to)));
        s.put("daily_revenue", TestDb.rows("SELECT * FROM marts.daily_revenue WHERE revenue_date >= ? AND revenue_date < ? "
                + "ORDER BY revenue_date, currency COLLATE \"C\"", LocalDate.ofInstant(from, ZoneOffset.UTC),
                LocalDate.ofInstant(to, ZoneOffset.UTC)));
        s.put("daily_product_performance", TestDb.rows("SELECT * FROM marts.daily_product_performance WHERE revenue_date >= ? "
                + "AND revenue_date < ? ORDER BY revenue_date, product_id COLLATE \"C\"",
                LocalDate.ofInstant(from, ZoneOffset.UTC), LocalDate.ofInstant(to, ZoneOffset.UTC)));
        return s;
    }

    /** The rows of a snapshot whose time column falls in one of {@code hours}. */
    static Map<String, List<Map<String, Object>>> onlyHours(Map<String, List<Map<String, Object>>> snapshot, Collection<Instant> hours) {
        Map<String, List<Map<String, Object>>> out = new LinkedHashMap<>();
        snapshot.forEach((table, rows) -> {
            String column = switch (table) {
                case "transactions_clean", "clean_events" -> "event_time";
                case "hourly_metrics" -> "event_hour";
                case "daily_revenue", "daily_product_performance", "daily_metrics", "daily_funnel" -> null;
                default -> "window_start";
            };
            if (column != null) {
                out.put(table, rows.stream().filter(r -> hours.contains(
                        Expected.instant(r.get(column)).truncatedTo(java.time.temporal.ChronoUnit.HOURS))).toList());
            }
        });
        return out;
    }

    // ------------------------------------------------------------------------------------------------ expectations
    /** Every derived table of [from, to) equals what Java computes from {@code events} (all events of that range). */
    static void assertTablesMatch(List<TxEvent> events, Instant from, Instant to) {
        assertTablesMatch(events, from, to, Fx.TEST);
    }

    static void assertTablesMatch(List<TxEvent> events, Instant from, Instant to, Fx fx) {
        List<TxEvent> inRange = events.stream().filter(e -> !e.eventTime().isBefore(from) && e.eventTime().isBefore(to)).toList();
        Map<String, List<Map<String, Object>>> s = snapshot(from, to);

        // clean layer: every event, and exactly the transactions with their derived fields and converted amounts
        Map<String, String> expectedEvents = new java.util.TreeMap<>();
        for (TxEvent e : inRange) {
            expectedEvents.put(e.eventId().toString(), e.eventType() + " " + e.hour() + " " + e.day() + " " + e.late() + " "
                    + e.sessionId());
        }
        Map<String, String> actualEvents = new java.util.TreeMap<>();
        for (Map<String, Object> r : s.get("clean_events")) {
            actualEvents.put(r.get("event_id").toString(), r.get("event_type") + " " + Expected.instant(r.get("event_hour")) + " "
                    + ((java.sql.Date) r.get("event_date")).toLocalDate() + " " + r.get("is_late") + " " + r.get("session_id"));
        }
        assertEquals(expectedEvents, actualEvents, "clean.events");

        Map<String, String> expectedClean = new java.util.TreeMap<>();
        for (TxEvent e : inRange) {
            if (e.transaction()) {
                BigDecimal converted = fx.convert(e.day(), e.currency(), e.amount());
                String signed = converted == null ? null : Expected.dec(e.refund() ? converted.negate() : e.paidPurchase() ? converted
                        : BigDecimal.ZERO);
                expectedClean.put(e.eventId().toString(), e.hour() + " " + e.day() + " "
                        + Expected.dec(BigDecimal.valueOf(e.latency().toMillis(), 3)) + " " + e.late() + " " + Expected.dec(e.amount())
                        + " " + (converted != null) + " " + signed);
            }
        }
        Map<String, String> actualClean = new java.util.TreeMap<>();
        for (Map<String, Object> r : s.get("transactions_clean")) {
            actualClean.put(r.get("event_id").toString(), Expected.instant(r.get("event_hour")) + " "
                    + ((java.sql.Date) r.get("event_date")).toLocalDate() + " " + Expected.dec((BigDecimal) r.get("latency_seconds"))
                    + " " + r.get("is_late") + " " + Expected.dec((BigDecimal) r.get("amount")) + " " + r.get("is_converted") + " "
                    + Expected.dec(r.get("net_amount_reporting")));
        }
        assertEquals(expectedClean, actualClean, "clean.transactions");

        assertEquals(Expected.hourly(inRange, fx), Expected.hourlyFrom(s.get("hourly_metrics")), "hourly_metrics");
        assertEquals(Expected.daily(inRange, fx), Expected.dailyMetricsFrom(s.get("daily_metrics")), "daily_metrics");
        assertEquals(Expected.funnel(inRange), Expected.funnelFrom(s.get("daily_funnel")), "daily_funnel");
        assertEquals(Expected.categoryWindows(inRange, fx), Expected.categoryWindowsFrom(s.get("window_orders_by_category")),
                "window_orders_by_category");
        assertEquals(Expected.paymentWindows(inRange, fx), Expected.paymentWindowsFrom(s.get("window_payment_methods")),
                "window_payment_methods");
        assertEquals(Expected.countryWindows(inRange), Expected.countryWindowsFrom(s.get("window_country_revenue")),
                "window_country_revenue");
        assertEquals(Expected.daily(inRange), Expected.dailyFrom(s.get("daily_revenue")), "daily_revenue");
    }

    /**
     * The gold tables after a gold run: product performance of the days in [from, to), and the customer-level tables
     * of the customers whose ids start with {@code prefix} (a test's own customers, all of whose events are in
     * {@code events}).
     */
    static void assertGoldMatch(List<TxEvent> events, Instant from, Instant to, String prefix) {
        assertGoldMatch(events, from, to, prefix, Fx.TEST);
    }

    static void assertGoldMatch(List<TxEvent> events, Instant from, Instant to, String prefix, Fx fx) {
        List<TxEvent> inRange = events.stream().filter(e -> !e.eventTime().isBefore(from) && e.eventTime().isBefore(to)).toList();
        assertEquals(Expected.products(inRange, fx), Expected.productsFrom(snapshot(from, to).get("daily_product_performance")),
                "daily_product_performance");
        assertEquals(Expected.tierHistory(events), Expected.tierHistoryFrom(TestDb.rows("SELECT * FROM marts.customer_tier_history "
                + "WHERE customer_id LIKE ? ORDER BY customer_id COLLATE \"C\", valid_from", prefix + "%")), "customer_tier_history");
        assertEquals(Expected.rfm(events, fx), Expected.rfmFrom(TestDb.rows("SELECT * FROM marts.customer_rfm WHERE customer_id LIKE ? "
                + "ORDER BY customer_id COLLATE \"C\"", prefix + "%")), "customer_rfm");
        // segments are relative to every customer in the database; what holds for any population: scores in 1..5,
        // and among our customers a later last order never has a lower recency score
        List<Map<String, Object>> segments = TestDb.rows("SELECT s.*, f.last_order_at FROM marts.customer_rfm_segments s "
                + "JOIN marts.customer_rfm f USING (customer_id) WHERE customer_id LIKE ? ORDER BY f.last_order_at, customer_id",
                prefix + "%");
        assertEquals(Expected.rfm(events, fx).size(), segments.size(), "customer_rfm_segments");
        int previousR = 0;
        for (Map<String, Object> row : segments) {
            int r = ((Number) row.get("r_score")).intValue();
            for (String score : List.of("r_score", "f_score", "m_score")) {
                int v = ((Number) row.get(score)).intValue();
                org.junit.jupiter.api.Assertions.assertTrue(v >= 1 && v <= 5, score + " of " + row);
            }
            org.junit.jupiter.api.Assertions.assertTrue(r >= previousR, "recency score order at " + row);
            assertNotNull(row.get("segment"));
            previousR = r;
        }
    }

    /**
     * Elasticsearch holds exactly one document per hour of Java's figures in [from, to), and each document is its
     * hourly_metrics row, field by field (the rows themselves are checked against Java by {@link #assertTablesMatch}).
     */
    static void assertDocumentsMatch(TestEs es, List<TxEvent> events, Instant from, Instant to) {
        assertDocumentsMatch(es, events, from, to, Fx.TEST);
    }

    static void assertDocumentsMatch(TestEs es, List<TxEvent> events, Instant from, Instant to, Fx fx) {
        Map<Instant, Expected.Metrics> expected = Expected.hourly(events.stream()
                .filter(e -> !e.eventTime().isBefore(from) && e.eventTime().isBefore(to)).toList(), fx);
        Map<Instant, Map<String, Object>> rows = new java.util.TreeMap<>();
        hourlyRows(from, to).forEach(r -> rows.put(Expected.instant(r.get("event_hour")), r));
        assertEquals(expected.keySet(), rows.keySet(), "hours with a row");
        for (Map.Entry<Instant, Map<String, Object>> row : rows.entrySet()) {
            TestEs.Doc doc = es.get(INDEX, row.getKey().toString());
            assertNotNull(doc, "document " + row.getKey());
            assertDocumentIsRow(row.getValue(), doc.source());
        }
        assertEquals(expected.size(), es.count(INDEX, from, to), "documents in " + from + " .. " + to);
    }

    /** One document against its hourly_metrics row: the same fields, each with the row's value. */
    static void assertDocumentIsRow(Map<String, Object> row, Map<String, Object> source) {
        String where = "document " + row.get("event_hour") + ": " + source;
        assertEquals(row.keySet(), source.keySet(), where);
        for (Map.Entry<String, Object> column : row.entrySet()) {
            Object value = column.getValue();
            Object field = source.get(column.getKey());
            if (value == null) {
                assertNull(field, column.getKey() + " of " + where);
            } else if (value instanceof java.sql.Timestamp ts) {
                assertEquals(ts.toInstant().toString(), field, column.getKey() + " of " + where);
            } else if (value instanceof Number n) {
                assertNotNull(field, column.getKey() + " of " + where);
                assertEquals(new BigDecimal(n.toString()).doubleValue(), ((Number) field).doubleValue(), 1e-9,
                        column.getKey() + " of " + where);
            } else {
                assertEquals(value, field, column.getKey() + " of " + where);
            }
        }
    }

    /** The document of one hour against Java's figures for it and against its row. */
    static void assertDocument(Instant hour, Expected.Metrics expected, Map<String, Object> source) {
        List<Map<String, Object>> rows = hourlyRows(hour, hour.plusSeconds(3600));
        assertEquals(1, rows.size(), "row of " + hour);
        assertEquals(expected, Expected.metricsFrom(rows.get(0)), "row of " + hour);
        assertDocumentIsRow(rows.get(0), source);
    }

    static void assertNoDocument(TestEs es, Instant hour) {
        assertNull(es.get(INDEX, hour.toString()), "no document for " + hour);
    }

    static Set<Instant> hoursOf(Collection<TxEvent> events) {
        return events.stream().map(TxEvent::hour).collect(Collectors.toCollection(TreeSet::new));
    }

    static Set<Instant> set(Instant... hours) {
        return new TreeSet<>(Arrays.asList(hours));
    }
}
