/*
 * Ingest benchmark helpers: topics, the two ceilings (bare Kafka consumer, bare COPY), the pipeline watcher
 * (throughput, CPU, RSS) and the latency probe. Driven by scripts/bench.sh; each sub-command prints one line
 * "RESULT {json}" that bench/ingest/summarize.py turns into the table.
 *
 *   java -cp target/ecom-pipeline.jar bench/ingest/IngestBench.java <command> [--option value]...
 *
 *   create-topic  --topic T [--partitions 6]
 *   delete-topic  --topic T
 *   bare-consume  --topic T --expect N                    one KafkaConsumer, fresh group, does nothing with records
 *   copy-ceiling  --topic T --expect N --tag X            COPY of the same rows into scratch tables shaped like
 *                                                         raw.events / pipeline.dead_letters (rows prepared untimed)
 *   watch         --topic T --run-id R --expect N --pid P pipeline runtime: time until every record is placed
 *   wait-group    --group G [--members 1] [--timeout-s 120] until the group is Stable with that many members
 *   wait-committed --topic T --group G [--timeout-s 600]  until the group has committed every record of the topic
 *   latency       --topic T --group G --expect N [--since-file F | --skip-s 20] [--poll-ms 20]
 *   publish-poison --topic T --count N --poison K --seed S  N events: N-K valid ones and K records PostgreSQL cannot
 *                                                         store (scripts/bench-poison.sh), spread evenly
 *   migrate                                               Flyway migrations of the benchmark database
 *   cleanup       --topic T [--run-id R]...               DELETE the rows of a topic (raw.events, pipeline.dead_letters) and
 *                                                         the audit rows of the given runs
 *
 * Database settings come from PG_URL / PG_USER / PG_PASSWORD, Kafka from KAFKA_BOOTSTRAP_SERVERS.
 */

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import io.ecompipeline.contract.EventContract;
import io.ecompipeline.contract.ValidationResult;
import io.ecompipeline.db.CopyBuffer;
import io.ecompipeline.deadletter.DeadLetterStore;
import io.ecompipeline.deadletter.NewDeadLetter;
import io.ecompipeline.persist.SourceRecord;
import io.ecompipeline.persist.RawEventRow;
import io.ecompipeline.persist.StorageRules;
import io.ecompipeline.persist.UnstorableEventException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.ConsumerGroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.postgresql.PGConnection;

public class IngestBench {

    static Map<String, String> opts = new HashMap<>();

    public static void main(String[] args) throws Exception {
        String command = args[0];
        for (int i = 1; i + 1 < args.length; i += 2) {
            opts.put(args[i].substring(2), args[i + 1]);
        }
        switch (command) {
            case "create-topic" -> createTopic();
            case "delete-topic" -> deleteTopic();
            case "bare-consume" -> bareConsume();
            case "copy-ceiling" -> copyCeiling();
            case "watch" -> watch();
            case "wait-group" -> waitGroup();
            case "wait-committed" -> waitCommitted();
            case "latency" -> latency();
            case "cleanup" -> cleanup();
            case "publish-poison" -> publishPoison();
            case "migrate" -> migrate();
            default -> throw new IllegalArgumentException("unknown command " + command);
        }
    }

    /** The runtime's own migration (Flyway with its placeholders and the Java FX-sample migration). */
    static void migrate() {
        var db = new io.ecompipeline.config.PipelineSettings.Database(env("PG_URL", "jdbc:postgresql://127.0.0.1:5432/ecom"),
                env("PG_USER", "ecom"), env("PG_PASSWORD", ""), 2, java.time.Duration.ofSeconds(5), java.time.Duration.ofSeconds(5),
                "classpath:sql/migrations", "", "", "");
        try (var pool = io.ecompipeline.db.Database.createPool(db)) {
            io.ecompipeline.db.Database.migrate(pool, db);
        }
    }

    // ------------------------------------------------------------------------------------------------ plumbing

    static String opt(String name) {
        String v = opts.get(name);
        if (v == null) {
            throw new IllegalArgumentException("missing --" + name);
        }
        return v;
    }

    static String opt(String name, String fallback) {
        return opts.getOrDefault(name, fallback);
    }

    static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    static String bootstrap() {
        return env("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092");
    }

    static Admin admin() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        return Admin.create(p);
    }

    static Connection db() throws SQLException {
        return DriverManager.getConnection(env("PG_URL", "jdbc:postgresql://127.0.0.1:5432/ecom"),
                env("PG_USER", "ecom"), env("PG_PASSWORD", ""));
    }

    static void result(Map<String, Object> fields) {
        String json = fields.entrySet().stream().map(e -> "\"" + e.getKey() + "\":" + jsonValue(e.getValue()))
                .collect(Collectors.joining(",", "{", "}"));
        System.out.println("RESULT " + json);
    }

    static String jsonValue(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof Number n) {
            if (v instanceof Double d) {
                return String.format(Locale.ROOT, "%.4f", d);
            }
            return n.toString();
        }
        return "\"" + v.toString().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    static void log(String fmt, Object... args) {
        System.err.printf(Locale.ROOT, "[bench] " + fmt + "%n", args);
    }

    static Map<TopicPartition, Long> endOffsets(Admin admin, String topic) throws Exception {
        var desc = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
        Map<TopicPartition, OffsetSpec> req = new HashMap<>();
        desc.partitions().forEach(p -> req.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
        Map<TopicPartition, Long> out = new HashMap<>();
        admin.listOffsets(req).all().get().forEach((tp, info) -> out.put(tp, info.offset()));
        return out;
    }

    static KafkaConsumer<byte[], byte[]> consumer(String group, int maxPoll) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        if (group != null) {
            p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        }
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, String.valueOf(maxPoll));
        return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** utime + stime of a process in seconds (clock ticks of 1/100 s). */
    static double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0; // fields 14 and 15
        } catch (Exception e) {
            return Double.NaN;
        }
    }

    static long statusKb(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (Exception ignored) {
            // process gone
        }
        return -1;
    }

    /** Machine-wide busy and total jiffies from /proc/stat (all cores). */
    static long[] systemJiffies() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < f.length && i <= 8; i++) {
                total += Long.parseLong(f[i]);
            }
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
            return new long[] {total - idle, total};
        } catch (Exception e) {
            return new long[] {0, 1};
        }
    }

    static double systemBusyCores(long[] from, long[] to) {
        long busy = to[0] - from[0];
        long total = to[1] - from[1];
        return total <= 0 ? Double.NaN : Runtime.getRuntime().availableProcessors() * (double) busy / total;
    }

    // ------------------------------------------------------------------------------------------------ topics

    static void createTopic() throws Exception {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(opt("topic"), Integer.parseInt(opt("partitions", "6")), (short) 1)))
                    .all().get();
        }
    }

    /**
     * Valid events with K poison records spread evenly among them (K = 0: the clean stream of the same seed). The
     * poison is written into the JSON text here, not taken from the generator's defects, so that the same stream can
     * be replayed against an older runtime jar.
     */
    static void publishPoison() throws Exception {
        String topic = opt("topic");
        int count = Integer.parseInt(opt("count"));
        int poison = Integer.parseInt(opt("poison", "0"));
        io.ecompipeline.generate.EventGenerator gen = new io.ecompipeline.generate.EventGenerator(
                Long.parseLong(opt("seed")), 0, 0.05, 5_000, 500, Clock.systemUTC());
        String[] types = {"PAGE_VIEW", "ADD_TO_CART", "PURCHASE", "PURCHASE", "REFUND"};
        java.util.Set<Integer> at = new java.util.HashSet<>();
        for (int j = 0; j < poison; j++) {
            at.add((int) ((long) j * count / poison + count / (2L * poison)));
        }
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap());
        p.put("acks", "all");
        p.put("linger.ms", 5);
        p.put("key.serializer", org.apache.kafka.common.serialization.ByteArraySerializer.class.getName());
        p.put("value.serializer", org.apache.kafka.common.serialization.ByteArraySerializer.class.getName());
        int poisoned = 0;
        try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<byte[], byte[]>(p)) {
            for (int i = 0; i < count; i++) {
                String json = new String(gen.valid(types[i % types.length]).value(), StandardCharsets.UTF_8);
                if (at.contains(i)) {
                    json = poisonOf(json, poisoned++);
                }
                producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(topic, json.getBytes(StandardCharsets.UTF_8)));
            }
            producer.flush();
        }
        result(new LinkedHashMap<>(Map.of("published", count, "poison", poisoned)));
    }

    /** One of five records jsonb, text or timestamptz refuses, in turn. */
    static String poisonOf(String json, int n) {
        return switch (n % 5) {
            case 0 -> json.replaceFirst("\"source\":\"", "\"source\":\"\\\\ud800");
            case 1 -> json.replaceFirst("(\"event_id\":\"[^\"]*)\"", "$1\\\\u0000\"");
            case 2 -> json.replaceFirst("\"source\":", "\"note\\\\u0000\":1,\"source\":");
            case 3 -> json.replaceFirst("\"event_time\":\"[^\"]*\"", "\"event_time\":\"0000-06-01T12:00:00Z\"");
            default -> json.replaceFirst("\"source\":", "\"score\":1e131072,\"source\":");
        };
    }

    static void deleteTopic() throws Exception {
        try (Admin admin = admin()) {
            admin.deleteTopics(List.of(opt("topic"))).all().get();
        }
    }

    // ------------------------------------------------------------------------------------------------ ceiling 1

    /** Consumes the whole topic with one bare KafkaConsumer (fresh group) and does nothing with the records. */
    static void bareConsume() throws Exception {
        String topic = opt("topic");
        long expect = Long.parseLong(opt("expect"));
        long[] sys0 = systemJiffies();
        long pid = ProcessHandle.current().pid();
        double cpu0 = cpuSeconds(pid);
        long count = 0;
        long bytes = 0;
        long first = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = consumer("bench-bare-" + UUID.randomUUID(), 2000)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
            while (count < expect && System.nanoTime() < deadline) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(500));
                if (!records.isEmpty() && first == 0) {
                    first = System.nanoTime();
                }
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    count++;
                    bytes += r.value() == null ? 0 : r.value().length;
                }
            }
        }
        long end = System.nanoTime();
        double seconds = (end - first) / 1e9;
        result(Map.of("contender", "bare-consume", "events", count, "seconds", seconds, "eps", count / seconds,
                "mb_per_s", bytes / seconds / 1e6, "cpu_s", cpuSeconds(pid) - cpu0,
                "rss_peak_mb", statusKb(pid, "VmHWM") / 1024, "sys_busy_cores", systemBusyCores(sys0, systemJiffies())));
    }

    // ------------------------------------------------------------------------------------------------ ceiling 2

    static final String RAW_COLUMNS = "event_id, event_type, event_time, source, session_id, customer_id, "
            + "customer_email, customer_country, customer_tier, product_id, product_name, product_category, "
            + "product_price, product_currency, transaction_id, amount, quantity, currency, payment_method, "
            + "payment_status, payload, kafka_topic, kafka_partition, kafka_offset, run_id";
    static final String DL_COLUMNS = "event_id, source_topic, source_partition, source_offset, payload, "
            + "error_class, reasons, run_id, next_attempt_at";

    /**
     * Reads the topic, validates and formats every record exactly as the pipeline does (untimed), then times a bare
     * COPY of the same rows into scratch tables with the shape (columns, keys, indexes) of raw.events and
     * pipeline.dead_letters: the database's own ceiling for placing these records.
     */
    static void copyCeiling() throws Exception {
        String topic = opt("topic");
        long expect = Long.parseLong(opt("expect"));
        String tag = opt("tag").replaceAll("[^a-zA-Z0-9_]", "_");
        int chunk = Integer.parseInt(opt("chunk", "50000"));
        String rawTable = "bench_copy_raw_" + tag;
        String dlTable = "bench_copy_dl_" + tag;
        String runId = UUID.randomUUID().toString();
        DefaultCamelContext camel = new DefaultCamelContext();
        EventContract contract = EventContract.load(camel, EventContract.DEFAULT_SCHEMA_URI,
                EventContract.DEFAULT_RULES_URI, EventContract.DEFAULT_MAX_PAYLOAD_BYTES, Clock.systemUTC());
        DeadLetterStore reasons = new DeadLetterStore(new ObjectMapper(), UUID.randomUUID(), Duration.ofMinutes(15));

        // untimed: read and prepare
        List<CopyBuffer> rawChunks = new ArrayList<>();
        List<CopyBuffer> dlChunks = new ArrayList<>();
        CopyBuffer raw = new CopyBuffer(chunk, 800);
        CopyBuffer dl = new CopyBuffer(chunk, 1200);
        long rows = 0;
        long letters = 0;
        long count = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = consumer("bench-copy-" + UUID.randomUUID(), 5000)) {
            consumer.subscribe(List.of(topic));
            while (count < expect) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    count++;
                    SourceRecord rec = new SourceRecord(r.topic(), r.partition(), r.offset(), r.value());
                    ValidationResult v = contract.validate(r.value());
                    RawEventRow row = null;
                    List<io.ecompipeline.contract.Violation> why = v.violations();
                    if (v.valid()) {
                        try {
                            row = RawEventRow.of(v.event(), rec);
                        } catch (UnstorableEventException e) {
                            why = e.violations();
                        }
                    }
                    if (row != null) {
                        raw.value(row.eventId().toString()).value(row.eventType()).value(row.eventTime())
                                .value(row.source()).value(row.sessionId()).value(row.customerId())
                                .value(row.customerEmail()).value(row.customerCountry()).value(row.customerTier())
                                .value(row.productId()).value(row.productName()).value(row.productCategory())
                                .value(row.productPrice()).value(row.productCurrency()).value(row.transactionId())
                                .value(row.amount()).value(row.quantity()).value(row.currency())
                                .value(row.paymentMethod()).value(row.paymentStatus()).utf8(rec.value())
                                .value(rec.topic()).value(rec.partition()).value(rec.offset()).value(runId).endRow();
                        rows++;
                        if (raw.rows() == chunk) {
                            rawChunks.add(raw);
                            raw = new CopyBuffer(chunk, 800);
                        }
                    } else {
                        // as DeadLetterStore writes it: an id PostgreSQL cannot store (NUL, lone surrogate) is NULL
                        dl.value(StorageRules.storableOrNull(v.eventId())).value(rec.topic()).value(rec.partition()).value(rec.offset())
                                .bytes(r.value() == null ? new byte[0] : r.value())
                                .value(NewDeadLetter.classify(why)).value(reasons.reasonsJson(why)).value(runId)
                                .value("2100-01-01T00:00:00Z").endRow();
                        letters++;
                        if (dl.rows() == chunk) {
                            dlChunks.add(dl);
                            dl = new CopyBuffer(chunk, 1200);
                        }
                    }
                }
            }
        }
        if (raw.rows() > 0) {
            rawChunks.add(raw);
        }
        if (dl.rows() > 0) {
            dlChunks.add(dl);
        }
        camel.close();
        log("copy-ceiling: prepared %d rows and %d dead letters", rows, letters);

        try (Connection c = db(); Statement st = c.createStatement()) {
            st.execute("DROP TABLE IF EXISTS " + rawTable);
            st.execute("DROP TABLE IF EXISTS " + dlTable);
            st.execute("CREATE TABLE " + rawTable + " (LIKE raw.events INCLUDING ALL)");
            st.execute("CREATE TABLE " + dlTable + " (LIKE pipeline.dead_letters INCLUDING ALL)");
            long pgPid = backendPid(c);
            double pgCpu0 = cpuSeconds(pgPid);
            long[] sys0 = systemJiffies();
            c.setAutoCommit(false);
            long t0 = System.nanoTime();
            for (CopyBuffer b : rawChunks) {
                b.copyInto(c, "COPY " + rawTable + " (" + RAW_COLUMNS + ") FROM STDIN");
            }
            long t1 = System.nanoTime();
            for (CopyBuffer b : dlChunks) {
                b.copyInto(c, "COPY " + dlTable + " (" + DL_COLUMNS + ") FROM STDIN");
            }
            c.commit();
            long t2 = System.nanoTime();
            double seconds = (t2 - t0) / 1e9;
            double pgCpu = cpuSeconds(pgPid) - pgCpu0;
            c.setAutoCommit(true);
            st.execute("DROP TABLE " + rawTable);
            st.execute("DROP TABLE " + dlTable);
            result(Map.of("contender", "copy-ceiling", "events", rows + letters, "rows", rows, "dead_letters", letters,
                    "seconds", seconds, "eps", (rows + letters) / seconds, "raw_rows_per_s", rows / ((t1 - t0) / 1e9),
                    "pg_cpu_s", pgCpu, "sys_busy_cores", systemBusyCores(sys0, systemJiffies())));
        }
    }

    static long backendPid(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    // ------------------------------------------------------------------------------------------------ the pipeline

    /**
     * Watches a runtime that consumes the topic: polls pipeline.ingest_batches of its run id (cheap: no raw.events scan) until
     * every record is placed. Throughput = records / (done − start of the first batch). Samples the runtime's CPU
     * (/proc/PID/stat), the CPU of its PostgreSQL backends, machine-wide CPU, and its peak RSS (VmHWM).
     */
    static void watch() throws Exception {
        String topic = opt("topic");
        String runId = opt("run-id");
        long expect = Long.parseLong(opt("expect"));
        long pid = Long.parseLong(opt("pid"));
        long launched = Long.parseLong(opt("launched-ms", String.valueOf(System.currentTimeMillis())));
        long timeoutMs = Long.parseLong(opt("timeout-s", "900")) * 1000;
        try (Connection c = db(); PreparedStatement q = c.prepareStatement(
                "SELECT coalesce(sum(received), 0), count(*), min(started_at) FROM pipeline.ingest_batches WHERE run_id = ?::uuid")) {
            q.setString(1, runId);
            long placed = 0;
            long batches = 0;
            long firstStart = 0;
            long firstSeen = 0; // when a committed batch was first visible: launch -> first batch committed (<= 100 ms late)
            double cpuAtFirst = Double.NaN;
            long[] sysAtFirst = null;
            Map<Long, Double> pgAtFirst = Map.of();
            long deadline = System.currentTimeMillis() + timeoutMs;
            // steady state: from the first poll that sees 30% placed (JIT warmed up, group settled) to the end
            long steadyAt = 0;
            long steadyPlaced = 0;
            double steadyCpu = Double.NaN;
            Map<Long, Double> steadyPg = Map.of();
            while (placed < expect) {
                if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                    throw new IllegalStateException("runtime " + pid + " exited before placing every record");
                }
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("timed out with " + placed + " of " + expect + " placed");
                }
                Thread.sleep(100);
                try (ResultSet rs = q.executeQuery()) {
                    rs.next();
                    placed = rs.getLong(1);
                    batches = rs.getLong(2);
                    if (firstStart == 0 && rs.getTimestamp(3) != null) {
                        firstStart = rs.getTimestamp(3).getTime();
                        firstSeen = System.currentTimeMillis();
                        cpuAtFirst = cpuSeconds(pid);
                        sysAtFirst = systemJiffies();
                        pgAtFirst = pgBackendCpu(c);
                    }
                    if (steadyAt == 0 && placed >= expect * 3 / 10) {
                        steadyAt = System.currentTimeMillis();
                        steadyPlaced = placed;
                        steadyCpu = cpuSeconds(pid);
                        steadyPg = pgBackendCpu(c);
                    }
                }
            }
            long done = System.currentTimeMillis();
            double cpuTotal = cpuSeconds(pid);
            long hwm = statusKb(pid, "VmHWM");
            double sysBusy = systemBusyCores(sysAtFirst, systemJiffies());
            double pgCpu = 0;
            double pgSteady = 0;
            for (var e : pgBackendCpu(c).entrySet()) {
                pgCpu += e.getValue() - pgAtFirst.getOrDefault(e.getKey(), e.getValue());
                pgSteady += e.getValue() - steadyPg.getOrDefault(e.getKey(), e.getValue());
            }
            long steadyEvents = placed - steadyPlaced;
            double steadySeconds = (done - steadyAt) / 1000.0;
            // the authoritative check: every record of the topic is a row or a dead letter
            long rows = count(c, "SELECT count(*) FROM raw.events WHERE kafka_topic = ?", topic);
            long letters = count(c, "SELECT count(*) FROM pipeline.dead_letters WHERE source_topic = ?", topic);
            double seconds = (done - firstStart) / 1000.0;
            result(new LinkedHashMap<>(Map.ofEntries(Map.entry("contender", "pipeline"), Map.entry("events", placed),
                    Map.entry("rows", rows), Map.entry("dead_letters", letters), Map.entry("batches", batches),
                    Map.entry("seconds", seconds), Map.entry("eps", placed / seconds),
                    Map.entry("startup_s", (firstStart - launched) / 1000.0),
                    Map.entry("first_commit_s", (firstSeen - launched) / 1000.0),
                    Map.entry("eps_incl_startup", placed / ((done - launched) / 1000.0)),
                    Map.entry("cpu_s", cpuTotal - cpuAtFirst), Map.entry("cpu_total_s", cpuTotal),
                    Map.entry("cores", (cpuTotal - cpuAtFirst) / seconds), Map.entry("rss_peak_mb", hwm / 1024),
                    Map.entry("pg_cpu_s", pgCpu), Map.entry("sys_busy_cores", sysBusy),
                    Map.entry("eps_steady", steadyEvents / steadySeconds),
                    Map.entry("cpu_us_per_event_steady", (cpuTotal - steadyCpu) / steadyEvents * 1e6),
                    Map.entry("pg_us_per_event_steady", pgSteady / steadyEvents * 1e6),
                    Map.entry("complete", rows + letters == expect ? "yes" : "NO"))));
        }
    }

    /** CPU seconds of the PostgreSQL backends of this database (other than this session), by pid. */
    static Map<Long, Double> pgBackendCpu(Connection c) throws SQLException {
        Map<Long, Double> out = new HashMap<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() "
                        + "AND backend_type = 'client backend'")) {
            while (rs.next()) {
                out.put(rs.getLong(1), cpuSeconds(rs.getLong(1)));
            }
        }
        return out;
    }

    static long count(Connection c, String sql, String arg) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(sql)) {
            st.setString(1, arg);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    static void waitGroup() throws Exception {
        String group = opt("group");
        int members = Integer.parseInt(opt("members", "1"));
        long deadline = System.currentTimeMillis() + Long.parseLong(opt("timeout-s", "120")) * 1000;
        try (Admin admin = admin()) {
            while (System.currentTimeMillis() < deadline) {
                try {
                    ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(group)).all().get().get(group);
                    if (d.state() == ConsumerGroupState.STABLE && d.members().size() >= members
                            && d.members().stream().mapToInt(m -> m.assignment().topicPartitions().size()).sum() > 0) {
                        log("group %s stable with %d members", group, d.members().size());
                        return;
                    }
                } catch (Exception ignored) {
                    // not there yet
                }
                Thread.sleep(200);
            }
        }
        throw new IllegalStateException("group " + group + " did not become stable");
    }

    /** Until the group's committed offsets reach the end of every partition of the topic (a warm-up is drained). */
    static void waitCommitted() throws Exception {
        String topic = opt("topic");
        String group = opt("group");
        long started = System.currentTimeMillis();
        long deadline = started + Long.parseLong(opt("timeout-s", "600")) * 1000;
        try (Admin admin = admin()) {
            var parts = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            parts.forEach(tp -> latest.put(tp, OffsetSpec.latest()));
            while (System.currentTimeMillis() < deadline) {
                long end = admin.listOffsets(latest).all().get().values().stream().mapToLong(i -> i.offset()).sum();
                long committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().entrySet()
                        .stream().filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
                        .mapToLong(e -> e.getValue().offset()).sum();
                if (committed >= end && end > 0) {
                    log("group %s committed all %d records of %s in %.1f s", group, end, topic,
                            (System.currentTimeMillis() - started) / 1000.0);
                    return;
                }
                Thread.sleep(200);
            }
        }
        throw new IllegalStateException("group " + group + " did not commit all of " + topic + " in time");
    }

    // ------------------------------------------------------------------------------------------------ latency

    /**
     * Publish-to-committed-row latency at a steady rate. Reads every record's Kafka timestamp (CreateTime: set by the
     * producer when send() is called, ms resolution) with an assigned consumer, and watches the runtime's committed
     * offsets every poll-ms; the runtime commits a batch's offsets only after its PostgreSQL transaction committed.
     * Two figures per record that became a raw.events row:
     * <ul>
     *   <li>upper bound: first time the probe saw the committed offset pass the record − CreateTime (error: up to
     *       poll-ms + one OffsetFetch round trip + the runtime's commitSync after the DB commit);</li>
     *   <li>lower bound: raw.events.ingested_at (now() = start of the batch's transaction, µs) − CreateTime;</li>
     *   <li>commit time: pg_xact_commit_timestamp(xmin) of the row − CreateTime, when the server tracks commit
     *       timestamps (track_commit_timestamp, on in the local stack). PostgreSQL takes it just before the commit
     *       record's WAL flush, so the row is durable and visible one flush later: the mean flush time of the paced
     *       phase (pg_stat_wal with track_wal_io_timing) is reported beside it.</li>
     * </ul>
     * Only records created at or after the epoch-ms time in since-file count: bench.sh starts the probe first (a
     * source-launched JVM takes seconds to start, and a record committed before the probe watches would look late),
     * then drains a warm-up and writes the start of the paced phase to that file. Without it, records published in
     * the first skip-s seconds are left out.
     */
    static void latency() throws Exception {
        String topic = opt("topic");
        String group = opt("group");
        long expect = Long.parseLong(opt("expect"));
        long skipMs = Long.parseLong(opt("skip-s", "20")) * 1000;
        long pollMs = Long.parseLong(opt("poll-ms", "20"));
        Map<Integer, long[]> created = new ConcurrentHashMap<>(); // partition -> CreateTime by offset
        Map<Integer, long[]> committedAt = new ConcurrentHashMap<>(); // partition -> observed commit time by offset
        long[] seen = {0};
        Thread reader = new Thread(() -> {
            try (KafkaConsumer<byte[], byte[]> consumer = consumer(null, 5000)) {
                var parts = consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
                consumer.assign(parts);
                consumer.seekToBeginning(parts);
                while (seen[0] < expect) {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                        long[] arr = grow(created, r.partition(), r.offset());
                        arr[(int) r.offset()] = r.timestamp();
                        synchronized (seen) {
                            seen[0]++;
                        }
                    }
                }
            }
        });
        reader.setDaemon(true);
        reader.start();
        Map<Integer, Long> lastCommitted = new HashMap<>();
        String sinceFile = opt("since-file", null);
        double[] walAtPaced = null; // pg_stat_wal (wal_sync, wal_sync_time ms) when the paced phase began
        long total = 0;
        long deadline = System.currentTimeMillis() + Long.parseLong(opt("timeout-s", "900")) * 1000;
        try (Admin admin = admin()) {
            while (total < expect && System.currentTimeMillis() < deadline) {
                Map<TopicPartition, OffsetAndMetadata> offsets =
                        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
                long now = System.currentTimeMillis();
                total = 0;
                for (var e : offsets.entrySet()) {
                    if (e.getValue() == null || !e.getKey().topic().equals(topic)) {
                        continue;
                    }
                    int p = e.getKey().partition();
                    long to = e.getValue().offset();
                    long from = lastCommitted.getOrDefault(p, 0L);
                    if (to > from) {
                        long[] arr = grow(committedAt, p, to - 1);
                        for (long o = from; o < to; o++) {
                            arr[(int) o] = now;
                        }
                        lastCommitted.put(p, to);
                    }
                    total += to;
                }
                if (walAtPaced == null && sinceFile != null && Files.exists(Path.of(sinceFile))) {
                    walAtPaced = walSync();
                }
                Thread.sleep(pollMs);
            }
        }
        double[] walAtEnd = walSync();
        reader.join(30_000);
        // lower bound from the rows themselves
        List<Long> upper = new ArrayList<>();
        List<Long> lower = new ArrayList<>();
        List<Long> commitTime = new ArrayList<>();
        // per second of publishing: records, records over 250 ms, the slowest (µs), to place the tail in time
        Map<Long, long[]> bySecond = new TreeMap<>();
        long firstCreate = Long.MAX_VALUE;
        for (long[] arr : created.values()) {
            for (long t : arr) {
                if (t > 0) {
                    firstCreate = Math.min(firstCreate, t);
                }
            }
        }
        long from = sinceFile != null ? Long.parseLong(Files.readString(Path.of(sinceFile)).strip()) : firstCreate + skipMs;
        long lastCreate = 0;
        try (Connection c = db(); PreparedStatement st = c.prepareStatement(
                "SELECT kafka_partition, kafka_offset, (extract(epoch from ingested_at) * 1000000)::bigint, "
                        + "(extract(epoch from pg_xact_commit_timestamp(xmin)) * 1000000)::bigint "
                        + "FROM raw.events WHERE kafka_topic = ?")) {
            st.setFetchSize(10_000);
            c.setAutoCommit(false);
            st.setString(1, topic);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    int p = rs.getInt(1);
                    int o = (int) rs.getLong(2);
                    long ingestedMicros = rs.getLong(3);
                    long t = created.get(p)[o];
                    if (t < from) {
                        continue;
                    }
                    lastCreate = Math.max(lastCreate, t);
                    lower.add(ingestedMicros - t * 1000);
                    long committedMicros = rs.getLong(4);
                    if (!rs.wasNull()) {
                        long latency = committedMicros - t * 1000;
                        commitTime.add(latency);
                        long[] second = bySecond.computeIfAbsent(t / 1000, k -> new long[3]);
                        second[0]++;
                        second[1] += latency > 250_000 ? 1 : 0;
                        second[2] = Math.max(second[2], latency);
                    }
                    long[] ca = committedAt.get(p);
                    if (ca != null && o < ca.length && ca[o] > 0) {
                        upper.add((ca[o] - t) * 1000);
                    }
                }
            }
        }
        double rate = lower.size() / Math.max(1e-3, (lastCreate - from) / 1000.0);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("contender", "latency");
        out.put("rows_measured", lower.size());
        out.put("valid_rows_per_s", rate);
        putPercentiles(out, "commit_seen", upper);
        putPercentiles(out, "txn_start", lower);
        if (commitTime.size() == lower.size()) {
            putPercentiles(out, "commit_ts", commitTime);
            long slowSeconds = bySecond.values().stream().filter(v -> v[1] > 0).count();
            log("seconds of publishing with a record committed after more than 250 ms: %d of %d; the ten slowest:",
                    slowSeconds, bySecond.size());
            bySecond.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue()[2], a.getValue()[2])).limit(10)
                    .forEach(e -> log("  %s UTC: slowest %d ms, %d of %d records over 250 ms",
                            java.time.Instant.ofEpochSecond(e.getKey()).toString().substring(11, 19),
                            e.getValue()[2] / 1000, e.getValue()[1], e.getValue()[0]));
        } else {
            log("commit timestamps of %d of %d rows (track_commit_timestamp off?): no commit_ts figures",
                    commitTime.size(), lower.size());
        }
        if (walAtPaced != null && walAtEnd != null && walAtEnd[0] > walAtPaced[0]) {
            out.put("wal_flushes_per_s", (walAtEnd[0] - walAtPaced[0]) / Math.max(1e-3, (lastCreate - from) / 1000.0));
            if (walAtEnd[1] > walAtPaced[1]) { // timed only with track_wal_io_timing
                out.put("wal_flush_mean_ms", (walAtEnd[1] - walAtPaced[1]) / (walAtEnd[0] - walAtPaced[0]));
            }
        }
        result(out);
    }

    /** Server-wide WAL flushes and their time in ms (0 without track_wal_io_timing), or null when unreadable. */
    static double[] walSync() {
        try (Connection c = db(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT wal_sync, wal_sync_time FROM pg_stat_wal")) {
            rs.next();
            return new double[] {rs.getLong(1), rs.getDouble(2)};
        } catch (SQLException e) {
            log("pg_stat_wal unreadable: %s", e.getMessage());
            return null;
        }
    }

    static void putPercentiles(Map<String, Object> out, String prefix, List<Long> micros) {
        long[] a = micros.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(a);
        for (double q : new double[] {0.5, 0.9, 0.99, 0.999}) {
            out.put(prefix + "_p" + (q * 100 == Math.rint(q * 100) ? String.valueOf((int) (q * 100)) : "99.9") + "_ms",
                    a.length == 0 ? Double.NaN : a[Math.min(a.length - 1, (int) Math.ceil(q * a.length) - 1)] / 1000.0);
        }
        out.put(prefix + "_max_ms", a.length == 0 ? Double.NaN : a[a.length - 1] / 1000.0);
    }

    static long[] grow(Map<Integer, long[]> map, int partition, long offset) {
        long[] arr = map.get(partition);
        if (arr == null || arr.length <= offset) {
            synchronized (map) {
                arr = map.get(partition);
                if (arr == null || arr.length <= offset) {
                    long[] bigger = new long[(int) Math.max(offset + 1, arr == null ? 1 << 16 : arr.length * 2L)];
                    if (arr != null) {
                        System.arraycopy(arr, 0, bigger, 0, arr.length);
                    }
                    map.put(partition, bigger);
                    arr = bigger;
                }
            }
        }
        return arr;
    }

    // ------------------------------------------------------------------------------------------------ cleanup

    static void cleanup() throws Exception {
        String topic = opt("topic");
        try (Connection c = db()) {
            long rows = update(c, "DELETE FROM raw.events WHERE kafka_topic = ?", topic);
            long attempts = update(c, "DELETE FROM pipeline.dead_letter_attempts WHERE dead_letter_id IN "
                    + "(SELECT id FROM pipeline.dead_letters WHERE source_topic = ?)", topic);
            long letters = update(c, "DELETE FROM pipeline.dead_letters WHERE source_topic = ?", topic);
            long batches = 0;
            for (String runId : opt("run-id", "").split(",")) {
                if (!runId.isBlank()) {
                    batches += update(c, "DELETE FROM pipeline.ingest_batches WHERE run_id = ?::uuid", runId);
                }
            }
            log("cleanup %s: deleted %d rows, %d dead letters (%d attempts), %d batch records", topic, rows, letters,
                    attempts, batches);
        }
    }

    static long update(Connection c, String sql, String arg) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(sql)) {
            st.setString(1, arg);
            return st.executeUpdate();
        }
    }
}
