package org.sciaticahep.support;

import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;

/**
 * Every operation's problem answers in the OpenAPI document, each with its {@code application/problem+json} schema
 * and an example, as {@link ProblemMappers} answers them: a client team reads them there, not in our code.
 */
public class ProblemResponses implements OASFilter {

    static final String SCHEMA = "Problem";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getComponents() == null) {
            openAPI.setComponents(OASFactory.createComponents());
        }
        openAPI.getComponents().addSchema(SCHEMA, problemSchema());
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        openAPI.getPaths().getPathItems().forEach((path, item) -> item.getOperations().forEach((method, operation) -> {
            if (path.equals("/") || path.startsWith("/dashboard") || path.startsWith("/login") || path.startsWith("/logout")) {
                return; // the dashboard's pages answer HTML (and send the signed-out to sign in), not problems
            }
            boolean hasBody = operation.getRequestBody() != null;
            boolean hasParameters = path.contains("{") || (operation.getParameters() != null && !operation.getParameters().isEmpty());
            if (hasBody || hasParameters) {
                add(operation, "400", "Malformed: a parameter or the body is not what it must be (the field is named)",
                        problem("urn:problem:malformed-request", "Malformed request", 400, "patientId is not a valid id",
                                List.of(Map.of("field", "patientId", "reason", "must be 1-64 letters, digits, '.', '_' or '-'"))));
            }
            if (!path.startsWith("/q/health")) {
                add(operation, "401", "No valid bearer token", problem("urn:problem:unauthorized", "Unauthorized", 401,
                        "a valid bearer token is needed", List.of()));
                add(operation, "403", "The token does not allow this (a patient's data: the same answer whether or not they exist)",
                        problem("urn:problem:forbidden", "Forbidden", 403, "not allowed to access this patient", List.of()));
            }
            if (path.contains("{")) {
                add(operation, "404", "Nothing there for this caller", problem("urn:problem:not-found", "Not found", 404,
                        "no such flag", List.of()));
            }
            if (hasBody) {
                add(operation, "422", "The body breaks a rule (every field that does is named)", problem("urn:problem:invalid-request",
                        "Invalid request", 422, "1 field(s) are invalid",
                        List.of(Map.of("index", 0, "field", "score", "reason", "must be between 0 and 10"))));
            }
            add(operation, "503", "Busy or the database away for a moment: try again after Retry-After seconds",
                    problem("urn:problem:unavailable", "Service Unavailable", 503, "try again shortly", List.of()));
        }));
    }

    private static void add(Operation operation, String status, String description, Map<String, Object> example) {
        if (operation.getResponses() == null) {
            operation.setResponses(OASFactory.createAPIResponses());
        }
        Content content = OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE, OASFactory.createMediaType()
                .schema(OASFactory.createSchema().ref(SCHEMA)).example(example));
        APIResponse existing = operation.getResponses().getAPIResponse(status);
        if (existing == null) {
            operation.getResponses().addAPIResponse(status, OASFactory.createAPIResponse().description(description).content(content));
        } else if (existing.getContent() == null || existing.getContent().getMediaTypes() == null
                || existing.getContent().getMediaTypes().isEmpty()) {
            // Quarkus' own 401 and 403 of a secured operation say nothing of the body: it is a problem
            existing.setContent(content);
        }
    }

    private static Map<String, Object> problem(String type, String title, int status, String detail, List<Map<String, Object>> violations) {
        return violations.isEmpty()
                ? Map.of("type", type, "title", title, "status", status, "detail", detail)
                : Map.of("type", type, "title", title, "status", status, "detail", detail, "violations", violations);
    }

    private static Schema problemSchema() {
        Schema violation = OASFactory.createSchema().addType(Schema.SchemaType.OBJECT)
                .addProperty("index", OASFactory.createSchema().addType(Schema.SchemaType.INTEGER)
                        .description("the item of a batch it is about, when the body is a list"))
                .addProperty("field", OASFactory.createSchema().addType(Schema.SchemaType.STRING).description("JSON path of the field"))
                .addProperty("reason", OASFactory.createSchema().addType(Schema.SchemaType.STRING));
        return OASFactory.createSchema().addType(Schema.SchemaType.OBJECT).description("RFC 9457 problem details")
                .addProperty("type", OASFactory.createSchema().addType(Schema.SchemaType.STRING))
                .addProperty("title", OASFactory.createSchema().addType(Schema.SchemaType.STRING))
                .addProperty("status", OASFactory.createSchema().addType(Schema.SchemaType.INTEGER))
                .addProperty("detail", OASFactory.createSchema().addType(Schema.SchemaType.STRING))
                .addProperty("violations", OASFactory.createSchema().addType(Schema.SchemaType.ARRAY).items(violation))
                .required(List.of("type", "title", "status"));
    }
}
