package org.sciaticahep.session;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sciaticahep.stack.StackTestResource;

/**
 * The API as a client team reads it: the OpenAPI document answers without a token, every operation lists its
 * problem answers with their schema and an example, the bearer scheme is declared, and Swagger UI is served.
 */
@QuarkusTest
@WithTestResource(value = StackTestResource.class, initArgs = @ResourceArg(name = "database", value = "session"))
class ApiDocumentTest {

    @Test
    void everyOperationDocumentsItsProblems() {
        JsonPath api = given().queryParam("format", "json").get("/q/openapi").then().statusCode(200).extract().jsonPath();
        assertEquals("http", api.getString("components.securitySchemes.bearer.type"));
        assertEquals("bearer", api.getString("components.securitySchemes.bearer.scheme"));
        assertTrue(api.getMap("components.schemas.Problem.properties").keySet().containsAll(List.of("type", "title", "status", "detail", "violations")));
        Map<String, Map<String, Map<String, Object>>> paths = api.getMap("paths");
        int operations = 0;
        for (Map.Entry<String, Map<String, Map<String, Object>>> path : paths.entrySet()) {
            if (!path.getKey().startsWith("/patients")) {
                continue;
            }
            for (Map.Entry<String, Map<String, Object>> operation : path.getValue().entrySet()) {
                Map<String, Object> responses = (Map<String, Object>) operation.getValue().get("responses");
                String where = operation.getKey() + " " + path.getKey();
                for (String status : List.of("400", "401", "403", "404", "503")) {
                    Map<String, Object> answer = (Map<String, Object>) responses.get(status);
                    assertTrue(answer != null, where + " lacks " + status);
                    Map<String, Object> problem = (Map<String, Object>) ((Map<String, Object>) answer.get("content")).get("application/problem+json");
                    assertEquals("#/components/schemas/Problem", ((Map<String, Object>) problem.get("schema")).get("$ref"), where + " " + status);
                    assertFalse(((Map<String, Object>) problem.get("example")).isEmpty(), where + " " + status + " has no example");
                }
                if (operation.getValue().containsKey("requestBody")) {
                    assertTrue(responses.containsKey("422"), where + " takes a body but lists no 422");
                    Map<String, Object> body = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) operation.getValue()
                            .get("requestBody")).get("content")).get("application/json");
                    assertTrue(body != null && body.get("examples") instanceof Map<?, ?> examples && !examples.isEmpty(),
                            where + " has no example body");
                }
                operations++;
            }
        }
        assertTrue(operations >= 10, "the patient operations: " + operations);
    }

    @Test
    void swaggerUiIsServed() {
        given().get("/q/swagger-ui/").then().statusCode(200).body(containsString("swagger-ui"));
    }
}
