package io.ecompipeline.api;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.servers.Server;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.openapi.BeanConfig;
import org.apache.camel.openapi.OpenApiHelper;
import org.apache.camel.openapi.RestOpenApiReader;
import org.apache.camel.openapi.RestOpenApiSupport;
import org.apache.camel.spi.ClassResolver;
import org.apache.camel.spi.RestConfiguration;
import org.jspecify.annotations.Nullable;

/**
 * {@code GET /api/openapi.json}: the OpenAPI 3.0 document of the REST routes the runtime has (camel-openapi-java reads
 * the REST DSL of routes/api.yaml: parameters, schemas from {@link ApiSchemas}, the basic-auth scheme), completed with
 * what the REST DSL cannot say:
 * <ul>
 *   <li>errors are {@code application/problem+json} (the DSL writes every response with the verb's media type);</li>
 *   <li>every operation behind basic auth can answer 401 (with the challenge), every operation 500;</li>
 *   <li>the server URL is the context path, relative ({@code /api}): right behind any host, port, TLS or proxy, where
 *       the generated one named the bind address ({@code http://0.0.0.0/api}).</li>
 * </ul>
 * Camel's own API route ({@code camel.rest.apiContextPath}) cannot be completed like this, so the document is served by
 * this endpoint; it needs no credentials (HttpServerFactory lets an anonymous GET of it through).
 */
public final class OpenApiEndpoint {

    static final String PROBLEM_JSON = "application/problem+json";
    private static final String PROBLEM_REF = RestOpenApiReader.OAS30_SCHEMA_DEFINITION_PREFIX + "Problem";

    private final CamelContext context;

    public OpenApiEndpoint(CamelContext context) {
        this.context = context;
    }

    public void get(Exchange exchange) throws Exception {
        String body = render(document());
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getMessage().setBody(body);
    }

    /** The document, made anew on each request: a REST route edited at runtime shows at once. */
    OpenAPI document() throws Exception {
        RestConfiguration rest = context.getRestConfiguration();
        Map<String, Object> properties = rest.getApiProperties() == null ? Map.of() : rest.getApiProperties();
        BeanConfig config = new BeanConfig();
        config.setVersion("3.0.3");
        config.setInfo(new Info().title(String.valueOf(properties.getOrDefault("api.title", context.getName())))
                .version(String.valueOf(properties.getOrDefault("api.version", "1")))
                .description(properties.containsKey("api.description") ? String.valueOf(properties.get("api.description")) : null));
        String contextPath = rest.getContextPath() == null ? "" : rest.getContextPath();
        config.setBasePath(contextPath);
        OpenAPI openApi = new RestOpenApiReader().read(context, new RestOpenApiSupport().getRestDefinitions(context), config,
                context.getName(), context.getClassResolver());
        markRequiredAndNullable(openApi, context.getClassResolver());
        OpenApiHelper.clearVendorExtensions(openApi);
        complete(openApi, contextPath.isEmpty() ? "/" : contextPath);
        return openApi;
    }

    /**
     * What a client may rely on, from the records behind the schemas: every field is {@code required} (the bodies always
     * carry it) unless annotated {@code @Schema(requiredMode = NOT_REQUIRED)}, and {@code nullable} only where the
     * field's type is annotated {@link Nullable} (OpenAPI 3.0 allows null only with {@code nullable}). The reader names
     * each schema's class in the {@code x-className} extension, read here before the extensions are cleared.
     */
    static void markRequiredAndNullable(OpenAPI openApi, ClassResolver classes) {
        if (openApi.getComponents() == null || openApi.getComponents().getSchemas() == null) {
            return;
        }
        for (Schema<?> schema : openApi.getComponents().getSchemas().values()) {
            Object extension = schema.getExtensions() == null ? null : schema.getExtensions().get("x-className");
            Object className = extension instanceof Map<?, ?> m ? m.get("format") : null;
            Class<?> type = className == null ? null : classes.resolveClass(className.toString());
            if (type == null || !type.isRecord() || schema.getProperties() == null) {
                continue;
            }
            List<String> required = new ArrayList<>();
            for (RecordComponent component : type.getRecordComponents()) {
                Schema<?> property = schema.getProperties().get(component.getName());
                if (property == null) {
                    continue;
                }
                anyValues(property);
                io.swagger.v3.oas.annotations.media.Schema documented =
                        component.getAccessor().getAnnotation(io.swagger.v3.oas.annotations.media.Schema.class);
                if (documented == null || documented.requiredMode() != RequiredMode.NOT_REQUIRED) {
                    required.add(component.getName());
                }
                boolean nullable = component.getAnnotatedType().isAnnotationPresent(Nullable.class);
                if (nullable && property.get$ref() != null) {
                    // OpenAPI 3.0 ignores siblings of $ref: wrap it
                    Schema<Object> wrapped = new Schema<>();
                    wrapped.setAllOf(List.of(new Schema<>().$ref(property.get$ref())));
                    wrapped.setNullable(true);
                    schema.getProperties().put(component.getName(), wrapped);
                } else {
                    property.setNullable(nullable ? Boolean.TRUE : null);
                }
            }
            schema.setRequired(required.isEmpty() ? null : required);
        }
    }

    /**
     * A {@code Map<String, Object>} (a job's figures) holds numbers, text and lists, but the reader documents its values
     * as objects: any value it is.
     */
    private static void anyValues(Schema<?> property) {
        if (property != null && property.getAdditionalProperties() instanceof Schema<?> values
                && "object".equals(values.getType()) && values.getProperties() == null && values.get$ref() == null) {
            property.setAdditionalProperties(new Schema<>());
        }
    }

    static void complete(OpenAPI openApi, String serverUrl) {
        openApi.setServers(List.of(new Server().url(serverUrl).description("this runtime (relative to the document)")));
        // the reader adds each REST block's requirement to the document's list: one is enough, per operation
        List<SecurityRequirement> security = openApi.getSecurity() == null ? List.of() : openApi.getSecurity().stream().distinct().toList();
        openApi.setSecurity(null);
        if (openApi.getPaths() == null) {
            return;
        }
        openApi.getPaths().forEach((path, item) -> item.readOperations().forEach(operation -> {
            // the document itself needs no credentials (HttpServerFactory lets it through)
            if (operation.getSecurity() == null) {
                operation.setSecurity(HttpServerFactory.OPENAPI_PATH.equals(path) ? List.of() : security);
            }
            complete(operation);
        }));
    }

    private static void complete(Operation operation) {
        ApiResponses responses = operation.getResponses() == null ? new ApiResponses() : operation.getResponses();
        operation.setResponses(responses);
        // the default response the reader adds when none is declared would say nothing
        responses.remove("default");
        responses.forEach((code, response) -> {
            if (code.startsWith("4") || code.startsWith("5")) {
                problemContent(response);
            }
        });
        boolean secured = operation.getSecurity() != null && !operation.getSecurity().isEmpty();
        if (secured && !responses.containsKey("401")) {
            ApiResponse unauthorized = problemContent(new ApiResponse().description("no or wrong credentials"));
            unauthorized.addHeaderObject("WWW-Authenticate", new Header().description("the Basic challenge with the realm")
                    .schema(new StringSchema()));
            responses.addApiResponse("401", unauthorized);
        }
        if (!responses.containsKey("500")) {
            responses.addApiResponse("500", problemContent(new ApiResponse().description("unexpected failure (detail says which)")));
        }
    }

    /** The response's body as problem details, keeping a more specific schema (e.g. a 409 naming the running job). */
    private static ApiResponse problemContent(ApiResponse response) {
        Schema<?> schema = null;
        if (response.getContent() != null) {
            schema = response.getContent().values().stream().map(MediaType::getSchema).filter(s -> s != null).findFirst().orElse(null);
        }
        if (schema == null) {
            schema = new Schema<>().$ref(PROBLEM_REF);
        }
        response.setContent(new Content().addMediaType(PROBLEM_JSON, new MediaType().schema(schema)));
        return response;
    }

    static String render(OpenAPI openApi) throws JsonProcessingException {
        return Json.mapper().writeValueAsString(openApi);
    }
}
