package io.ecompipeline.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class EventReplayTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A clock the test moves by hand. */
    private static final class MovingClock extends Clock {
        Instant now = Instant.parse("2026-06-15T12:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void validEventsComeBackWithAFreshIdAndTheirTimeMovedOnAndNothingElseChanged() throws Exception {
        MovingClock clock = new MovingClock();
        List<GeneratedEvent> originals = new ArrayList<>();
        EventGenerator generator = new EventGenerator(3, 0, 0.2, 100, 20, clock, 0);
        EventReplay replay = new EventReplay(() -> {
            GeneratedEvent e = generator.next();
            originals.add(e);
            return e;
        }, 50, 9, clock);
        clock.now = clock.now.plus(Duration.ofMinutes(7).plusMillis(123));
        Set<String> ids = new HashSet<>();
        for (int round = 0; round < 3; round++) {
            for (GeneratedEvent original : originals) {
                GeneratedEvent replayed = replay.next();
                JsonNode was = JSON.readTree(original.value());
                JsonNode now = JSON.readTree(replayed.value());
                assertEquals(replayed.eventId(), now.get("event_id").asText());
                assertEquals(replayed.eventId(), UUID.fromString(replayed.eventId()).toString());
                assertTrue(ids.add(replayed.eventId()), "ids are never repeated");
                assertNotEquals(original.eventId(), replayed.eventId());
                assertEquals(Instant.parse(was.get("event_time").asText()).plus(Duration.ofMinutes(7).plusMillis(123)),
                        Instant.parse(now.get("event_time").asText()));
                assertEquals(original.late(), replayed.late());
                assertTrue(replayed.valid());
                ObjectNode rest = ((ObjectNode) now).deepCopy();
                rest.put("event_id", original.eventId());
                rest.put("event_time", was.get("event_time").asText());
                assertEquals(was, rest, "only the id and the time change");
            }
        }
        assertEquals(150, ids.size());
    }

    @Test
    void defectsKeepTheirDefect() throws Exception {
        MovingClock clock = new MovingClock();
        EventGenerator generator = new EventGenerator(5, 0, 0, 100, 20, clock, 0);
        for (EventGenerator.Defect defect : EventGenerator.Defect.values()) {
            GeneratedEvent original = generator.withDefect(defect);
            EventReplay replay = new EventReplay(() -> original, 1, 1, clock);
            clock.now = clock.now.plusSeconds(60);
            GeneratedEvent replayed = replay.next();
            assertEquals(original.rule(), replayed.rule(), defect.name());
            assertEquals(original.kind(), replayed.kind());
            switch (defect) {
                case YEAR_ZERO -> assertTrue(new String(replayed.value()).contains("\"0000-06-01T12:00:00Z\""));
                case FUTURE_EVENT_TIME -> assertTrue(Instant.parse(JSON.readTree(replayed.value()).get("event_time").asText())
                        .isAfter(clock.now.plusSeconds(3 * 3600 - 1)), "still in the future");
                case NOT_JSON, EMPTY, JSON_SCALAR ->
                    // neither a quoted id nor an event time: replayed as it is
                    assertArrayEquals(original.value(), replayed.value(), defect.name());
                case MISSING_EVENT_ID, NUL_IN_EVENT_ID, BAD_EVENT_ID -> {
                    // no well-formed id to replace: the defective one (or none) stays
                    assertEquals(original.eventId(), replayed.eventId(), defect.name());
                    String text = new String(replayed.value(), java.nio.charset.StandardCharsets.UTF_8);
                    assertEquals(defect != EventGenerator.Defect.MISSING_EVENT_ID, text.contains("\"event_id\""), defect.name());
                }
                default -> {
                    assertNotEquals(original.eventId(), replayed.eventId(), defect.name());
                    assertTrue(new String(replayed.value(), java.nio.charset.StandardCharsets.UTF_8)
                            .contains("\"event_id\":\"" + replayed.eventId()), defect.name());
                    assertEquals(original.value().length, replayed.value().length, defect.name() + ": same shape");
                }
            }
        }
    }
}
