package io.ecompipeline.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ecompipeline.contract.Violation;
import io.ecompipeline.db.TransientDatabaseException;
import io.ecompipeline.deadletter.DeadLetterStore;
import io.ecompipeline.deadletter.NewDeadLetter;
import io.ecompipeline.generate.EventGenerator;
import io.ecompipeline.it.TestDb;
import io.ecompipeline.persist.RawEventRow;
import io.ecompipeline.persist.RawEventWriter;
import io.ecompipeline.persist.SourceRecord;
import io.ecompipeline.wiring.Wiring;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.support.DefaultExchange;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.apache.camel.test.main.junit5.Configure;
import org.junit.jupiter.api.Test;

/**
 * The ingest route of the real configuration (camel-main, real PostgreSQL) with the Kafka consumer replaced by a
 * direct endpoint: placement of a batch, the in-line retries and Camel's dead-letter channel placing a batch record
 * by record, and a database outage failing the batch so that its offsets would stay uncommitted.
 */
@CamelMainTest(replaceRouteFromWith = "ingest-events=direct:ingest-events",
               properties = {
                       "camel.server.port=18765",
                       "camel.server.authenticationEnabled=false",
                       "camel.management.enabled=false",
                       "pipeline.db.password={{env:PG_PASSWORD:ecom}}",
                       "pipeline.db.url={{env:PG_URL:jdbc:postgresql://127.0.0.1:5432/ecom}}",
                       "pipeline.ingest.retries=3",
                       "pipeline.ingest.retry-delay-ms=10",
                       "pipeline.reload.enabled=false",
                       "camel.main.routes-include-pattern=classpath:routes/error-handling.yaml,classpath:routes/ingest.yaml"})
class IngestRouteIT {

    @Configure
    protected void configure(MainConfigurationProperties configuration) {
        Wiring.addTo(configuration);
    }

    private static final String TOPIC = "route-it-" + Long.toString(System.nanoTime(), 36);
    private static final AtomicInteger OFFSETS = new AtomicInteger();

    @org.apache.camel.BeanInject
    CamelContext context;

    @org.apache.camel.BeanInject
    ProducerTemplate template;

    private Exchange batch(List<byte[]> values) {
        List<Exchange> records = new ArrayList<>();
        for (byte[] value : values) {
            Exchange record = new DefaultExchange(context);
            record.getMessage().setBody(value);
            record.getMessage().setHeader(KafkaConstants.TOPIC, TOPIC);
            record.getMessage().setHeader(KafkaConstants.PARTITION, 0);
            record.getMessage().setHeader(KafkaConstants.OFFSET, (long) OFFSETS.getAndIncrement());
            records.add(record);
        }
        Exchange batch = new DefaultExchange(context);
        batch.getMessage().setBody(records);
        return batch;
    }

    private static List<byte[]> events(int valid, int invalid) {
        EventGenerator gen = new EventGenerator(System.nanoTime(), 0, 0, 50, 10, Clock.systemUTC());
        List<byte[]> values = new ArrayList<>();
        for (int i = 0; i < valid; i++) {
            values.add(gen.valid("PURCHASE").value());
        }
        for (int i = 0; i < invalid; i++) {
            values.add(gen.withDefect(EventGenerator.Defect.values()[i % EventGenerator.Defect.values().length]).value());
        }
        values.add("{not json".getBytes(StandardCharsets.UTF_8));
        return values;
    }

    @Test
    void aBatchIsPlacedInOneGoAndAudited() {
        List<byte[]> values = events(30, 10);
        NotifyBuilder done = new NotifyBuilder(context).fromRoute("ingest-events").whenDone(1).create();
        long rowsBefore = TestDb.rows(TOPIC);
        long deadBefore = TestDb.deadLetters(TOPIC);
        Exchange result = template.send("direct:ingest-events", batch(values));
        assertTrue(done.matchesWaitTime());
        assertEquals(null, result.getException());
        BatchOutcome outcome = result.getProperty(IngestBatchProcessor.OUTCOME_PROPERTY, BatchOutcome.class);
        assertNotNull(outcome);
        assertEquals(values.size(), outcome.received());
        assertEquals(30, outcome.inserted());
        assertEquals(11, outcome.deadLettered());
        assertEquals(30, TestDb.rows(TOPIC) - rowsBefore);
        assertEquals(11, TestDb.deadLetters(TOPIC) - deadBefore);
    }

    @Test
    void aBatchThatKeepsFailingIsPlacedRecordByRecordThroughTheDeadLetterChannel() throws Exception {
        // a transient failure (a lost serialization race) is retried in-line, then the batch goes record by record
        AtomicInteger attempts = new AtomicInteger();
        AdviceWith.adviceWith(context, "ingest-events", a -> a.weaveAddFirst().process(exchange -> {
            attempts.incrementAndGet();
            throw TransientDatabaseException.classify(new SQLException("simulated: could not serialize access", "40001"));
        }));
        List<byte[]> values = events(20, 5);
        long rowsBefore = TestDb.rows(TOPIC);
        Exchange result = template.send("direct:ingest-events", batch(values));
        assertEquals(null, result.getException(), "the dead-letter channel handled it");
        assertEquals(4, attempts.get(), "the first try and three in-line retries");
        BatchOutcome outcome = result.getProperty(IngestBatchProcessor.OUTCOME_PROPERTY, BatchOutcome.class);
        assertTrue(outcome.isolated(), outcome.toString());
        assertEquals(20, outcome.inserted());
        assertEquals(20, TestDb.rows(TOPIC) - rowsBefore);
        assertTrue(TestDb.count("SELECT count(*) FROM pipeline.ingest_batches WHERE isolated AND offsets::text LIKE ?",
                "%" + TOPIC + "/%") >= 1);
    }

    @Test
    void aBatchRefusedForAReasonThatWouldRecurIsPlacedRecordByRecordWithoutRetries() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        AdviceWith.adviceWith(context, "ingest-events", a -> a.weaveAddFirst().process(exchange -> {
            attempts.incrementAndGet();
            throw TransientDatabaseException.classify(new SQLException("simulated: batch refused", "XX000"));
        }));
        List<byte[]> values = events(10, 2);
        long rowsBefore = TestDb.rows(TOPIC);
        Exchange result = template.send("direct:ingest-events", batch(values));
        assertEquals(null, result.getException(), "the dead-letter channel handled it");
        assertEquals(1, attempts.get(), "no in-line retry for a failure that is not transient");
        BatchOutcome outcome = result.getProperty(IngestBatchProcessor.OUTCOME_PROPERTY, BatchOutcome.class);
        assertTrue(outcome.isolated(), outcome.toString());
        assertEquals(10, TestDb.rows(TOPIC) - rowsBefore);
    }

    @Test
    void aDatabaseOutageFailsTheBatchSoItsOffsetsStayUncommitted() throws Exception {
        AdviceWith.adviceWith(context, "ingest-events", a -> a.weaveAddFirst().process(exchange -> {
            throw new SQLException("simulated: connection refused", "08001");
        }));
        List<byte[]> values = events(10, 2);
        long rowsBefore = TestDb.rows(TOPIC);
        long deadBefore = TestDb.deadLetters(TOPIC);
        Exchange result = template.send("direct:ingest-events", batch(values));
        assertNotNull(result.getException(), "the batch fails: the Kafka consumer must not commit it");
        assertEquals(rowsBefore, TestDb.rows(TOPIC));
        assertEquals(deadBefore, TestDb.deadLetters(TOPIC), "an outage does not flood the dead-letter store");
    }

    @Test
    void writersOnAnAutoCommitConnectionKeepWhatTheyWriteIncludingReplays() throws Exception {
        // isolate() stores a record's processing dead letter on a plain (auto-commit) connection; a replay there goes
        // through the ON COMMIT DELETE ROWS staging table, which must not be emptied before the merge reads it
        DeadLetterStore store = context.getRegistry().lookupByNameAndType("deadLetterStore", DeadLetterStore.class);
        DataSource dataSource = context.getRegistry().lookupByNameAndType("dataSource", DataSource.class);
        String topic = "autocommit-it-" + Long.toString(System.nanoTime(), 36);
        List<Violation> reasons = List.of(new Violation("processing.persist_failed", "$", "simulated"));
        NewDeadLetter first = new NewDeadLetter(new SourceRecord(topic, 0, 1, "{}".getBytes(StandardCharsets.UTF_8)),
                null, NewDeadLetter.PROCESSING, reasons);
        NewDeadLetter second = new NewDeadLetter(new SourceRecord(topic, 0, 2, "{}".getBytes(StandardCharsets.UTF_8)),
                null, NewDeadLetter.PROCESSING, reasons);

        EventGenerator gen = new EventGenerator(System.nanoTime(), 0, 0, 50, 10, Clock.systemUTC());
        ObjectMapper json = new ObjectMapper();
        List<RawEventRow> rows = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            byte[] value = gen.valid("PURCHASE").value();
            rows.add(RawEventRow.of(json.readTree(value), new SourceRecord(topic, 1, i, value)));
        }
        RawEventWriter writer = new RawEventWriter(UUID.randomUUID());

        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            assertEquals(1, store.add(c, List.of(first)), "direct path");
            assertEquals(1, store.add(c, List.of(first, second)), "replay path: only the new one is new");
            assertEquals(0, store.add(c, List.of(first, second)), "all replayed");
            assertEquals(1, writer.write(c, rows.subList(0, 1)), "direct path");
            assertEquals(2, writer.write(c, rows), "replay path: only the new ones are new");
            assertTrue(c.getAutoCommit(), "the connection is handed back as it came");
        }
        assertEquals(2, TestDb.deadLetters(topic), "both dead letters are stored, once each");
        assertEquals(3, TestDb.rows(topic), "all three rows are stored, once each");
    }
}
