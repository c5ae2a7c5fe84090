package io.ecompipeline.db;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;
import org.postgresql.PGConnection;

/**
 * Migration 017: loads the sample FX rates ({@code sql/reference/fx_rates_sample.csv}, 2025-2026) into
 * {@code raw.fx_rates} with the same {@code COPY ... FROM STDIN (FORMAT csv, HEADER true)} a user runs as
 * {@code \copy} to load their own (docs/metrics.md). A Java migration because a SQL migration cannot read a file;
 * its checksum is the CSV's, so an edited sample is caught like an edited migration.
 */
public final class SampleFxRatesMigration implements JavaMigration {

    static final String RESOURCE = "sql/reference/fx_rates_sample.csv";
    static final String COPY = "COPY raw.fx_rates (rate_date, currency, units_per_eur) FROM STDIN WITH (FORMAT csv, HEADER true)";

    @Override
    public MigrationVersion getVersion() {
        return MigrationVersion.fromVersion("017");
    }

    @Override
    public String getDescription() {
        return "load sample fx rates";
    }

    @Override
    public Integer getChecksum() {
        CRC32 crc = new CRC32();
        try (InputStream in = open()) {
            crc.update(in.readAllBytes());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + RESOURCE + ": " + e.getMessage(), e);
        }
        return (int) crc.getValue();
    }

    @Override
    public boolean canExecuteInTransaction() {
        return true;
    }

    @Override
    public void migrate(Context context) throws Exception {
        try (Reader csv = new InputStreamReader(open(), StandardCharsets.UTF_8)) {
            context.getConnection().unwrap(PGConnection.class).getCopyAPI().copyIn(COPY, csv);
        }
    }

    private static InputStream open() throws IOException {
        InputStream in = SampleFxRatesMigration.class.getClassLoader().getResourceAsStream(RESOURCE);
        if (in == null) {
            throw new IOException(RESOURCE + " is missing from the classpath");
        }
        return in;
    }
}
