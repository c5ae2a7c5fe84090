package io.ecompipeline.db;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;

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

    @Test
    void everyByteValueInEveryPositionIsEscapedAsTheTextFormatSaysWhileTheBufferGrows() {
        Random random = new Random(17);
        for (int round = 0; round < 500; round++) {
            byte[] payload = new byte[random.nextInt(300)];
            random.nextBytes(payload);
            String text = randomText(random, random.nextInt(200));
            CopyBuffer b = new CopyBuffer(1, 1); // starts tiny, so every append may have to grow it
            b.utf8(payload).value(text).endRow();
            ByteArrayOutputStream expected = new ByteArrayOutputStream();
            reference(payload, expected);
            expected.write('\t');
            reference(text.getBytes(StandardCharsets.UTF_8), expected);
            expected.write('\n');
            assertArrayEquals(expected.toByteArray(), b.toBytes(), "round " + round);
        }
    }

    /** The format's rule, byte by byte, written independently of CopyBuffer's fast path. */
    private static void reference(byte[] bytes, ByteArrayOutputStream out) {
        for (byte x : bytes) {
            String escaped = switch (x) {
                case '\\' -> "\\\\";
                case '\t' -> "\\t";
                case '\n' -> "\\n";
                case '\r' -> "\\r";
                default -> null;
            };
            if (escaped == null) {
                out.write(x);
            } else {
                out.writeBytes(escaped.getBytes(StandardCharsets.US_ASCII));
            }
        }
    }

    private static String randomText(Random random, int length) {
        StringBuilder sb = new StringBuilder(length);
        String specials = "\\\t\n\r\u000b\u000c\"é€𝄞";
        for (int i = 0; i < length; i++) {
            if (random.nextInt(4) == 0) {
                sb.append(specials.charAt(random.nextInt(specials.length())));
            } else {
                sb.append((char) (0x20 + random.nextInt(0x5f)));
            }
        }
        return sb.toString();
    }
}
