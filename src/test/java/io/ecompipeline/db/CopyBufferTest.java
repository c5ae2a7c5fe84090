package io.ecompipeline.db;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Field;

import org.junit.jupiter.api.Test;

class CopyBufferTest {

    private static String text(CopyBuffer buffer) throws Exception {
        Field f = CopyBuffer.class.getDeclaredField("text");
        f.setAccessible(true);
        return f.get(buffer).toString();
    }

    @Test
    void escapesTheCopyTextSpecialsAndWritesNullsAndBytes() throws Exception {
        CopyBuffer b = new CopyBuffer(2, 10);
        b.value("a\tb\nc\\d\re").value((String) null).value(42).bytes(new byte[] {0x00, (byte) 0xff}).endRow();
        b.value("{\"k\":\"v\\\"q\"}").endRow();
        assertEquals("a\\tb\\nc\\\\d\\re\t\\N\t42\t\\\\x00ff\n{\"k\":\"v\\\\\"q\"}\n", text(b));
        assertEquals(2, b.rows());
    }
}
