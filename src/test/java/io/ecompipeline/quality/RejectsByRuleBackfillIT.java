package io.ecompipeline.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ecompipeline.it.FreshDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * V151's backfill of {@code pipeline.ingest_batches.rejects_by_rule}, against real PostgreSQL: a database at V150 gets
 * the audit rows and dead letters the runtime wrote before the column (a batch, its re-read after a crash, an isolated
 * batch over two partitions whose letters were written before its audit row, a batch without dead letters, another
 * source at the same offsets), then migrates; each batch holds exactly the rule counts worked out here by hand.
 */
class RejectsByRuleBackfillIT {

    private static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");

    private FreshDatabase db;

    @BeforeEach
    void database() {
        db = new FreshDatabase("backfill", "150");
    }

    @AfterEach
    void drop() {
        db.close();
    }

    @Test
    void everyOldBatchCountsTheDeadLettersItWroteByRule() throws Exception {
        long first = batch("events", "{\"t/0\": [0, 9]}", 0, 1, 3);
        long reRead = batch("events", "{\"t/0\": [0, 9]}", 10, 11, 3);
        long isolated = batch("events", "{\"t/0\": [10, 19], \"t/1\": [0, 4]}", 20, 30, 2);
        long clean = batch("events", "{\"t/0\": [20, 29]}", 40, 41, 0);
        long products = batch("products", "{\"t/0\": [0, 9]}", 50, 51, 1);

        // written in the first batch's transaction (first_failed_at = its now() = its finished_at)
        letter("events", 0, 1, 1, "[{\"rule\": \"a\"}, {\"rule\": \"a\"}, {\"rule\": \"b\"}]");
        letter("events", 0, 2, 1, "[{\"rule\": \"b\"}]");
        letter("events", 0, 3, 1, "[{\"rule\": \"c\", \"field\": \"x\"}]");
        // the isolated batch wrote each letter in a transaction of its own, before its audit row
        letter("events", 0, 12, 24, "[{\"rule\": \"a\"}]");
        letter("events", 1, 3, 27, "[{\"field\": \"no rule\"}, {\"rule\": \"processing.persist_failed\"}]");
        // another source's letter at an offset the events batches also cover
        letter("products", 0, 5, 51, "[{\"rule\": \"schema.required\"}]");

        db.migrateToLatest();

        assertEquals(Map.of("a", 1L, "b", 2L, "c", 1L), rules(first));
        assertEquals(Map.of(), rules(reRead), "a re-read batch found its letters already stored");
        assertEquals(Map.of("a", 1L, "processing.persist_failed", 1L, "unknown", 1L), rules(isolated));
        assertEquals(Map.of(), rules(clean));
        assertEquals(Map.of("schema.required", 1L), rules(products));
    }

    private long batch(String source, String offsets, int startedSecond, int finishedSecond, int deadLettered) {
        db.execute("INSERT INTO pipeline.ingest_batches (run_id, source, received, inserted, duplicates, dead_lettered, "
                + "offsets, started_at, finished_at) VALUES (gen_random_uuid(), ?, 10, ?, 0, ?, ?::jsonb, ?, ?)",
                source, 10 - deadLettered, deadLettered, offsets, at(startedSecond), at(finishedSecond));
        return db.count("SELECT max(id) FROM pipeline.ingest_batches");
    }

    private void letter(String source, int partition, long offset, int failedSecond, String reasons) {
        db.execute("INSERT INTO pipeline.dead_letters (source, source_topic, source_partition, source_offset, payload, "
                + "error_class, reasons, first_failed_at, last_failed_at, run_id) VALUES (?, 't', ?, ?, '\\x7b7d'::bytea, "
                + "'invalid', ?::jsonb, ?, ?, gen_random_uuid())", source, partition, offset, reasons, at(failedSecond),
                at(failedSecond));
    }

    private Map<String, Long> rules(long batch) throws Exception {
        try (var c = db.dataSource().getConnection();
             var st = c.prepareStatement("SELECT rejects_by_rule::text FROM pipeline.ingest_batches WHERE id = ?")) {
            st.setLong(1, batch);
            try (var rs = st.executeQuery()) {
                rs.next();
                Map<String, Long> rules = new TreeMap<>();
                JsonNode counts = new ObjectMapper().readTree(rs.getString(1));
                counts.fields().forEachRemaining(e -> rules.put(e.getKey(), e.getValue().asLong()));
                return rules;
            }
        }
    }

    private static Timestamp at(int second) {
        return Timestamp.from(T0.plusSeconds(second));
    }
}
