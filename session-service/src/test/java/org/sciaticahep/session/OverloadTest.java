package org.sciaticahep.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sciaticahep.session.SessionFixture.BOTH_SIDES;
import static org.sciaticahep.session.SessionFixture.exercise;
import static org.sciaticahep.session.SessionFixture.minutesAgo;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.sciaticahep.catalogcopy.CatalogCopy;
import org.sciaticahep.stack.As;
import org.sciaticahep.stack.StackTestResource;

/**
 * More requests at once than the service takes: the excess is answered 503 with Retry-After at once and stores
 * nothing; what got a 202 is stored; sent again, the refused batches are taken. Health probes still answer.
 */
@QuarkusTest
@TestProfile(OverloadTest.TwoAtATime.class)
@WithTestResource(value = StackTestResource.class, initArgs = @ResourceArg(name = "database", value = "session"))
class OverloadTest {

    public static class TwoAtATime implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("service.http.max-in-flight", "2");
        }
    }

    @Inject
    CatalogCopy catalog;

    @Test
    void excessRequestsAreRefusedAtOnceAndNothingOfThemIsStored() throws Exception {
        SessionFixture.publishCatalog(catalog);
        List<String> patients = new ArrayList<>();
        List<List<Map<String, Object>>> batches = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            patients.add(SessionFixture.newPatient());
            List<Map<String, Object>> batch = new ArrayList<>();
            for (int e = 0; e < 300; e++) {
                batch.add(exercise(BOTH_SIDES, null, 1, 10, minutesAgo(10 + e)));
            }
            batches.add(batch);
        }
        ExecutorService clients = Executors.newFixedThreadPool(24);
        List<CompletableFuture<Response>> answers = new ArrayList<>();
        for (int i = 0; i < patients.size(); i++) {
            String patient = patients.get(i);
            List<Map<String, Object>> batch = batches.get(i);
            answers.add(CompletableFuture.supplyAsync(() -> As.patient(patient).contentType(ContentType.JSON).body(batch)
                    .post("/patients/" + patient + "/events"), clients));
        }
        CompletableFuture.allOf(answers.toArray(new CompletableFuture[0])).get();
        clients.shutdown();
        // the reads and the retries one at a time, once the rush is over
        int refused = 0;
        for (int i = 0; i < patients.size(); i++) {
            Response answer = answers.get(i).get();
            int stored = As.patient(patients.get(i)).get("/patients/" + patients.get(i) + "/events").jsonPath().getInt("total");
            if (answer.statusCode() == 503) {
                refused++;
                assertEquals("1", answer.header("Retry-After"));
                assertEquals("application/problem+json", answer.contentType());
                assertEquals(0, stored, "a refused batch stores nothing");
                // the app sends it again, alone this time
                As.patient(patients.get(i)).contentType(ContentType.JSON).body(batches.get(i))
                        .post("/patients/" + patients.get(i) + "/events").then().statusCode(202);
            } else {
                assertEquals(202, answer.statusCode(), answer.asString());
                assertEquals(300, stored);
            }
        }
        assertTrue(refused > 0, "24 batches at once against 2 at a time: some must have been refused");
        As.ops().get("/q/metrics").then().body(org.hamcrest.Matchers.containsString("http_server_requests_shed_total"));
        As.ops().get("/q/health/ready").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("Catalog copy"));
    }
}
