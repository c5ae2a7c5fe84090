package io.ecompipeline.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.oas.OpenApi30;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The API's contract against the real jar: {@code /api/openapi.json} is served without credentials, swagger-parser reads
 * it without a message, it documents exactly the REST routes the runtime registered (read from the runtime's route
 * MBeans over Jolokia, not from a list here), with their path parameters, the basic-auth scheme and a server URL that
 * reaches the API; and what the endpoints really answer — successes and errors — matches the documented schemas
 * (validated strictly: a field the schema does not name fails, a required one missing fails, null where the schema
 * does not allow it fails), errors being {@code application/problem+json}; and each schema's {@code required} list is
 * exactly the fields every real answer of that shape carried, so a schema that stops promising a field fails too.
 */
class ApiContractIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern REST_URI = Pattern.compile("rest://(\\w+):([^:?]*)(?::([^?]*))?(?:\\?.*)?");

    private static TestKafka kafka;
    private static RuntimeProcess runtime;
    private static String topic;
    private static String documentUrl;
    private static String documentText;
    private static JsonNode document;
    private static OpenAPI openApi;
    /** The field names of every object the real answers held, by the component schema that documents it. */
    private static final Map<String, List<Set<String>>> ANSWERED = new TreeMap<>();
    /** The component schemas of the whole bodies validated (a response's own schema). */
    private static final Set<String> BODY_SCHEMAS = new TreeSet<>();

    @BeforeAll
    static void start() throws Exception {
        kafka = new TestKafka();
        topic = kafka.createTopic("it-api-contract", 1);
        // the maintenance job of this runtime: one short pause, so a second start meets a running one
        Path maintenance = Files.createTempDirectory("contract-maintenance");
        Files.writeString(maintenance.resolve("10_pause.sql"), "SELECT pg_sleep(4);\n");
        runtime = new RuntimeProcess(topic, Map.of("KAFKA_TOPIC", topic, "KAFKA_GROUP_ID", topic, "KAFKA_CONSUMERS", "1",
                "PIPELINE_BATCH_MAX_WAIT_MS", "200", "MAINTENANCE_SQL", "file:" + maintenance)).start();
        runtime.awaitStarted();
        documentUrl = runtime.api() + "/openapi.json";
        TestHttp.Response served = TestHttp.getWithoutCredentials(documentUrl);
        assertEquals(200, served.status(), "the document needs no credentials: " + served.body());
        assertTrue(served.headers().firstValue("Content-Type").orElse("").startsWith("application/json"),
                served.headers().map().toString());
        documentText = served.body();
        document = JSON.readTree(documentText);
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(documentText, null, options);
        assertTrue(parsed.getMessages() == null || parsed.getMessages().isEmpty(), "swagger-parser: " + parsed.getMessages());
        openApi = parsed.getOpenAPI();
        assertNotNull(openApi, "swagger-parser read no document");
    }

    @AfterAll
    static void stop() {
        if (runtime != null) {
            runtime.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    /** Method and path (relative to the REST context path) of every REST route the runtime runs, by route id. */
    private static Map<String, String> restRoutesOfTheRuntime() {
        JsonNode read = TestHttp.post(runtime.management() + "/jolokia", "{\"type\":\"read\",\"mbean\":"
                + "\"org.apache.camel:context=ecom-pipeline,type=routes,name=*\",\"attribute\":[\"EndpointUri\",\"RouteId\"]}").json();
        assertEquals(200, read.path("status").asInt(), read.toString());
        Map<String, String> routes = new TreeMap<>();
        read.path("value").forEach(route -> {
            Matcher m = REST_URI.matcher(route.path("EndpointUri").asText());
            if (m.matches()) {
                String path = URLDecoder.decode(m.group(2) + (m.group(3) == null ? "" : m.group(3)), StandardCharsets.UTF_8);
                routes.put(route.path("RouteId").asText(), m.group(1).toUpperCase() + " " + path);
            }
        });
        assertTrue(routes.size() >= 10, "the runtime's REST routes: " + routes);
        return routes;
    }

    @Test
    void everyRestRouteOfTheRuntimeIsDocumentedAndNothingElse() {
        Map<String, String> routes = restRoutesOfTheRuntime();
        Map<String, String> documented = new TreeMap<>();
        openApi.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) ->
                documented.put(operation.getOperationId(), method.name() + " " + path)));
        assertEquals(routes, documented, "operation id -> method and path, runtime vs document");
    }

    @Test
    void pathParametersSecurityAndServerUrlAreRight() {
        Set<String> operations = new TreeSet<>();
        openApi.getPaths().forEach((path, item) -> item.readOperations().forEach(operation -> {
            operations.add(operation.getOperationId());
            assertFalse(operation.getSummary() == null || operation.getSummary().isBlank(), path + " has a summary");
            // every {name} of the path is a required path parameter, and there is no other
            Set<String> inPath = new TreeSet<>();
            Matcher m = Pattern.compile("\\{([^}]+)}").matcher(path);
            while (m.find()) {
                inPath.add(m.group(1));
            }
            Set<String> declared = new TreeSet<>();
            for (Parameter p : operation.getParameters() == null ? List.<Parameter>of() : operation.getParameters()) {
                if ("path".equals(p.getIn())) {
                    assertTrue(Boolean.TRUE.equals(p.getRequired()), path + " " + p.getName() + " required");
                    declared.add(p.getName());
                }
                assertNotNull(p.getSchema(), path + " " + p.getName() + " has a type");
            }
            assertEquals(inPath, declared, "path parameters of " + path);
            boolean isDocument = "/openapi.json".equals(path);
            assertEquals(isDocument ? List.of() : List.of("basicAuth"), operation.getSecurity().stream()
                    .flatMap(r -> r.keySet().stream()).toList(), "security of " + path);
            assertEquals(!isDocument, operation.getResponses().containsKey("401"), "401 documented on " + path);
            operation.getResponses().forEach((code, response) -> {
                if (code.startsWith("4") || code.startsWith("5")) {
                    assertEquals(Set.of("application/problem+json"), response.getContent().keySet(), path + " " + code);
                }
            });
        }));
        // OpenAPI: paths that differ only in the names of their parameters are one path, and must not both exist
        Set<String> shapes = new TreeSet<>();
        openApi.getPaths().keySet().forEach(path -> assertTrue(shapes.add(path.replaceAll("\\{[^}]+}", "{}")),
                "two paths of the shape of " + path));
        // query parameters the endpoints read
        assertEquals(Set.of("type", "limit"), queryParameters("/jobs", PathItem.HttpMethod.GET));
        assertEquals(Set.of("status", "rule", "errorClass", "since", "until", "limit", "offset"),
                queryParameters("/dead-letters", PathItem.HttpMethod.GET));
        assertEquals(Set.of("ids"), queryParameters("/dead-letters/redeliver", PathItem.HttpMethod.POST));
        assertEquals(Set.of("note"), queryParameters("/dead-letters/{id}/park", PathItem.HttpMethod.POST));
        assertEquals(Set.of("requestedBy"), queryParameters("/routes/{id}/suspend", PathItem.HttpMethod.POST));

        SecurityScheme basic = openApi.getComponents().getSecuritySchemes().get("basicAuth");
        assertEquals(SecurityScheme.Type.HTTP, basic.getType());
        assertEquals("basic", basic.getScheme());

        // the server URL, resolved against the document's own URL as OpenAPI says, is where the API answers
        assertEquals(1, openApi.getServers().size());
        String server = URI.create(documentUrl).resolve(openApi.getServers().get(0).getUrl()).toString();
        assertEquals(runtime.api(), server);
        assertEquals(200, TestHttp.get(server + "/jobs").status());
        assertTrue(operations.containsAll(List.of("list-jobs", "start-job", "get-dead-letter", "openapi")), operations.toString());
    }

    private static Set<String> queryParameters(String path, PathItem.HttpMethod method) {
        Operation operation = openApi.getPaths().get(path).readOperationsMap().get(method);
        Set<String> names = new TreeSet<>();
        operation.getParameters().stream().filter(p -> "query".equals(p.getIn())).forEach(p -> names.add(p.getName()));
        return names;
    }

    @Test
    void whatTheEndpointsAnswerMatchesTheDocumentedSchemas() throws Exception {
        // a dead letter of this test's topic, so the entry endpoints have one to show
        kafka.send(topic, List.of("{\"broken".getBytes(StandardCharsets.UTF_8)));
        JsonNode entry = Await.until("the broken record is a dead letter", Duration.ofSeconds(60),
                () -> findDeadLetter(), e -> e != null);
        long id = entry.path("id").asLong();

        String api = runtime.api();
        List<String> checked = new ArrayList<>();
        checked.add(conforms("GET", "/jobs", api + "/jobs?limit=5", 200));
        checked.add(conforms("GET", "/dead-letters", api + "/dead-letters?limit=1000", 200));
        checked.add(conforms("GET", "/dead-letters/summary", api + "/dead-letters/summary", 200));
        checked.add(conforms("GET", "/dead-letters/{id}", api + "/dead-letters/" + id, 200));
        checked.add(conforms("GET", "/routes", api + "/routes", 200));
        checked.add(conforms("GET", "/quality", api + "/quality", 200));
        checked.add(conforms("GET", "/config/reloads", api + "/config/reloads", 200));
        checked.add(conforms("GET", "/ingest", api + "/ingest", 200));
        checked.add(conforms("POST", "/dead-letters/{id}/park", api + "/dead-letters/" + id + "/park?note=contract", 200));
        checked.add(conforms("POST", "/dead-letters/{id}/park", api + "/dead-letters/" + id + "/park", 409));
        checked.add(conforms("POST", "/routes/{id}/resume", api + "/routes/ingest-events/resume?requestedBy=contract-test", 202));

        // a job: started (202), refused while it runs (409 naming it in running), read (200)
        TestHttp.Response started = Await.until("no maintenance running", Duration.ofSeconds(60),
                () -> TestHttp.post(api + "/jobs/maintenance", null), r -> r.status() != 409);
        validate("POST", "/jobs/{id}", started, 202);
        TestHttp.Response refused = TestHttp.post(api + "/jobs/maintenance", null);
        validate("POST", "/jobs/{id}", refused, 409);
        assertEquals("urn:ecom-pipeline:problem:job-already-running", refused.json().path("type").asText());
        assertEquals(started.json().path("id").asText(), refused.json().path("running").path("id").asText(), refused.body());
        checked.add(conforms("GET", "/jobs/{id}", api + "/jobs/" + started.json().path("id").asText(), 200));

        // errors: the endpoints' own and those the server answers before any endpoint
        checked.add(conforms("GET", "/jobs", api + "/jobs?limit=0", 400));
        checked.add(conforms("GET", "/jobs/{id}", api + "/jobs/no-such-run", 404));
        checked.add(conforms("POST", "/jobs/{id}", api + "/jobs/no-such-type", 404));
        checked.add(conforms("GET", "/dead-letters", api + "/dead-letters?since=yesterday", 400));
        checked.add(conforms("POST", "/routes/{id}/suspend", api + "/routes/no-such-route/suspend", 404));
        TestHttp.Response anonymous = TestHttp.getWithoutCredentials(api + "/jobs");
        validate("GET", "/jobs", anonymous, 401);
        assertTrue(anonymous.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic realm="), "the challenge stays");
        assertProblem(TestHttp.get(api + "/no-such-resource"), 404, "/api/no-such-resource");
        assertProblem(TestHttp.getWithoutCredentials(api + "/no-such-resource"), 401, "/api/no-such-resource");
        TestHttp.Response wrongMethod = TestHttp.request("DELETE", api + "/jobs", Map.of(), null);
        assertProblem(wrongMethod, 405, "/api/jobs");
        assertEquals("GET", wrongMethod.headers().firstValue("Allow").orElse(""), wrongMethod.headers().map().toString());
        assertTrue(checked.size() >= 15, checked.toString());

        // the check itself can fail: an unnamed field, or a field of the wrong type, does not pass
        JsonNode ingest = TestHttp.get(api + "/ingest").json();
        JsonSchema ingestSchema = strictSchema(document.path("paths").path("/ingest").path("get").path("responses").path("200")
                .path("content").path("application/json").path("schema"));
        assertTrue(ingestSchema.validate(ingest).isEmpty());
        ObjectNode extra = ingest.deepCopy();
        extra.put("unnamed", 1);
        assertFalse(ingestSchema.validate(extra).isEmpty(), "an unnamed field fails");
        ObjectNode wrongType = ingest.deepCopy();
        ((ObjectNode) wrongType.path("totals")).put("received", "many");
        assertFalse(ingestSchema.validate(wrongType).isEmpty(), "a wrong type fails");
        ObjectNode missing = ingest.deepCopy();
        ((ObjectNode) missing.path("totals")).remove("received");
        assertFalse(ingestSchema.validate(missing).isEmpty(), "a required field missing fails");
        ObjectNode nulled = ingest.deepCopy();
        nulled.putNull("totals");
        assertFalse(ingestSchema.validate(nulled).isEmpty(), "null where the schema does not allow it fails");

        assertRequiredFieldsAreWhatEveryAnswerCarried();
    }

    /**
     * For every schema the answers above used: its {@code required} fields are exactly those that every real answer of
     * that shape carried. Validation already fails an answer without a required field; this fails a schema that leaves
     * out a field the API always sends (a client generated from it would treat the field as optional).
     */
    private static void assertRequiredFieldsAreWhatEveryAnswerCarried() {
        assertTrue(ANSWERED.keySet().containsAll(BODY_SCHEMAS), "every body's schema is a component: " + BODY_SCHEMAS);
        assertTrue(BODY_SCHEMAS.size() >= 10, "bodies of many shapes were checked: " + BODY_SCHEMAS);
        ANSWERED.forEach((name, answers) -> {
            Set<String> always = new TreeSet<>(answers.get(0));
            answers.forEach(always::retainAll);
            Set<String> required = new TreeSet<>();
            document.path("components").path("schemas").path(name).path("required").forEach(f -> required.add(f.asText()));
            assertEquals(always, required, name + ": required fields vs the fields all " + answers.size() + " real answers carried");
        });
    }

    /** Records the field names of each object of {@code value} under the component schema ({@code $ref}) describing it. */
    private static void recordAnswered(JsonNode schema, JsonNode value) {
        if (value == null || value.isNull() || schema == null || schema.isMissingNode()) {
            return;
        }
        if (schema.has("$ref")) {
            String ref = schema.path("$ref").asText();
            String name = ref.substring(ref.lastIndexOf('/') + 1);
            if (value.isObject()) {
                Set<String> fields = new TreeSet<>();
                value.fieldNames().forEachRemaining(fields::add);
                ANSWERED.computeIfAbsent(name, k -> new ArrayList<>()).add(fields);
            }
            recordAnswered(document.path("components").path("schemas").path(name), value);
        } else if (schema.has("allOf")) {
            schema.path("allOf").forEach(part -> recordAnswered(part, value));
        } else if (value.isObject() && schema.has("properties")) {
            schema.path("properties").fields().forEachRemaining(p -> recordAnswered(p.getValue(), value.get(p.getKey())));
        } else if (value.isObject() && schema.path("additionalProperties").isObject()) {
            value.elements().forEachRemaining(v -> recordAnswered(schema.path("additionalProperties"), v));
        } else if (value.isArray() && schema.has("items")) {
            value.forEach(v -> recordAnswered(schema.path("items"), v));
        }
    }

    private static JsonNode findDeadLetter() {
        for (JsonNode e : TestHttp.get(runtime.api() + "/dead-letters?limit=1000").json().path("entries")) {
            if (topic.equals(e.path("origin").path("topic").asText())) {
                return e;
            }
        }
        return null;
    }

    private static String conforms(String method, String path, String url, int expectedStatus) throws Exception {
        TestHttp.Response response = TestHttp.request(method, url, Map.of(), null);
        validate(method, path, response, expectedStatus);
        return method + " " + url + " " + expectedStatus;
    }

    /** The response has the expected status, and its body the media type and schema documented for that status. */
    private static void validate(String method, String path, TestHttp.Response response, int expectedStatus) throws Exception {
        assertEquals(expectedStatus, response.status(), method + " " + path + ": " + response.body());
        JsonNode documented = document.path("paths").path(path).path(method.toLowerCase()).path("responses")
                .path(String.valueOf(expectedStatus)).path("content");
        assertEquals(1, documented.size(), method + " " + path + " documents " + expectedStatus + ": " + documented);
        String mediaType = documented.fieldNames().next();
        assertEquals(mediaType, response.headers().firstValue("Content-Type").orElse("").split(";")[0].trim(),
                method + " " + path + " " + expectedStatus);
        JsonNode schema = documented.path(mediaType).path("schema");
        JsonNode body = JSON.readTree(response.body());
        Set<ValidationMessage> errors = strictSchema(schema).validate(body);
        assertTrue(errors.isEmpty(), method + " " + path + " " + expectedStatus + " does not match its schema: " + errors
                + "\n" + response.body());
        recordAnswered(schema, body);
        if (schema.has("$ref")) {
            BODY_SCHEMAS.add(schema.path("$ref").asText().replaceAll(".*/", ""));
        }
        if (expectedStatus >= 400) {
            assertProblem(response, expectedStatus, null);
        }
    }

    /** The documented schema with the document's components, every object closed to fields the schema does not name. */
    private static JsonSchema strictSchema(JsonNode schema) {
        ObjectNode root = (ObjectNode) schema.deepCopy();
        ObjectNode components = (ObjectNode) document.path("components").deepCopy();
        close(components);
        close(root);
        root.set("components", components);
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4,
                builder -> builder.metaSchema(OpenApi30.getInstance()).defaultMetaSchemaIri(OpenApi30.getInstance().getIri()));
        return factory.getSchema(root);
    }

    private static void close(JsonNode node) {
        if (node instanceof ObjectNode object) {
            if (object.has("properties") && !object.has("additionalProperties")) {
                object.put("additionalProperties", false);
            }
            object.elements().forEachRemaining(ApiContractIT::close);
        } else if (node != null && node.isArray()) {
            node.forEach(ApiContractIT::close);
        }
    }

    private static void assertProblem(TestHttp.Response response, int status, String instance) {
        assertEquals(status, response.status(), response.body());
        assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElse("").split(";")[0].trim(),
                response.headers().map().toString());
        JsonNode problem = response.json();
        assertEquals(status, problem.path("status").asInt(), response.body());
        for (String member : List.of("type", "title", "detail", "instance")) {
            assertFalse(problem.path(member).asText().isBlank(), member + " in " + response.body());
        }
        if (instance != null) {
            assertEquals(instance, problem.path("instance").asText());
        }
    }
}
