package io.ecompipeline.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/**
 * LOG_FORMAT=json: every line the real jar writes (stdout and stderr, from the first line to the shutdown) is one JSON
 * object with the run id and the instance id, and a line logged while a route processes an exchange names the route.
 */
class JsonLogsIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyLineIsJsonWithRunIdInstanceAndTheRouteWhereThereIsOne() throws Exception {
        String runId = UUID.randomUUID().toString();
        try (TestKafka kafka = new TestKafka()) {
            String topic = kafka.createTopic("it-json-logs", 1);
            try (RuntimeProcess runtime = new RuntimeProcess(topic, Map.of("KAFKA_TOPIC", topic, "KAFKA_GROUP_ID", topic,
                    "LOG_FORMAT", "json", "PIPELINE_RUN_ID", runId)).start()) {
                runtime.awaitStarted();
                // the config-reload route logs what it watches when it first fires, on its timer's thread
                runtime.awaitLog("Watching ", Duration.ofSeconds(60));
                // the shutdown lines too
                runtime.terminate(Duration.ofSeconds(60));

                List<JsonNode> lines = new ArrayList<>();
                for (String line : runtime.logText().split("\n")) {
                    if (line.isEmpty()) {
                        continue;
                    }
                    JsonNode event;
                    try {
                        event = JSON.readTree(line);
                    } catch (Exception e) {
                        throw new AssertionError("not a JSON line: " + line, e);
                    }
                    assertTrue(event.isObject(), line);
                    lines.add(event);
                }
                assertTrue(lines.size() > 20, "lines: " + lines.size());
                String instance = null;
                for (JsonNode event : lines) {
                    for (String field : List.of("@timestamp", "level", "logger", "message")) {
                        assertFalse(event.path(field).asText().isEmpty(), field + " in " + event);
                    }
                    assertEquals(runId, event.path("runId").asText(), event.toString());
                    String message = event.path("message").asText();
                    if (message.startsWith("Joined the fleet as instance ")) {
                        instance = message.substring("Joined the fleet as instance ".length()).split("[;\\s]")[0];
                    }
                }
                assertTrue(instance != null && !instance.isEmpty(), "the fleet line names the instance");
                for (JsonNode event : lines) {
                    assertEquals(instance, event.path("instance").asText(), event.toString());
                }
                JsonNode routeLine = lines.stream().filter(e -> e.path("message").asText().startsWith("Watching "))
                        .findFirst().orElseThrow();
                assertEquals("config-reload", routeLine.path("routeId").asText(), routeLine.toString());
                assertFalse(routeLine.path("exchangeId").asText().isEmpty(), routeLine.toString());
                // lines logged outside any exchange carry no route
                JsonNode settingsLine = lines.stream().filter(e -> e.path("message").asText().startsWith("Effective settings"))
                        .findFirst().orElseThrow();
                assertTrue(settingsLine.path("routeId").isMissingNode(), settingsLine.toString());
                assertTrue(settingsLine.path("message").asText().contains("LOG_FORMAT (pipeline.log.format) = json"),
                        settingsLine.path("message").asText());
            }
        }
    }
}
