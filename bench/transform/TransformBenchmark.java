/*
 * Transformation benchmark: a full run over N raw events, then an incremental run after M new events, plus the cost
 * of the pending-hours trigger on the ingest path. Runs against PostgreSQL only (no Camel, no Elasticsearch), in a
 * database of its own (created per round, dropped afterwards unless --keep: the migrations create fixed layer schemas),
 * with the real migrations, the real SQL-job skeleton (SqlJobRunner) and the real sql/transform and sql/gold files.
 *
 *   mvn -o -q package -DskipTests
 *   eval "$(bash scripts/local-stack.sh env)"
 *   java -cp target/ecom-pipeline.jar bench/transform/TransformBenchmark.java [--events 1000000] [--incremental 10000]
 *        [--days 30] [--late-share 0.05] [--very-late-share 0.001] [--trigger-rows 200000] [--repeat 1]
 *        [--database ecom_bench_transform] [--keep]
 *
 * Java's single-file source launcher compiles this file against the jar; nothing else to build.
 */

import java.io.IOException;
import java.io.StringReader;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.ecompipeline.db.CopyBuffer;
import io.ecompipeline.jobs.RunRecords;
import io.ecompipeline.jobs.RunResult;
import io.ecompipeline.transform.GoldJob;
import io.ecompipeline.transform.SqlJobRunner;
import io.ecompipeline.transform.TransformJob;
import org.postgresql.PGConnection;

public class TransformBenchmark {

    static final String COLUMNS = "event_id, event_type, event_time, source, session_id, customer_id, customer_email, "
            + "customer_country, customer_tier, product_id, product_name, product_category, product_price, "
            + "product_currency, transaction_id, amount, quantity, currency, payment_method, payment_status, payload, "
            + "kafka_topic, kafka_partition, kafka_offset, ingested_at, run_id";
    static final String[] TYPES = {"PAGE_VIEW", "PAGE_VIEW", "PAGE_VIEW", "PAGE_VIEW", "ADD_TO_CART", "ADD_TO_CART",
            "PURCHASE", "PURCHASE", "PURCHASE", "REFUND"};
    static final String[] STATUSES = {"PAID", "PAID", "PAID", "PENDING", "FAILED"};
    static final String[] METHODS = {"CARD", "PAYPAL", "BANK_TRANSFER", "WALLET", "COD"};
    static final String[] CATEGORIES = {"electronics", "fashion", "home", "sports", "books", "beauty", "toys"};
    static final String[] COUNTRIES = {"DE", "FR", "US", "GB", "ES", "IT", "NL", "PL"};
    static final String[] CURRENCIES = {"EUR", "EUR", "USD", "GBP"};
    static final String[] TIERS = {"BRONZE", "SILVER", "GOLD", "PLATINUM"};
    /** The benchmark's own time range: nothing else lives in 2015. */
    // inside the sample FX table (sql/reference), so amounts convert as in production
    static final Instant RANGE_START = Instant.parse("2025-03-01T00:00:00Z");

    int events = 1_000_000;
    int incremental = 10_000;
    int days = 30;
    double lateShare = 0.05;
    double veryLateShare = 0.001;
    int triggerRows = 200_000;
    int repeat = 1;
    String database = "ecom_bench_transform";
    boolean keep;

    final Random random = new Random(42);
    final UUID runId = UUID.randomUUID();
    long offset;

    public static void main(String[] args) throws Exception {
        TransformBenchmark b = new TransformBenchmark();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--events" -> b.events = Integer.parseInt(args[++i].replace("_", ""));
                case "--incremental" -> b.incremental = Integer.parseInt(args[++i].replace("_", ""));
                case "--days" -> b.days = Integer.parseInt(args[++i]);
                case "--late-share" -> b.lateShare = Double.parseDouble(args[++i]);
                case "--very-late-share" -> b.veryLateShare = Double.parseDouble(args[++i]);
                case "--trigger-rows" -> b.triggerRows = Integer.parseInt(args[++i].replace("_", ""));
                case "--repeat" -> b.repeat = Integer.parseInt(args[++i]);
                case "--database" -> b.database = args[++i];
                case "--keep" -> b.keep = true;
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        b.run();
    }

    record Round(double loadSeconds, RunResult full, long fullRawRows, double fullSeconds,
                 RunResult incr, long incrRawRows, double incrSeconds, double withTrigger, double withoutTrigger,
                 double triggerMsPerBatch, double triggerSharePercent, Map<String, Object> goldFull, double goldFullSeconds,
                 Map<String, Object> goldIncr, double goldIncrSeconds) {
    }

    /** Event times in the day after the benchmark range (new hours, as live traffic would have). */
    List<Instant> futureTimes(Instant end, int n) {
        List<Instant> t = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            t.add(end.plusMillis((long) (random.nextDouble() * 3_600_000L * 24)));
        }
        return t;
    }

    void run() throws Exception {
        if (!database.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("--database must be a plain lower-case identifier");
        }
        String server = env("PG_URL", "jdbc:postgresql://127.0.0.1:5432/ecom").replaceAll("/[^/?]*(\\?.*)?$", "/");
        String url = server + database;
        String admin = server + "postgres";
        System.out.println("# Transformation benchmark: " + events + " raw events over " + days + " days (" + lateShare
                + " late), then " + incremental + " new events (" + lateShare + " late by 3 min - 6 h, " + veryLateShare
                + " anywhere in the history); database " + url);
        printMachine(admin);
        List<Round> rounds = new ArrayList<>();
        for (int r = 1; r <= repeat; r++) {
            recreateDatabase(admin);
            try (HikariDataSource ds = pool(url)) {
                rounds.add(round(ds, r));
            } finally {
                if (!keep) {
                    dropDatabase(admin);
                }
            }
        }
        report(rounds);
    }

    Round round(HikariDataSource ds, int round) throws Exception {
        System.out.printf(Locale.ROOT, "%n## round %d%n", round);
        // the runtime's own migration: Flyway with its placeholders and the Java FX-sample migration
        io.ecompipeline.db.Database.migrate(ds, new io.ecompipeline.config.PipelineSettings.Database(ds.getJdbcUrl(),
                ds.getUsername(), ds.getPassword(), 2, Duration.ofSeconds(5), Duration.ofSeconds(5), "classpath:sql/migrations",
                "", "", ""));

        // 1. bulk load with COPY (the trigger marks every hour, as ingest would)
        long t0 = System.nanoTime();
        Instant end = RANGE_START.plus(Duration.ofDays(days));
        long spanMs = Duration.ofDays(days).toMillis();
        long copyNanos = 0;
        try (Connection c = ds.getConnection()) {
            int chunk = 50_000;
            for (int done = 0; done < events; done += chunk) {
                int n = Math.min(chunk, events - done);
                CopyBuffer buffer = new CopyBuffer(n, 800);
                for (int i = 0; i < n; i++) {
                    Instant eventTime = RANGE_START.plusMillis((long) (random.nextDouble() * spanMs));
                    row(buffer, eventTime, ingestedAt(eventTime));
                }
                long c0 = System.nanoTime();
                buffer.copyInto(c, "COPY raw.events (" + COLUMNS + ") FROM STDIN");
                copyNanos += System.nanoTime() - c0;
            }
            try (Statement st = c.createStatement()) {
                st.execute("ANALYZE raw.events");
            }
        }
        double loadSeconds = seconds(t0);
        System.out.printf(Locale.ROOT, "loaded %,d raw events in %.1f s, of which COPY %.1f s (%,.0f rows/s)%n", events,
                loadSeconds, copyNanos / 1e9, events / (copyNanos / 1e9));

        RunRecords records = new RunRecords(ds, new ObjectMapper());
        SqlJobRunner runner = new SqlJobRunner(ds, records, new TransformJob(Duration.ofMinutes(2), "EUR"), "classpath:sql/transform",
                Duration.ofMinutes(1));
        SqlJobRunner gold = new SqlJobRunner(ds, records, new GoldJob(Duration.ofDays(7)), "classpath:sql/gold", Duration.ofMinutes(1));

        // 2. full run: every hour is pending
        long fullRaw = count(ds, "SELECT count(*) FROM raw.events");
        t0 = System.nanoTime();
        RunResult full = runner.run("bench-full-" + round + "-" + UUID.randomUUID(), "benchmark");
        double fullSeconds = seconds(t0);
        System.out.printf(Locale.ROOT, "full run: %d hours, %,d rows written, %.2f s; steps %s%n", full.periods().size(),
                full.rowsAffected(), fullSeconds, steps(full));
        t0 = System.nanoTime();
        Map<String, Object> goldFull = gold.run("bench-gold-full-" + round + "-" + UUID.randomUUID(), "benchmark").toMap();
        double goldFullSeconds = seconds(t0);
        System.out.printf(Locale.ROOT, "gold full run: %s days, %s customers, %,d rows written, %.2f s; steps %s%n",
                goldFull.get("days_touched"), goldFull.get("customers"), (Long) goldFull.get("rows_affected"), goldFullSeconds,
                goldFull.get("steps"));
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            // steady state as autovacuum would leave it; not part of the measured runs
            st.execute("VACUUM ANALYZE clean.transactions, marts.hourly_metrics, marts.window_orders_by_category, "
                    + "marts.window_payment_methods, marts.window_country_revenue, marts.daily_revenue, pipeline.transform_pending_hours, "
                    + "pipeline.es_pending_hours");
        }

        // 3. new events the way ingest writes them (staging table + INSERT ... ON CONFLICT, batches of 2000): event
        //    times in the last two hours, except a late share (3 min - 6 h late) and a very-late share (anywhere in
        //    the history; each reopens an old hour and its day)
        List<Instant> times = new ArrayList<>();
        for (int i = 0; i < incremental; i++) {
            double p = random.nextDouble();
            if (p < veryLateShare) {
                times.add(RANGE_START.plusMillis((long) (random.nextDouble() * (spanMs - 8 * 3_600_000L))));
            } else if (p < veryLateShare + lateShare) {
                times.add(end.minusSeconds(180 + random.nextInt(6 * 3600)));
            } else {
                times.add(end.minusMillis(1 + (long) (random.nextDouble() * 7_200_000L)));
            }
        }
        ingest(ds, times, 2000, true, false);
        long touchedRaw = count(ds, "SELECT count(*) FROM raw.events r WHERE date_trunc('hour', r.event_time, 'UTC') IN "
                + "(SELECT event_hour FROM pipeline.transform_pending_hours)");
        t0 = System.nanoTime();
        RunResult incr = runner.run("bench-incr-" + round + "-" + UUID.randomUUID(), "benchmark");
        double incrSeconds = seconds(t0);
        System.out.printf(Locale.ROOT, "incremental run: %d hours, %,d rows written, %.2f s; steps %s%n", incr.periods().size(),
                incr.rowsAffected(), incrSeconds, steps(incr));
        t0 = System.nanoTime();
        Map<String, Object> goldIncr = gold.run("bench-gold-incr-" + round + "-" + UUID.randomUUID(), "benchmark").toMap();
        double goldIncrSeconds = seconds(t0);
        System.out.printf(Locale.ROOT, "gold incremental run: %s days, %s customers, %,d rows written, %.2f s; steps %s%n",
                goldIncr.get("days_touched"), goldIncr.get("customers"), (Long) goldIncr.get("rows_affected"), goldIncrSeconds,
                goldIncr.get("steps"));

        // 4. ingest cost of the trigger: throughput of the same kind of batches with the trigger on and off (alternating,
        //    noisy on a shared machine), and the trigger's own time per batch as PostgreSQL measures it
        List<Double> on = new ArrayList<>();
        List<Double> off = new ArrayList<>();
        for (int pass = 0; pass < 3; pass++) {
            for (boolean trigger : pass % 2 == 0 ? new boolean[] {true, false} : new boolean[] {false, true}) {
                (trigger ? on : off).add(ingest(ds, futureTimes(end, triggerRows / 3), 2000, trigger, false).rowsPerSecond());
            }
        }
        Ingest explained = ingest(ds, futureTimes(end, triggerRows / 3), 2000, true, true);
        double withTrigger = median(on);
        double withoutTrigger = median(off);
        double triggerPerBatch = explained.triggerMs() / explained.batches();
        double triggerShare = 100 * explained.triggerMs() / explained.statementMs();
        System.out.printf(Locale.ROOT, "ingest path, batches of 2000: %,.0f rows/s with the trigger, %,.0f without; "
                + "trigger %.2f ms per batch = %.1f %% of the INSERT statement%n", withTrigger, withoutTrigger,
                triggerPerBatch, triggerShare);
        return new Round(loadSeconds, full, fullRaw, fullSeconds, incr, touchedRaw, incrSeconds, withTrigger, withoutTrigger,
                triggerPerBatch, triggerShare, goldFull, goldFullSeconds, goldIncr, goldIncrSeconds);
    }

    /** Rows/s of one ingest pass, and (when measured) the trigger's own time from EXPLAIN ANALYZE. */
    record Ingest(double rowsPerSecond, double triggerMs, double statementMs, int batches) {
    }

    /**
     * Writes rows like RawEventWriter does (COPY into a staging table, one INSERT ... ON CONFLICT per batch, commit).
     * With {@code explain}, each INSERT runs under EXPLAIN (ANALYZE) so PostgreSQL reports the time spent in the
     * statement trigger separately from the statement.
     */
    Ingest ingest(HikariDataSource ds, List<Instant> times, int batch, boolean trigger, boolean explain)
            throws SQLException, IOException {
        ObjectMapper json = new ObjectMapper();
        double triggerMs = 0;
        double statementMs = 0;
        int batches = 0;
        try (Connection c = ds.getConnection()) {
            try (Statement st = c.createStatement()) {
                st.execute("ALTER TABLE raw.events " + (trigger ? "ENABLE" : "DISABLE") + " TRIGGER events_mark_inserted_hours");
                st.execute("CREATE TEMP TABLE IF NOT EXISTS stg_raw_events (LIKE raw.events INCLUDING DEFAULTS) ON COMMIT DELETE ROWS");
            }
            c.setAutoCommit(false);
            String insert = "INSERT INTO raw.events (" + COLUMNS + ") SELECT " + COLUMNS
                    + " FROM stg_raw_events ON CONFLICT (event_id) DO NOTHING";
            long t0 = System.nanoTime();
            for (int from = 0; from < times.size(); from += batch) {
                List<Instant> part = times.subList(from, Math.min(times.size(), from + batch));
                CopyBuffer buffer = new CopyBuffer(part.size(), 800);
                for (Instant t : part) {
                    row(buffer, t, ingestedAt(t));
                }
                buffer.copyInto(c, "COPY stg_raw_events (" + COLUMNS + ") FROM STDIN");
                try (Statement st = c.createStatement()) {
                    if (explain) {
                        try (ResultSet rs = st.executeQuery("EXPLAIN (ANALYZE, FORMAT JSON) " + insert)) {
                            rs.next();
                            var plan = json.readTree(rs.getString(1)).get(0);
                            statementMs += plan.path("Execution Time").asDouble();
                            for (var t : plan.path("Triggers")) {
                                triggerMs += t.path("Time").asDouble();
                            }
                            batches++;
                        }
                    } else {
                        st.executeUpdate(insert);
                    }
                }
                c.commit();
            }
            double rate = times.size() / seconds(t0);
            c.setAutoCommit(true);
            try (Statement st = c.createStatement()) {
                st.execute("ALTER TABLE raw.events ENABLE TRIGGER events_mark_inserted_hours");
            }
            return new Ingest(rate, triggerMs, statementMs, batches);
        }
    }

    Instant ingestedAt(Instant eventTime) {
        return random.nextDouble() < lateShare ? eventTime.plusSeconds(180 + random.nextInt(6 * 3600))
                : eventTime.plusMillis(random.nextInt(60_000));
    }

    /** One canonical event as raw.events stores it (payload ~500 bytes of JSON). */
    void row(CopyBuffer b, Instant eventTime, Instant ingestedAt) {
        String type = TYPES[random.nextInt(TYPES.length)];
        boolean tx = type.equals("PURCHASE") || type.equals("REFUND");
        boolean product = !type.equals("PAGE_VIEW");
        int customer = random.nextInt(20_000);
        int productNo = random.nextInt(2_000);
        int quantity = 1 + random.nextInt(3);
        long priceCents = 100 + random.nextInt(49_900);
        String price = cents(priceCents);
        long amountCents = priceCents * quantity;
        String amount = cents(amountCents);
        String currency = CURRENCIES[productNo % CURRENCIES.length];
        String category = CATEGORIES[productNo % CATEGORIES.length];
        String country = COUNTRIES[customer % COUNTRIES.length];
        String tier = TIERS[customer % TIERS.length];
        String method = METHODS[random.nextInt(METHODS.length)];
        String status = type.equals("REFUND") ? "REFUNDED" : STATUSES[random.nextInt(STATUSES.length)];
        UUID id = new UUID(random.nextLong(), random.nextLong());
        // a session is one customer's visit: their events within the same 30 minutes (a session id drawn at random
        // from the whole history made every new event join a month-old session and reopen every hour)
        String session = "s-" + customer + "-" + eventTime.getEpochSecond() / 1800;
        String payload = "{\"event_id\":\"" + id + "\",\"event_type\":\"" + type + "\",\"event_time\":\"" + eventTime
                + "\",\"source\":\"web\",\"session_id\":\"" + session + "\",\"customer\":{\"customer_id\":\"C-"
                + customer + "\",\"email\":\"c" + customer + "@example.com\",\"country\":\"" + country + "\",\"tier\":\"" + tier + "\"}"
                + (product ? ",\"product\":{\"product_id\":\"P-" + productNo + "\",\"name\":\"Product " + productNo
                        + "\",\"category\":\"" + category + "\",\"price\":" + price + ",\"currency\":\"" + currency + "\"}" : "")
                + (tx ? ",\"transaction\":{\"transaction_id\":\"T-" + id + "\",\"amount\":" + amount + ",\"quantity\":" + quantity
                        + ",\"currency\":\"" + currency + "\",\"payment_method\":\"" + method + "\",\"payment_status\":\"" + status + "\"}" : "")
                + "}";
        b.value(id.toString()).value(type).value(eventTime.toString()).value("web").value(session)
                .value("C-" + customer).value("c" + customer + "@example.com").value(country).value(tier)
                .value(product ? "P-" + productNo : null).value(product ? "Product " + productNo : null)
                .value(product ? category : null).value(product ? price : null).value(product ? currency : null)
                .value(tx ? "T-" + id : null).value(tx ? amount : null).value(tx ? String.valueOf(quantity) : null)
                .value(tx ? currency : null).value(tx ? method : null).value(tx ? status : null).value(payload)
                .value("bench").value(0).value(offset++).value(ingestedAt.toString()).value(runId.toString()).endRow();
    }

    static String cents(long c) {
        long frac = c % 100;
        return c / 100 + (frac < 10 ? ".0" : ".") + frac;
    }

    void report(List<Round> rounds) {
        Round m = rounds.get(rounds.size() / 2);
        List<Double> fulls = rounds.stream().map(Round::fullSeconds).sorted().toList();
        List<Double> incrs = rounds.stream().map(Round::incrSeconds).sorted().toList();
        double full = median(fulls);
        double incr = median(incrs);
        System.out.printf(Locale.ROOT, "%n## Result (median of %d round%s)%n%n", rounds.size(), rounds.size() == 1 ? "" : "s");
        System.out.println("| run | raw events in recomputed hours | hours | seconds | raw rows/s |");
        System.out.println("|---|---:|---:|---:|---:|");
        System.out.printf(Locale.ROOT, "| full (%,d events, %d days) | %,d | %d | %.2f | %,.0f |%n", events, days,
                m.fullRawRows(), m.full().periods().size(), full, m.fullRawRows() / full);
        System.out.printf(Locale.ROOT, "| incremental (after %,d new events) | %,d | %d | %.2f | %,.0f |%n", incremental,
                m.incrRawRows(), m.incr().periods().size(), incr, m.incrRawRows() / incr);
        double goldFull = median(rounds.stream().map(Round::goldFullSeconds).toList());
        double goldIncr = median(rounds.stream().map(Round::goldIncrSeconds).toList());
        System.out.printf(Locale.ROOT, "| gold job, full (all days and customers) | %s days, %s customers | | %.2f | |%n",
                m.goldFull().get("days_touched"), m.goldFull().get("customers"), goldFull);
        System.out.printf(Locale.ROOT, "| gold job, after the incremental run | %s days, %s customers | | %.2f | |%n",
                m.goldIncr().get("days_touched"), m.goldIncr().get("customers"), goldIncr);
        System.out.printf(Locale.ROOT, "%nincremental / full = %.1f %%   (full-run seconds per round: %s; incremental: %s)%n",
                100 * incr / full, fmt(rounds.stream().map(Round::fullSeconds).toList()),
                fmt(rounds.stream().map(Round::incrSeconds).toList()));
        System.out.printf(Locale.ROOT, "gold incremental / full = %.1f %%   (full: %s; incremental: %s)%n", 100 * goldIncr / goldFull,
                fmt(rounds.stream().map(Round::goldFullSeconds).toList()), fmt(rounds.stream().map(Round::goldIncrSeconds).toList()));
        System.out.printf(Locale.ROOT, "full-run steps: %s%nincremental steps: %s%n", steps(m.full()), steps(m.incr()));
        double on = median(rounds.stream().map(Round::withTrigger).toList());
        double off = median(rounds.stream().map(Round::withoutTrigger).toList());
        System.out.printf(Locale.ROOT, "ingest path (COPY to staging + INSERT ... ON CONFLICT, batches of 2000): %,.0f rows/s "
                + "with the pending-hours trigger, %,.0f without (%+.1f %%, machine noise included); the trigger itself: "
                + "%.2f ms per batch = %.1f %% of the INSERT statement (EXPLAIN ANALYZE)%n", on, off, 100 * (on - off) / off,
                median(rounds.stream().map(Round::triggerMsPerBatch).toList()),
                median(rounds.stream().map(Round::triggerSharePercent).toList()));
        System.out.printf(Locale.ROOT, "bulk load (COPY, trigger on): %s s%n", fmt(rounds.stream().map(Round::loadSeconds).toList()));
    }

    static String steps(RunResult r) {
        StringBuilder sb = new StringBuilder();
        for (RunResult.Step s : r.steps()) {
            sb.append(sb.isEmpty() ? "" : ", ").append(s.file()).append(' ').append(s.ms()).append(" ms");
        }
        return sb.toString();
    }

    static String fmt(List<Double> values) {
        return String.join(" / ", values.stream().map(v -> String.format(Locale.ROOT, "%.2f", v)).toList());
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    static long count(HikariDataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    HikariDataSource pool(String url) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(env("PG_USER", "ecom"));
        config.setPassword(env("PG_PASSWORD", "ecom"));
        config.setMaximumPoolSize(4);
        config.addDataSourceProperty("ApplicationName", "transform-benchmark");
        return new HikariDataSource(config);
    }

    void recreateDatabase(String admin) throws SQLException {
        dropDatabase(admin);
        try (HikariDataSource ds = pool(admin); Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + database);
        }
    }

    void dropDatabase(String admin) throws SQLException {
        try (HikariDataSource ds = pool(admin); Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
    }

    void printMachine(String url) throws Exception {
        String cpu = "?";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("?");
        } catch (IOException e) {
            // not Linux
        }
        long memGb = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize() >> 30;
        String pg;
        try (HikariDataSource ds = pool(url); Connection c = ds.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT version()")) {
            rs.next();
            pg = rs.getString(1);
        }
        System.out.printf(Locale.ROOT, "machine: %d cores (%s), %d GB RAM; Java %s; %s%n",
                Runtime.getRuntime().availableProcessors(), cpu, memGb, System.getProperty("java.version"), pg);
    }

    static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
