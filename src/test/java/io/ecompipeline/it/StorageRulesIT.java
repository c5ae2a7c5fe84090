package io.ecompipeline.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ecompipeline.persist.RawEventRow;
import io.ecompipeline.persist.RawEventWriter;
import io.ecompipeline.persist.SourceRecord;
import io.ecompipeline.persist.UnstorableEventException;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL itself is the judge of the storage rules: every edge case the rules accept is written by the real
 * writer into the real raw.events (in a transaction rolled back afterwards), and for every one they refuse,
 * PostgreSQL refuses the payload as jsonb or the value for its column.
 */
class StorageRulesIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TEMPLATE = "{\"event_id\":\"%s\",\"event_type\":\"PURCHASE\",\"event_time\":\"%s\","
            + "\"source\":\"web\",%s\"customer\":{\"customer_id\":\"C-1\",\"email\":\"a@example.com\",\"country\":\"DE\"},"
            + "\"product\":{\"product_id\":\"P-1\",\"name\":\"%s\",\"category\":\"c\",\"price\":19.99,\"currency\":\"EUR\"},"
            + "\"transaction\":{\"transaction_id\":\"T-1\",\"amount\":%s,\"quantity\":%s,\"currency\":\"EUR\","
            + "\"payment_method\":\"CARD\",\"payment_status\":\"PAID\"}}";

    private record Case(String time, String extra, String name, String amount, String quantity) {
        String json() {
            return String.format(TEMPLATE, UUID.randomUUID(), time, extra, name, amount, quantity);
        }
    }

    private static Case base() {
        return new Case("2026-11-21T10:15:30.123Z", "", "n", "39.98", "2");
    }

    @Test
    void whatTheRulesAcceptPostgresStores() throws Exception {
        List<Case> accepted = List.of(
                base(),
                new Case("0001-01-01T00:00:00Z", "", "n", "39.98", "2"),
                new Case("9999-12-31T23:59:59.999999999Z", "", "n", "39.98", "2"),
                new Case("2026-11-21T10:15:30+14:00", "", "n \\ud83d\\ude00 \\u00e9", "39.98", "2"),
                new Case("2026-11-21T10:15:30Z", "\"lit\":\"\\\\ud800 \\\\u0000\",", "n", "39.98", "2"),
                new Case("2026-11-21T10:15:30Z", "\"big\":1e131071,\"small\":1e-16383,\"neg\":-1.25E+3,", "n", "39.98", "2.0"),
                new Case("2026-11-21T10:15:30Z", "\"huge\":" + "9".repeat(999) + ",", "n", "1" + "0".repeat(300) + ".5",
                        String.valueOf(Integer.MAX_VALUE)),
                new Case("2026-11-21T10:15:30Z", "", "n", "1e308", "-2147483648"));
        try (Connection c = LocalServices.postgres()) {
            c.setAutoCommit(false);
            try {
                RawEventWriter writer = new RawEventWriter(UUID.randomUUID());
                for (Case k : accepted) {
                    RawEventRow row;
                    try {
                        row = RawEventRow.of(JSON.readTree(k.json()), record(k.json()));
                    } catch (UnstorableEventException e) {
                        fail("refused although storable: " + k + ": " + e.violations());
                        return;
                    }
                    assertEquals(1, writer.write(c, List.of(row)), "written: " + k);
                }
            } finally {
                c.rollback();
            }
        }
    }

    @Test
    void whatTheRulesRefusePostgresRefusesToo() throws Exception {
        // payload-level refusals: PostgreSQL refuses the record's text as jsonb
        List<Case> badJson = List.of(
                new Case("2026-11-21T10:15:30Z", "", "n\\ud800", "39.98", "2"),
                new Case("2026-11-21T10:15:30Z", "", "\\udc00\\ud800", "39.98", "2"),
                new Case("2026-11-21T10:15:30Z", "\"x\\u0000\":1,", "n", "39.98", "2"),
                new Case("2026-11-21T10:15:30Z", "\"n\":{\"v\":[\"\\ud83d\"]},", "n", "39.98", "2"),
                new Case("2026-11-21T10:15:30Z", "\"big\":1e131072,", "n", "39.98", "2"),
                new Case("2026-11-21T10:15:30Z", "\"small\":-1.5e-16383,", "n", "39.98", "2"));
        for (Case k : badJson) {
            assertRefusedByRules(k);
            assertRefusedByPostgres("SELECT convert_from(?, 'UTF8')::jsonb", k.json().getBytes(StandardCharsets.UTF_8));
        }
        // column-level refusals: the value as its column's type
        Case quantity = new Case("2026-11-21T10:15:30Z", "", "n", "39.98", "2147483648");
        assertRefusedByRules(quantity);
        assertRefusedByPostgres("SELECT ('2147483648')::integer", null);
        Case yearZero = new Case("0000-06-01T00:00:00Z", "", "n", "39.98", "2");
        assertRefusedByRules(yearZero);
        assertRefusedByPostgres("SELECT '0000-06-01T00:00:00Z'::timestamptz", null);
    }

    private static void assertRefusedByRules(Case k) {
        UnstorableEventException e = assertThrows(UnstorableEventException.class,
                () -> RawEventRow.of(JSON.readTree(k.json()), record(k.json())), "accepted: " + k);
        assertTrue(e.violations().stream().allMatch(v -> v.rule().startsWith("storage.")), e.violations().toString());
    }

    private static void assertRefusedByPostgres(String sql, byte[] parameter) throws SQLException {
        try (Connection c = LocalServices.postgres(); PreparedStatement st = c.prepareStatement(sql)) {
            if (parameter != null) {
                st.setBytes(1, parameter);
            }
            assertThrows(SQLException.class, st::executeQuery, "PostgreSQL accepted: " + sql);
        }
    }

    private static SourceRecord record(String json) {
        return new SourceRecord("it-storage-rules", 0, 0, json.getBytes(StandardCharsets.UTF_8));
    }
}
