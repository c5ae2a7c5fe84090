package io.ecompipeline.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;

import io.ecompipeline.jobs.JobRun;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.Schema;
import org.apache.camel.impl.engine.DefaultClassResolver;
import org.junit.jupiter.api.Test;

class OpenApiEndpointTest {

    /** A schema as camel-openapi-java's reader writes it: properties by component name, the class in x-className. */
    private static Schema<Object> readerSchema(Class<?> type, Map<String, Schema<?>> properties) {
        Schema<Object> schema = new Schema<>();
        schema.setType("object");
        properties.forEach(schema::addProperty);
        schema.addExtension("x-className", Map.of("format", type.getName()));
        return schema;
    }

    @Test
    void recordFieldsAreRequiredAndOnlyNullableOnesAreNullable() {
        Schema<Object> run = readerSchema(JobRun.class, Map.of("id", new Schema<>().type("string"), "type", new Schema<>().type("string"),
                "trigger", new Schema<>().type("string"), "status", new Schema<>().type("string"),
                "instance", new Schema<>().type("string"),
                "scheduledFor", new Schema<>().type("string"), "startedAt", new Schema<>().type("string"),
                "finishedAt", new Schema<>().type("string"), "error", new Schema<>().type("string"),
                "result", new Schema<>().type("object")));
        Schema<Object> started = readerSchema(ApiSchemas.RedeliveryStarted.class, Map.of(
                "madeDue", new Schema<>().type("array"), "job", new Schema<>().$ref("#/components/schemas/JobRun")));
        Schema<Object> detail = readerSchema(ApiSchemas.DeadLetterSummary.class, Map.of(
                "byStatus", new Schema<>().type("object"), "byErrorClass", new Schema<>().type("object"),
                "byRule", new Schema<>().type("object"), "oldestWaitingAt", new Schema<>().type("string"),
                "dueNow", new Schema<>().type("integer"), "nextAttemptAt", new Schema<>().type("string")));
        OpenAPI openApi = new OpenAPI().components(new Components().schemas(Map.of("JobRun", run, "RedeliveryStarted", started,
                "DeadLetterSummary", detail)));

        OpenApiEndpoint.markRequiredAndNullable(openApi, new DefaultClassResolver());

        assertEquals(Set.of("id", "type", "trigger", "status", "instance", "scheduledFor", "startedAt", "finishedAt", "error",
                "result"), Set.copyOf(run.getRequired()), "every component");
        for (String nullable : List.of("trigger", "scheduledFor", "finishedAt", "error")) {
            assertEquals(Boolean.TRUE, run.getProperties().get(nullable).getNullable(), nullable);
        }
        for (String present : List.of("id", "type", "status", "instance", "startedAt", "result")) {
            assertNull(run.getProperties().get(present).getNullable(), present);
        }
        assertEquals(List.of("job"), started.getRequired(), "madeDue is sent only when ids were given");
        assertNull(started.getProperties().get("job").getNullable());
        assertEquals("#/components/schemas/JobRun", started.getProperties().get("job").get$ref(), "a $ref that is never null stays");
        assertEquals(Set.of("byStatus", "byErrorClass", "byRule", "oldestWaitingAt", "dueNow", "nextAttemptAt"),
                Set.copyOf(detail.getRequired()));
        assertTrue(detail.getProperties().get("oldestWaitingAt").getNullable());
        assertNull(detail.getProperties().get("byStatus").getNullable());
    }
}
