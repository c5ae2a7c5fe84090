package io.ecompipeline.deadletter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ecompipeline.contract.Violation;
import io.ecompipeline.it.FreshDatabase;
import io.ecompipeline.persist.SourceRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The dead-letter summary read from the tallies the store's triggers keep (V150), against real PostgreSQL: after
 * every kind of change (new letters, a replay of them, park, discard, made due, new reasons on a failed redelivery,
 * an update that changes nothing counted, delete, truncate), and with two writers and a compaction running at once,
 * the summary equals the counts computed here, in Java, from the stored rows themselves.
 */
class DeadLetterTalliesIT {

    private static final List<String> RULES = List.of("schema.required", "schema.type", "rule.amount_positive",
            "storage.out_of_range");

    private final ObjectMapper json = new ObjectMapper();
    private FreshDatabase db;
    private DeadLetterStore store;
    private DeadLetterQueries queries;

    @BeforeEach
    void database() {
        db = new FreshDatabase("tallies");
        store = new DeadLetterStore(json, UUID.randomUUID(), Duration.ofMinutes(15));
        queries = new DeadLetterQueries(db.dataSource(), json);
    }

    @AfterEach
    void drop() {
        db.close();
    }

    @Test
    void theSummaryFollowsEveryChangeOfTheStore() throws Exception {
        List<NewDeadLetter> letters = letters("tallies", 0, 300);
        assertEquals(300, add(letters));
        assertSummaryMatchesStore();

        // a replay of the same records (a re-read after a crash) stores nothing and counts nothing
        assertEquals(0, add(letters.subList(100, 200)));
        assertSummaryMatchesStore();

        List<Long> ids = ids();
        for (long id : ids.subList(0, 40)) {
            assertTrue(queries.park(id, "test"));
        }
        for (long id : ids.subList(40, 60)) {
            assertTrue(queries.discard(id, "test"));
        }
        assertSummaryMatchesStore();

        // ten parked entries get another attempt, five waiting ones are made due: fifteen due now
        assertEquals(15, queries.makeDue(new ArrayList<>(ids.subList(0, 10))).size()
                + queries.makeDue(new ArrayList<>(ids.subList(100, 105))).size());
        Map<String, Object> summary = assertSummaryMatchesStore();
        assertEquals(15L, summary.get("dueNow"));

        // a failed redelivery stores the reasons of its attempt (here: other rules) or the same ones again
        db.execute("UPDATE pipeline.dead_letters SET reasons = '[{\"rule\":\"rule.currency_known\",\"field\":\"currency\","
                + "\"message\":\"m\"},{\"rule\":\"rule.currency_known\",\"field\":\"x\",\"message\":\"m\"}]', "
                + "error_class = 'invalid' WHERE id = ANY(?)", (Object) ids.subList(150, 170).toArray(Long[]::new));
        db.execute("UPDATE pipeline.dead_letters SET attempts = attempts + 1, reasons = reasons WHERE id = ANY(?)",
                (Object) ids.subList(170, 250).toArray(Long[]::new));
        db.execute("UPDATE pipeline.dead_letters SET status = 'recovered', resolved_at = now() WHERE id = ANY(?)",
                (Object) ids.subList(250, 260).toArray(Long[]::new));
        assertSummaryMatchesStore();

        db.execute("DELETE FROM pipeline.dead_letters WHERE id = ANY(?)", (Object) ids.subList(30, 80).toArray(Long[]::new));
        assertSummaryMatchesStore();

        long deltas = db.count("SELECT count(*) FROM pipeline.dead_letter_tallies");
        assertEquals(deltas, queries.compactTallies());
        long keys = db.count("SELECT count(*) FROM (SELECT DISTINCT status, error_class, rule FROM pipeline.dead_letter_tallies) k");
        assertEquals(keys, db.count("SELECT count(*) FROM pipeline.dead_letter_tallies"), "one row per key after compaction");
        assertTrue(keys < deltas, keys + " keys, " + deltas + " deltas");
        assertSummaryMatchesStore();

        db.execute("TRUNCATE pipeline.dead_letters CASCADE");
        summary = assertSummaryMatchesStore();
        assertEquals(Map.of("waiting", 0L, "recovered", 0L, "parked", 0L, "discarded", 0L), summary.get("byStatus"));
        add(letters("tallies", 1000, 7));
        assertSummaryMatchesStore();
    }

    @Test
    void twoWritersAndACompactionAtOnceLoseNothing() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(3);
        AtomicBoolean writing = new AtomicBoolean(true);
        try {
            List<Future<Integer>> writers = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                String topic = "writer-" + w;
                writers.add(pool.submit(() -> {
                    int stored = 0;
                    for (int batch = 0; batch < 40; batch++) {
                        stored += add(letters(topic, batch * 25, 25));
                    }
                    return stored;
                }));
            }
            Future<Integer> compactions = pool.submit(() -> {
                int runs = 0;
                while (writing.get()) {
                    queries.compactTallies();
                    runs++;
                }
                return runs;
            });
            assertEquals(1000, writers.get(0).get(2, TimeUnit.MINUTES));
            assertEquals(1000, writers.get(1).get(2, TimeUnit.MINUTES));
            writing.set(false);
            assertTrue(compactions.get(1, TimeUnit.MINUTES) > 0);
        } finally {
            writing.set(false);
            pool.shutdownNow();
        }
        Map<String, Object> summary = assertSummaryMatchesStore();
        assertEquals(2000L, ((Map<?, ?>) summary.get("byStatus")).get("waiting"));
    }

    /** Records of {@code topic} at offsets from {@code first}: one to three violations each, a rule sometimes twice. */
    private static List<NewDeadLetter> letters(String topic, int first, int count) {
        List<NewDeadLetter> letters = new ArrayList<>();
        for (int i = first; i < first + count; i++) {
            List<Violation> reasons = new ArrayList<>();
            for (int v = 0; v <= i % 3; v++) {
                reasons.add(new Violation(RULES.get((i + v * (i % 2 + 1)) % RULES.size()), "f" + v, "message " + i));
            }
            if (i % 7 == 0) {
                reasons.add(new Violation(reasons.get(0).rule(), "other", "the same rule again"));
            }
            String errorClass = i % 5 == 0 ? NewDeadLetter.MALFORMED : NewDeadLetter.INVALID;
            letters.add(new NewDeadLetter("events", new SourceRecord(topic, i % 3, i, ("{\"n\":" + i + "}").getBytes()),
                    UUID.randomUUID().toString(), errorClass, reasons));
        }
        return letters;
    }

    private int add(List<NewDeadLetter> letters) throws SQLException {
        try (Connection c = db.dataSource().getConnection()) {
            return store.add(c, letters);
        }
    }

    private List<Long> ids() throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT id FROM pipeline.dead_letters ORDER BY id")) {
            while (rs.next()) {
                ids.add(rs.getLong(1));
            }
        }
        return ids;
    }

    /** Compares the summary with counts made here from every stored row; returns the summary. */
    private Map<String, Object> assertSummaryMatchesStore() throws Exception {
        Map<String, Long> byStatus = new TreeMap<>(Map.of("waiting", 0L, "recovered", 0L, "parked", 0L, "discarded", 0L));
        Map<String, Long> byErrorClass = new TreeMap<>();
        Map<String, Long> byRule = new TreeMap<>();
        Instant oldestWaiting = null;
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT status, error_class, reasons::text, first_failed_at FROM pipeline.dead_letters")) {
            while (rs.next()) {
                String status = rs.getString(1);
                byStatus.merge(status, 1L, Long::sum);
                if (status.equals("waiting") && (oldestWaiting == null || rs.getTimestamp(4).toInstant().isBefore(oldestWaiting))) {
                    oldestWaiting = rs.getTimestamp(4).toInstant();
                }
                if (!status.equals("waiting") && !status.equals("parked")) {
                    continue;
                }
                byErrorClass.merge(rs.getString(2), 1L, Long::sum);
                Set<String> rules = new HashSet<>();
                for (JsonNode reason : json.readTree(rs.getString(3))) {
                    rules.add(reason.path("rule").asText("unknown"));
                }
                rules.forEach(rule -> byRule.merge(rule, 1L, Long::sum));
            }
        }
        Map<String, Object> summary = queries.summary();
        assertEquals(byStatus, new TreeMap<>((Map<?, ?>) summary.get("byStatus")), "by status");
        assertEquals(byErrorClass, new TreeMap<>((Map<?, ?>) summary.get("byErrorClass")), "by error class");
        assertEquals(byRule, new TreeMap<>((Map<?, ?>) summary.get("byRule")), "by rule");
        assertEquals(oldestWaiting == null ? null : oldestWaiting.toString(), summary.get("oldestWaitingAt"), "oldest waiting");
        return summary;
    }
}
