package io.ecompipeline.db;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Rows in PostgreSQL's COPY text format, sent with one {@code COPY ... FROM STDIN}: the fastest bulk path pgjdbc
 * offers (about twice a batched INSERT here). Escapes backslash, tab, newline and carriage return; null is
 * {@code \N}.
 *
 * <p>The rows are kept as UTF-8 bytes (the client encoding pgjdbc always uses) and handed to the server as they are:
 * no intermediate {@code String}, no re-encoding, and text that is already UTF-8 (a record's JSON payload) goes in
 * with {@link #utf8(byte[])} without ever being decoded.
 */
public final class CopyBuffer {

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL = {'\\', 'N'};
    private static final int SEND_CHUNK = 1 << 20;

    private byte[] buf;
    private int len;
    private boolean rowStarted;
    private int rows;

    public CopyBuffer(int expectedRows, int bytesPerRow) {
        this.buf = new byte[(int) Math.min(Integer.MAX_VALUE - 16, Math.max(256L, (long) expectedRows * bytesPerRow))];
    }

    public CopyBuffer value(String value) {
        separate();
        if (value == null) {
            put(NULL);
            return this;
        }
        int n = value.length();
        ensure(2 * n); // worst case: every character escaped
        byte[] out = buf;
        int o = len;
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            if (c >= 0x80) {
                // rare: encode the rest once and escape it byte-wise (UTF-8 multi-byte sequences never contain ASCII)
                len = o;
                escaped(value.substring(i).getBytes(StandardCharsets.UTF_8));
                return this;
            }
            o = escapeInto(out, o, (byte) c);
        }
        len = o;
        return this;
    }

    /**
     * A text value that is already UTF-8 (for instance a record's JSON payload, validated as UTF-8): escaped and
     * appended without decoding it. Null is {@code \N}.
     */
    public CopyBuffer utf8(byte[] value) {
        separate();
        if (value == null) {
            put(NULL);
            return this;
        }
        escaped(value);
        return this;
    }

    public CopyBuffer value(long value) {
        separate();
        if (value >= 0 && value < 10) {
            ensure(1);
            buf[len++] = (byte) ('0' + value);
            return this;
        }
        put(Long.toString(value).getBytes(StandardCharsets.US_ASCII));
        return this;
    }

    /** A bytea value in hex form ({@code \x...}, with the backslash escaped for the text format). */
    public CopyBuffer bytes(byte[] value) {
        separate();
        if (value == null) {
            put(NULL);
            return this;
        }
        ensure(3 + 2 * value.length);
        buf[len++] = '\\';
        buf[len++] = '\\';
        buf[len++] = 'x';
        for (byte b : value) {
            buf[len++] = HEX[(b >> 4) & 0xF];
            buf[len++] = HEX[b & 0xF];
        }
        return this;
    }

    public CopyBuffer endRow() {
        ensure(1);
        buf[len++] = '\n';
        rowStarted = false;
        rows++;
        return this;
    }

    public int rows() {
        return rows;
    }

    /** The rows as COPY text (decoded as UTF-8), for tests and diagnostics; the write path never builds it. */
    String text() {
        return new String(buf, 0, len, StandardCharsets.UTF_8);
    }

    /** The rows as the bytes sent, for tests. */
    byte[] toBytes() {
        return Arrays.copyOf(buf, len);
    }

    /** Streams the buffer with {@code copySql} (a {@code COPY table (cols) FROM STDIN}); returns rows copied. */
    public long copyInto(Connection connection, String copySql) throws SQLException {
        if (rows == 0) {
            return 0;
        }
        CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(copySql);
        try {
            for (int off = 0; off < len; off += SEND_CHUNK) {
                copy.writeToCopy(buf, off, Math.min(SEND_CHUNK, len - off));
            }
            return copy.endCopy();
        } finally {
            if (copy.isActive()) {
                try {
                    copy.cancelCopy();
                } catch (SQLException ignored) {
                    // the original failure is the one that matters
                }
            }
        }
    }

    /**
     * Appends bytes, escaping the four the text format reserves (all ASCII; other bytes, UTF-8 sequences included,
     * pass through). Room for the worst case is made once, so the loop is one load, one compare and one store per byte:
     * this loop carries every payload byte of every record (it was 8 % of the ingest path's samples with a bounds check
     * and a growth check per byte, BENCHMARKS.md "JDK 25").
     */
    private void escaped(byte[] text) {
        ensure(2 * text.length);
        byte[] out = buf;
        int o = len;
        for (byte b : text) {
            o = escapeInto(out, o, b);
        }
        len = o;
    }

    private static int escapeInto(byte[] out, int o, byte b) {
        if (b != '\\' && (b > '\r' || b < '\t')) {
            out[o] = b; // the common case: neither a backslash nor tab, newline or carriage return
            return o + 1;
        }
        byte letter = switch (b) {
            case '\\' -> '\\';
            case '\t' -> 't';
            case '\n' -> 'n';
            case '\r' -> 'r';
            default -> 0; // vertical tab and form feed: the format passes them through
        };
        if (letter == 0) {
            out[o] = b;
            return o + 1;
        }
        out[o] = '\\';
        out[o + 1] = letter;
        return o + 2;
    }

    private void put(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buf, len, bytes.length);
        len += bytes.length;
    }

    private void ensure(int more) {
        if (len + more > buf.length) {
            buf = Arrays.copyOf(buf, (int) Math.min(Integer.MAX_VALUE - 16, Math.max(len + (long) more, buf.length * 2L)));
        }
    }

    private void separate() {
        if (rowStarted) {
            ensure(1);
            buf[len++] = '\t';
        } else {
            rowStarted = true;
        }
    }
}
