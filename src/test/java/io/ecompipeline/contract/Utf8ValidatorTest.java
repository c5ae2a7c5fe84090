package io.ecompipeline.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;

import org.junit.jupiter.api.Test;

class Utf8ValidatorTest {

    @Test
    void acceptsEveryWellFormedLength() {
        assertEquals(-1, Utf8Validator.firstInvalid("plain ascii {}[]".getBytes(StandardCharsets.UTF_8)));
        assertEquals(-1, Utf8Validator.firstInvalid("Kopfhörer 東京 🎧 \u07FF\uFFFD".getBytes(StandardCharsets.UTF_8)));
        assertEquals(-1, Utf8Validator.firstInvalid(new String(Character.toChars(0x10FFFF)).getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void reportsTheOffsetOfTheFirstBadByte() {
        assertEquals(1, Utf8Validator.firstInvalid(new byte[]{'a', (byte) 0xC3, 0x28}));
        assertEquals(0, Utf8Validator.firstInvalid(new byte[]{(byte) 0xFF}));
        assertEquals(0, Utf8Validator.firstInvalid(new byte[]{(byte) 0x80}));
        assertEquals(0, Utf8Validator.firstInvalid(new byte[]{(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80})); // > U+10FFFF
        assertEquals(0, Utf8Validator.firstInvalid(new byte[]{(byte) 0xE0, (byte) 0x80, (byte) 0xAF})); // overlong
        assertEquals(0, Utf8Validator.firstInvalid(new byte[]{(byte) 0xF0, (byte) 0x8F, (byte) 0xBF, (byte) 0xBF})); // overlong
        assertEquals(2, Utf8Validator.firstInvalid(new byte[]{'{', '}', 0})); // NUL
    }

    /** Agrees with the JDK's strict decoder on random, mostly-almost-valid short sequences. */
    @Test
    void agreesWithTheJdkDecoder() {
        Random random = new Random(42);
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        byte[] interesting = {0x01, 0x41, 0x7F, (byte) 0x80, (byte) 0x8F, (byte) 0x90, (byte) 0x9F, (byte) 0xA0, (byte) 0xBF,
                (byte) 0xC0, (byte) 0xC1, (byte) 0xC2, (byte) 0xDF, (byte) 0xE0, (byte) 0xED, (byte) 0xEE, (byte) 0xEF,
                (byte) 0xF0, (byte) 0xF3, (byte) 0xF4, (byte) 0xF5, (byte) 0xFF};
        for (int i = 0; i < 300_000; i++) {
            byte[] b = new byte[1 + random.nextInt(6)];
            for (int k = 0; k < b.length; k++) {
                b[k] = random.nextInt(4) == 0 ? (byte) (1 + random.nextInt(255)) : interesting[random.nextInt(interesting.length)];
            }
            boolean jdkValid;
            try {
                decoder.reset().decode(ByteBuffer.wrap(b));
                jdkValid = true;
            } catch (CharacterCodingException e) {
                jdkValid = false;
            }
            boolean ours = Utf8Validator.firstInvalid(b) < 0;
            if (ours != jdkValid) {
                throw new AssertionError("disagree on " + HexFormat.ofDelimiter(" ").formatHex(b) + ": jdk=" + jdkValid);
            }
        }
    }
}
