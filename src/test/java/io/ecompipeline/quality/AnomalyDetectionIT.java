package io.ecompipeline.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import io.ecompipeline.it.FreshDatabase;
import io.ecompipeline.observe.Alerts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The anomaly detector against real PostgreSQL (a database of its own: the detector reads whole tables). A synthetic
 * week of hourly history with small deterministic noise (every hour of the day sees the values 97..103 over the
 * week): planted spikes are flagged at exactly their hour and metric, every other hour is not; a flat week flags
 * nothing; the last hour's anomaly opens its alert and its correction resolves it.
 */
class AnomalyDetectionIT {

    /** "Now": the detector evaluates 06:00-11:00 UTC of the 15th against 7 days of history. */
    private static final Instant NOW = Instant.parse("2026-06-15T12:20:00Z");
    private static final Instant DATA_FROM = Instant.parse("2026-06-08T00:00:00Z");
    private static final Instant LAST_HOUR = Instant.parse("2026-06-15T11:00:00Z");
    private static final Instant VOLUME_SPIKE = Instant.parse("2026-06-15T09:00:00Z");
    private static final Instant DEAD_LETTER_SPIKE = Instant.parse("2026-06-15T08:00:00Z");
    private static final Instant REVENUE_SPIKE = Instant.parse("2026-06-15T10:00:00Z");
    private static final String RULE = "schema.required";

    /** The same noise everywhere: -3..3 from the hour's index, shifting by one per day for a given hour of the day. */
    private static final String NOISE = "((extract(EPOCH FROM h)::bigint / 3600 * 5) % 7 - 3)";

    private FreshDatabase db;
    private Alerts alerts;
    private AnomalyDetector detector;

    @BeforeEach
    void history() {
        db = new FreshDatabase("anomaly");
        alerts = new Alerts(null, false, db.dataSource());
        detector = new AnomalyDetector(db.dataSource(), new AnomalyDetector.Settings(7, 4, 3.5, 0.2, Duration.ofHours(6), 20),
                alerts, Clock.fixed(NOW, ZoneOffset.UTC));
        Timestamp from = Timestamp.from(DATA_FROM);
        Timestamp to = Timestamp.from(LAST_HOUR);
        // records received per arrival hour: 97..103; dead-lettered for the rule: 5 of them (a rate of ~0.05)
        db.execute("INSERT INTO pipeline.ingest_batches (run_id, received, inserted, duplicates, dead_lettered, offsets, "
                + "rejects_by_rule, started_at, finished_at) SELECT gen_random_uuid(), 100 + " + NOISE + ", 95 + " + NOISE
                + ", 0, 5, '{}', jsonb_build_object(?::text, 5), h + interval '10 minutes', h + interval '10 minutes' "
                + "FROM generate_series(?, ?, interval '1 hour') AS h", RULE, from, to);
        // event-time marts: 50 transactions (2-4 late), 40 sessions (8-10 converted), net revenue 970..1030
        db.execute("INSERT INTO marts.hourly_metrics (event_hour, total_transactions, total_amount, late_transactions, "
                + "late_ratio, reporting_currency, orders, paid_orders, pending_orders, failed_orders, refund_transactions, "
                + "unconverted_transactions, gross_revenue, refunds, net_revenue, sessions, session_events, bounced_sessions, "
                + "converted_sessions, session_duration_seconds, conversion_rate) "
                + "SELECT h, 50, n, l, l / 50.0, 'EUR', 50, 50, 0, 0, 0, 0, n, 0, n, 40, 120, 10, cs, 4000, cs / 40.0 "
                + "FROM (SELECT h, 1000 + 10 * " + NOISE + " AS n, 3 + " + NOISE + " / 3 AS l, 9 + " + NOISE + " / 3 AS cs "
                + "FROM generate_series(?, ?, interval '1 hour') AS h) AS x", from, to);
    }

    @AfterEach
    void drop() {
        db.close();
    }

    @Test
    void plantedSpikesAreFlaggedAtExactlyTheirHourAndTheLastHourAlerts() throws Exception {
        // the volume spike brings its usual share of dead letters: only the volume is unusual in that hour
        db.execute("UPDATE pipeline.ingest_batches SET received = 1000, inserted = 950, dead_lettered = 50, "
                + "rejects_by_rule = jsonb_build_object(?::text, 50) WHERE finished_at = ?", RULE,
                Timestamp.from(VOLUME_SPIKE.plusSeconds(600)));
        // the same volume as usual, 40 of it dead-lettered for the rule instead of 5
        db.execute("UPDATE pipeline.ingest_batches SET inserted = inserted - 35, dead_lettered = 40, "
                + "rejects_by_rule = jsonb_build_object(?::text, 40) WHERE finished_at = ?", RULE,
                Timestamp.from(DEAD_LETTER_SPIKE.plusSeconds(600)));
        db.execute("UPDATE marts.hourly_metrics SET net_revenue = 10000, gross_revenue = 10000, total_amount = 10000 "
                + "WHERE event_hour = ?", Timestamp.from(REVENUE_SPIKE));
        db.execute("UPDATE marts.hourly_metrics SET late_transactions = 45, late_ratio = 0.9 WHERE event_hour = ?",
                Timestamp.from(LAST_HOUR));

        List<AnomalyDetector.Verdict> verdicts = detector.detect();

        assertEquals(Set.of("volume@" + VOLUME_SPIKE, "dead_letter_rate:" + RULE + "@" + DEAD_LETTER_SPIKE,
                "net_revenue@" + REVENUE_SPIKE, "late_ratio@" + LAST_HOUR), flagged(verdicts));
        // every metric was judged in each of the 6 hours: 5 metrics (one dead-letter rule) x 6 hours
        assertEquals(30, verdicts.stream().filter(v -> v.score() != null).count(), verdicts.toString());
        assertEquals(4, db.count("SELECT count(*) FROM pipeline.quality_anomalies WHERE is_anomaly"));
        assertEquals(30, db.count("SELECT count(*) FROM pipeline.quality_anomalies"));
        // only the last hour alerts: its late ratio
        assertEquals(Set.of("anomaly/late_ratio"), openAlerts());

        // the late data of the last hour turns out normal: the re-evaluation clears it and resolves the alert
        db.execute("UPDATE marts.hourly_metrics SET late_transactions = 3, late_ratio = 0.06 WHERE event_hour = ?",
                Timestamp.from(LAST_HOUR));
        List<AnomalyDetector.Verdict> again = detector.detect();
        assertEquals(Set.of("volume@" + VOLUME_SPIKE, "dead_letter_rate:" + RULE + "@" + DEAD_LETTER_SPIKE,
                "net_revenue@" + REVENUE_SPIKE), flagged(again));
        assertEquals(Set.of(), openAlerts());
        assertEquals(1, db.count("SELECT count(*) FROM pipeline.alerts WHERE kind = 'anomaly' AND cause = 'late_ratio' "
                + "AND resolved_at IS NOT NULL"));
        assertEquals(3, db.count("SELECT count(*) FROM pipeline.quality_anomalies WHERE is_anomaly"));
    }

    @Test
    void aFlatHistoryFlagsNothing() throws Exception {
        List<AnomalyDetector.Verdict> verdicts = detector.detect();

        assertEquals(Set.of(), flagged(verdicts));
        assertEquals(30, verdicts.stream().filter(v -> v.score() != null).count(), verdicts.toString());
        for (AnomalyDetector.Verdict v : verdicts) {
            assertTrue(v.score().z() != null && Math.abs(v.score().z()) < 3.5, v.toString());
        }
        assertEquals(Set.of(), openAlerts());
        assertEquals(0, db.count("SELECT count(*) FROM pipeline.alerts"));
    }

    @Test
    void hoursBeforeTheDataStartedAreNotJudged() throws Exception {
        // only two days of history left: fewer than the four the settings ask for
        db.execute("DELETE FROM pipeline.ingest_batches WHERE finished_at < ?", Timestamp.from(NOW.minus(Duration.ofDays(2))));
        List<AnomalyDetector.Verdict> volume = detector.detect().stream().filter(v -> v.metric().equals("volume")).toList();
        assertEquals(6, volume.size());
        assertTrue(volume.stream().allMatch(v -> v.score() == null && !v.anomaly()), volume.toString());
        assertFalse(volume.stream().anyMatch(v -> v.value() == null), volume.toString());
    }

    private static Set<String> flagged(List<AnomalyDetector.Verdict> verdicts) {
        return verdicts.stream().filter(AnomalyDetector.Verdict::anomaly).map(v -> v.key() + "@" + v.hour())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private Set<String> openAlerts() {
        return alerts.open().stream().map(a -> a.kind() + "/" + a.cause()).collect(Collectors.toCollection(TreeSet::new));
    }
}
