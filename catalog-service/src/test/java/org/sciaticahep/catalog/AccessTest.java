package org.sciaticahep.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.sciaticahep.stack.AccessTable;
import org.sciaticahep.stack.As;
import org.sciaticahep.stack.StackTestResource;

/**
 * Every endpoint × every caller: everyone with a valid token reads the catalog, only a catalog editor writes it,
 * only ops reads metrics, and only health probes answer without a token. A refused write stores nothing.
 */
@QuarkusTest
@WithTestResource(value = StackTestResource.class, initArgs = @ResourceArg(name = "database", value = "catalog"))
class AccessTest {

    // {new}: a fresh id per call; {mine}: a definition the editor made for these tests
    static final String TABLE = """
            endpoint                              | none | expired:x | forged:x | wrong-issuer:x | wrong-audience:x | patient:p-1 | clinician:c-1 | catalog-editor | ops
            GET /exercises                        | 401  | 401       | 401      | 401            | 401              | 200         | 200           | 200            | 200
            GET /exercises/knee-to-chest          | 401  | 401       | 401      | 401            | 401              | 200         | 200           | 200            | 200
            GET /exercises/knee-to-chest/versions | 401  | 401       | 401      | 401            | 401              | 200         | 200           | 200            | 200
            POST /exercises                       | 401  | 401       | 401      | 401            | 401              | 403         | 403           | 201            | 403
            PUT /exercises/{mine}                 | 401  | 401       | 401      | 401            | 401              | 403         | 403           | 200            | 403
            GET /programs                         | 401  | 401       | 401      | 401            | 401              | 200         | 200           | 200            | 200
            GET /programs/sciatica-relief         | 401  | 401       | 401      | 401            | 401              | 200         | 200           | 200            | 200
            GET /programs/sciatica-relief/versions| 401  | 401       | 401      | 401            | 401              | 200         | 200           | 200            | 200
            POST /programs                        | 401  | 401       | 401      | 401            | 401              | 403         | 403           | 201            | 403
            PUT /programs/{mine}                  | 401  | 401       | 401      | 401            | 401              | 403         | 403           | 200            | 403
            GET /q/openapi                        | 200  | 401       | 401      | 401            | 401              | 200         | 200           | 200            | 200
            GET /q/swagger-ui/                    | 200  | 401       | 401      | 401            | 401              | 200         | 200           | 200            | 200
            GET /q/metrics                        | 401  | 401       | 401      | 401            | 401              | 403         | 403           | 403            | 200
            # probes are open; a token that is sent is still checked
            GET /q/health/live                    | 200  | 401       | 401      | 401            | 401              | 200         | 200           | 200            | 200
            GET /q/health/ready                   | 200  | 401       | 401      | 401            | 401              | 200         | 200           | 200            | 200
            """;

    static List<AccessTable.Case> cases() {
        return AccessTable.parse(TABLE);
    }

    static String mineExercise;
    static String mineProgram;

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void endpointAnswersCallerAsTheTableSays(AccessTable.Case c) {
        boolean programs = c.path().startsWith("/programs");
        String id = Drafts.newId("access");
        Map<String, Object> body = switch (c.method()) {
            case "POST" -> programs ? Drafts.program(id, "pelvic-tilt") : Drafts.exercise(id);
            case "PUT" -> programs ? Drafts.program(mine(true), "pelvic-tilt") : Drafts.exercise(mine(false));
            default -> null;
        };
        String path = c.path().replace("{mine}", c.path().contains("{mine}") ? mine(programs) : "");
        Response response = AccessTable.call(new AccessTable.Case(c.method(), path, c.caller(), c.status()), body);

        assertEquals(c.status(), response.statusCode(), response.asString());
        if (c.status() == 403) {
            assertEquals("application/problem+json", response.contentType());
        }
        if ("POST".equals(c.method())) {
            // a refused write stores nothing
            As.catalogEditor().get((programs ? "/programs/" : "/exercises/") + id).then()
                    .statusCode(c.status() == 201 ? 200 : 404);
        }
    }

    private static synchronized String mine(boolean program) {
        if (mineExercise == null) {
            mineExercise = Drafts.newId("mine");
            As.catalogEditor().contentType(ContentType.JSON).body(Drafts.exercise(mineExercise)).post("/exercises").then().statusCode(201);
            mineProgram = Drafts.newId("mine");
            As.catalogEditor().contentType(ContentType.JSON).body(Drafts.program(mineProgram, "pelvic-tilt")).post("/programs").then().statusCode(201);
        }
        return program ? mineProgram : mineExercise;
    }
}
