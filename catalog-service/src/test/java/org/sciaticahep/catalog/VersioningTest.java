package org.sciaticahep.catalog;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.sciaticahep.contracts.CloudEventHeaders;
import org.sciaticahep.contracts.EventTypes;
import org.sciaticahep.contracts.Topics;
import org.sciaticahep.contracts.catalog.ExerciseDefinition;
import org.sciaticahep.contracts.catalog.ProgramDefinition;
import org.sciaticahep.stack.As;
import org.sciaticahep.stack.StackTestResource;
import org.sciaticahep.stack.TopicReader;

/** A change is a new version: the old one is kept, and a Kafka consumer sees the new one. */
@QuarkusTest
@WithTestResource(value = StackTestResource.class, initArgs = @ResourceArg(name = "database", value = "catalog"))
class VersioningTest {

    @Inject
    ObjectMapper json;

    @Test
    void newExerciseVersionIsKeptAndPublished() throws Exception {
        String id = Drafts.newId("hamstring");
        Map<String, Object> draft = Drafts.exercise(id);
        As.catalogEditor().contentType(ContentType.JSON).body(draft).post("/exercises").then().statusCode(201)
                .header("Location", endsWith("/exercises/" + id))
                .body("version", equalTo(1));

        Drafts.range(draft, "reps").put("max", 12);
        draft.put("version", 1);
        As.catalogEditor().contentType(ContentType.JSON).body(draft).put("/exercises/" + id).then().statusCode(200)
                .body("version", equalTo(2))
                .body("dosage.reps.max", equalTo(12));

        As.catalogEditor().get("/exercises/" + id).then().body("version", equalTo(2));
        As.catalogEditor().get("/exercises/" + id + "/versions").then().statusCode(200)
                .body("version", contains(1, 2))
                .body("dosage.reps.max", contains(8, 12));

        try (TopicReader reader = TopicReader.fromBeginning(StackTestResource.kafka(),
                Topics.EXERCISE_CATALOG.name())) {
            List<ConsumerRecord<String, String>> mine = reader.readUntil(
                    seen -> seen.stream().filter(r -> id.equals(r.key())).count() >= 2, Duration.ofSeconds(30))
                    .stream().filter(r -> id.equals(r.key())).toList();
            assertEquals(2, mine.size(), "both versions published once each");
            ConsumerRecord<String, String> latest = mine.get(1);
            assertEquals("exercise/" + id + "/v2", TopicReader.header(latest, CloudEventHeaders.ID));
            ExerciseDefinition v2 = json.readValue(latest.value(), ExerciseDefinition.class);
            assertEquals(2, v2.version());
            assertEquals(12, v2.dosage().reps().max());
        }
    }

    @Test
    void staleVersionIsAConflictAndChangesNothing() {
        String id = Drafts.newId("stale");
        Map<String, Object> draft = Drafts.exercise(id);
        As.catalogEditor().contentType(ContentType.JSON).body(draft).post("/exercises").then().statusCode(201);
        As.catalogEditor().contentType(ContentType.JSON).body(draft).put("/exercises/" + id).then().statusCode(200)
                .body("version", equalTo(2));

        draft.put("version", 1);
        draft.put("name", "Edited from a stale copy");
        ValidationTest.problem(As.catalogEditor().contentType(ContentType.JSON).body(draft).put("/exercises/" + id), 409);
        As.catalogEditor().get("/exercises/" + id).then().body("version", equalTo(2)).body("name", equalTo("Standing hamstring stretch"));
    }

    @Test
    void programVersionsArePublishedToProgramCatalog() throws Exception {
        String id = Drafts.newId("program");
        Map<String, Object> program = Drafts.program(id, "knee-to-chest", "childs-pose");
        As.catalogEditor().contentType(ContentType.JSON).body(program).post("/programs").then().statusCode(201)
                .body("version", equalTo(1));
        @SuppressWarnings("unchecked")
        Map<String, Object> first = ((List<Map<String, Object>>) program.get("exercises")).get(0);
        first.put("dosage", Map.of("sets", 2, "reps", Map.of("min", 3, "max", 5), "perSide", true));
        As.catalogEditor().contentType(ContentType.JSON).body(program).put("/programs/" + id).then().statusCode(200)
                .body("version", equalTo(2))
                .body("exercises[0].dosage.sets", equalTo(2));

        try (TopicReader reader = TopicReader.fromBeginning(StackTestResource.kafka(),
                Topics.PROGRAM_CATALOG.name())) {
            ConsumerRecord<String, String> latest = reader.readUntil(
                            seen -> seen.stream().anyMatch(r -> ("program/" + id + "/v2").equals(TopicReader.header(r, CloudEventHeaders.ID))),
                            Duration.ofSeconds(30)).stream()
                    .filter(r -> id.equals(r.key())).reduce((a, b) -> b).orElseThrow();
            assertEquals(EventTypes.PROGRAM_DEFINED, TopicReader.header(latest, CloudEventHeaders.TYPE));
            ProgramDefinition v2 = json.readValue(latest.value(), ProgramDefinition.class);
            assertEquals(2, v2.version());
            assertEquals(2, v2.exercises().get(0).dosage().sets());
            assertTrue(v2.exercises().get(1).dosage() == null, "no override keeps the exercise's own dosage");
        }
    }
}
