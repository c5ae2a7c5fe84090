package io.ecompipeline.generate;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * A cheap source of realistic events for load tests: {@code distinct} events are generated and serialised once, then
 * replayed in turn, each time with a fresh random event id (so every row is new) and its event time moved by the time
 * that passed since it was generated (so live events stay live, late ones late and future ones in the future). Only
 * two byte ranges change per event; the rest of the record (valid or carrying a defect) is the generated one. A
 * record without a well-formed event id (a defect) or without a readable event time is replayed unchanged.
 *
 * <p>Why: generating a session-shaped event with Jackson costs the publisher more CPU than the pipeline under test
 * spends on it, which made a latency benchmark on the same cores measure its own load generator.
 */
public final class EventReplay implements EventSource {

    private static final byte[] TIME_FIELD = "\"event_time\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final int UUID_LENGTH = 36;

    /** One pre-serialised record: where its event id and event time sit, and the time it was generated at. */
    private record Template(GeneratedEvent event, int idAt, int timeAt, int timeEnd, long timeMillis) {
    }

    private final List<Template> templates;
    private final SplittableRandom random;
    private final Clock clock;
    private final long generatedAt;
    private int next;

    /** Generates {@code distinct} events from {@code generator} now; fresh ids come from {@code seed}. */
    public EventReplay(EventSource generator, int distinct, long seed, Clock clock) {
        if (distinct < 1) {
            throw new IllegalArgumentException("distinct must be at least 1");
        }
        this.random = new SplittableRandom(seed);
        this.clock = clock;
        this.generatedAt = clock.millis();
        this.templates = new ArrayList<>(distinct);
        for (int i = 0; i < distinct; i++) {
            templates.add(template(generator.next()));
        }
    }

    public int distinct() {
        return templates.size();
    }

    @Override
    public GeneratedEvent next() {
        Template t = templates.get(next);
        next = next + 1 == templates.size() ? 0 : next + 1;
        GeneratedEvent e = t.event();
        if (t.idAt() < 0 && t.timeAt() < 0) {
            return e;
        }
        byte[] time = t.timeAt() < 0 ? null
                : Instant.ofEpochMilli(t.timeMillis() + clock.millis() - generatedAt).toString().getBytes(StandardCharsets.US_ASCII);
        byte[] src = e.value();
        int oldTimeLength = t.timeAt() < 0 ? 0 : t.timeEnd() - t.timeAt();
        byte[] out = new byte[src.length - oldTimeLength + (time == null ? 0 : time.length)];
        String id = e.eventId();
        if (t.timeAt() < 0) {
            System.arraycopy(src, 0, out, 0, src.length);
        } else {
            System.arraycopy(src, 0, out, 0, t.timeAt());
            System.arraycopy(time, 0, out, t.timeAt(), time.length);
            System.arraycopy(src, t.timeEnd(), out, t.timeAt() + time.length, src.length - t.timeEnd());
        }
        if (t.idAt() >= 0) {
            id = randomUuid().toString();
            // the id comes before the time in every generated record (event_id is written first)
            int at = t.timeAt() >= 0 && t.idAt() > t.timeAt() ? t.idAt() - oldTimeLength + time.length : t.idAt();
            for (int i = 0; i < UUID_LENGTH; i++) {
                out[at + i] = (byte) id.charAt(i);
            }
        }
        return new GeneratedEvent(id, out, e.kind(), e.rule(), e.late());
    }

    private static Template template(GeneratedEvent e) {
        byte[] v = e.value();
        int idAt = -1;
        if (e.eventId() != null && isUuid(e.eventId())) {
            idAt = indexOf(v, ("\"" + e.eventId() + "\"").getBytes(StandardCharsets.US_ASCII), 0);
            idAt = idAt < 0 ? -1 : idAt + 1;
        }
        int timeAt = -1;
        int timeEnd = -1;
        long millis = 0;
        int field = indexOf(v, TIME_FIELD, 0);
        if (field >= 0) {
            int from = field + TIME_FIELD.length;
            int to = from;
            while (to < v.length && v[to] != '"') {
                to++;
            }
            if (to < v.length) {
                try {
                    Instant time = Instant.parse(new String(v, from, to - from, StandardCharsets.US_ASCII));
                    // year 0000 and the like are a defect the record must keep as it is
                    if (time.isAfter(Instant.parse("1971-01-01T00:00:00Z")) && time.isBefore(Instant.parse("9000-01-01T00:00:00Z"))) {
                        timeAt = from;
                        timeEnd = to;
                        millis = time.toEpochMilli();
                    }
                } catch (DateTimeParseException notATime) {
                    // left as it is
                }
            }
        }
        return new Template(e, idAt, timeAt, timeEnd, millis);
    }

    private static boolean isUuid(String s) {
        if (s.length() != UUID_LENGTH) {
            return false;
        }
        try {
            return UUID.fromString(s).toString().equals(s);
        } catch (IllegalArgumentException notAUuid) {
            return false;
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = from; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private UUID randomUuid() {
        long msb = (random.nextLong() & ~0xF000L) | 0x4000L;
        long lsb = (random.nextLong() & ~0xC000000000000000L) | 0x8000000000000000L;
        return new UUID(msb, lsb);
    }
}
