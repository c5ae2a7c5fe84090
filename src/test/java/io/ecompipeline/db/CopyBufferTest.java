package io.ecompipeline.db;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class CopyBufferTest {

    @Test
    void escapesTheCopyTextSpecialsAndWritesNullsAndBytes() {
        CopyBuffer b = new CopyBuffer(2, 10);
        b.value("a\tb\nc\\d\re").value((String) null).value(42).bytes(new byte[] {0x00, (byte) 0xff}).endRow();
        b.value("{\"k\":\"v\\\"q\"}").endRow();
        assertEquals("a\\tb\\nc\\\\d\\re\t\\N\t42\t\\\\x00ff\n{\"k\":\"v\\\\\"q\"}\n", b.text());
        assertEquals(2, b.rows());
    }

    @Test
    void keepsNonAsciiTextAndRawUtf8PayloadsAsUtf8AndStillEscapesThem() {
        CopyBuffer b = new CopyBuffer(1, 10);
        b.value("Zoë\tMüller").utf8("{\"n\":\"Ŝ\\u00e9\"}\n".getBytes(StandardCharsets.UTF_8)).utf8(null).value(-7L).endRow();
        assertEquals("Zoë\\tMüller\t{\"n\":\"Ŝ\\\\u00e9\"}\\n\t\\N\t-7\n", b.text());
    }
}
