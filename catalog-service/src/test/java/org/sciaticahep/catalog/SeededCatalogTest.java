package org.sciaticahep.catalog;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sciaticahep.contracts.CloudEventHeaders;
import org.sciaticahep.contracts.EventTypes;
import org.sciaticahep.contracts.Topics;
import org.sciaticahep.contracts.catalog.ExerciseDefinition;
import org.sciaticahep.stack.As;
import org.sciaticahep.stack.StackTestResource;
import org.sciaticahep.stack.TopicReader;

/** The seven exercises and the program of the source article, as served over REST and as published on Kafka. */
@QuarkusTest
@WithTestResource(value = StackTestResource.class, initArgs = @ResourceArg(name = "database", value = "catalog"))
class SeededCatalogTest {

    static final List<String> ARTICLE_EXERCISES = List.of("knee-to-chest", "glute-bridge", "sitting-pigeon-pose",
            "sitting-trunk-stretch", "childs-pose", "prone-extension", "pelvic-tilt");

    /** GPath selecting the article's exercises from GET /exercises, which also lists those other tests add. */
    static final String ARTICLE = "findAll { it.id in ['" + String.join("','", ARTICLE_EXERCISES) + "'] }";

    @Inject
    ObjectMapper json;

    @ParameterizedTest(name = "{0}")
    @CsvSource(nullValues = "-", value = {
            // id,                  sets, reps,   hold,   per side  (as the article gives them)
            "knee-to-chest,         1,    3,3,    0,30,   true",
            "glute-bridge,          1,    8,10,   -,-,    false",
            "sitting-pigeon-pose,   1,    1,1,    10,20,  true",
            "sitting-trunk-stretch, 1,    2,3,    20,30,  true",
            "childs-pose,           1,    1,1,    0,30,   false",
            "prone-extension,       1,    10,10,  10,30,  false",
            "pelvic-tilt,           1,    10,10,  -,-,    false"})
    void seededDosageIsTheArticles(String id, int sets, int repsMin, int repsMax, Integer holdMin, Integer holdMax,
                                   boolean perSide) {
        JsonPath exercise = As.patient("p-reader").get("/exercises/" + id).then().statusCode(200).extract().jsonPath();
        assertEquals(sets, exercise.getInt("dosage.sets"));
        assertEquals(repsMin, exercise.getInt("dosage.reps.min"));
        assertEquals(repsMax, exercise.getInt("dosage.reps.max"));
        assertEquals(holdMin, exercise.get("dosage.holdSeconds.min"));
        assertEquals(holdMax, exercise.get("dosage.holdSeconds.max"));
        assertEquals(perSide, exercise.getBoolean("dosage.perSide"));
        assertTrue(exercise.getList("steps").size() >= 3, "the article gives at least three steps");
    }

    @Test
    void everyExerciseCarriesTheArticlesStopRule() {
        As.patient("p-reader").get("/exercises").then().statusCode(200)
                .body("id", hasItem("pelvic-tilt"))
                .body(ARTICLE + ".size()", equalTo(7))
                .body(ARTICLE + ".collect { it.cautions[0] }", everyItem(containsString("must not worsen pain or cause new pain")))
                .body(ARTICLE + ".collect { it.cautions[0] }", everyItem(containsString("stop immediately")))
                .body(ARTICLE + ".version", everyItem(equalTo(2)));
        As.patient("p-reader").get("/exercises/prone-extension").then()
                .body("aliases", contains("cobra pose"))
                .body("kind", equalTo("STRETCH"))
                .body("steps[1]", equalTo("Arch the back to raise the chest off the ground with the head facing forward."));
        As.patient("p-reader").get("/exercises/knee-to-chest").then()
                .body("steps[0]", equalTo("Lie on the back with the legs bent so the knees point upward and the feet are flat on the floor."));
    }

    /** Version 2 of each says how its dosage builds up, as the article does; version 1 stays as it was. */
    @Test
    void eachExerciseBuildsUpAsTheArticleSays() {
        As.patient("p-reader").get("/exercises/glute-bridge").then().statusCode(200)
                .body("version", equalTo(2))
                .body("progression.reps.by", equalTo(2)).body("progression.reps.max", equalTo(10))
                .body("progression.sets.by", equalTo(1)).body("progression.sets.max", equalTo(3))
                .body("progression.holdSeconds", nullValue())
                .body("dosage.reps.min", equalTo(8));
        As.patient("p-reader").get("/exercises/pelvic-tilt").then()
                .body("progression.reps.by", equalTo(2)).body("progression.reps.max", equalTo(20)).body("progression.sets", nullValue());
        for (String held : List.of("knee-to-chest", "sitting-pigeon-pose", "sitting-trunk-stretch", "childs-pose", "prone-extension")) {
            JsonPath e = As.patient("p-reader").get("/exercises/" + held).then().extract().jsonPath();
            assertEquals(5, e.getInt("progression.holdSeconds.by"), held);
            assertEquals(e.getInt("dosage.holdSeconds.max"), e.getInt("progression.holdSeconds.max"), held + ": up to the article's longest hold");
            assertNull(e.get("progression.reps"), held);
        }
        As.patient("p-reader").get("/exercises/glute-bridge/versions").then()
                .body("version", contains(1, 2)).body("[0].progression", nullValue());
    }

    @Test
    void sciaticaReliefIsAllSevenOnceADayEveryDay() {
        As.patient("p-reader").get("/programs/sciatica-relief").then().statusCode(200)
                .body("exercises.exerciseId", contains(ARTICLE_EXERCISES.toArray()))
                .body("exercises.dosage", everyItem(nullValue()))
                .body("schedule.timesPerDay", equalTo(1))
                .body("schedule.daysOfWeek", containsInAnyOrder("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY",
                        "FRIDAY", "SATURDAY", "SUNDAY"))
                .body("description", containsString("4-6 weeks"));
    }

    @Test
    void seededExercisesArePublishedWithCloudEventsHeaders() throws Exception {
        try (TopicReader reader = TopicReader.fromBeginning(StackTestResource.kafka(),
                Topics.EXERCISE_CATALOG.name())) {
            // every version is published, in order: the newest (with its progression) is what is served
            List<ConsumerRecord<String, String>> records = reader.readUntil(seen -> keys(seen).containsAll(ARTICLE_EXERCISES)
                    && seen.stream().anyMatch(r -> "exercise/glute-bridge/v2".equals(TopicReader.header(r, CloudEventHeaders.ID))),
                    Duration.ofSeconds(30));
            assertTrue(keys(records).containsAll(ARTICLE_EXERCISES), "published: " + keys(records));

            ConsumerRecord<String, String> bridge = records.stream()
                    .filter(r -> "exercise/glute-bridge/v2".equals(TopicReader.header(r, CloudEventHeaders.ID))).findFirst().orElseThrow();
            assertEquals("glute-bridge", bridge.key());
            assertEquals(EventTypes.EXERCISE_DEFINED, TopicReader.header(bridge, CloudEventHeaders.TYPE));
            assertEquals("/catalog-service", TopicReader.header(bridge, CloudEventHeaders.SOURCE));
            assertEquals("1.0", TopicReader.header(bridge, CloudEventHeaders.SPEC_VERSION));
            assertEquals("glute-bridge", TopicReader.header(bridge, CloudEventHeaders.SUBJECT));
            assertNotNull(Instant.parse(TopicReader.header(bridge, CloudEventHeaders.TIME)));

            ExerciseDefinition published = json.readValue(bridge.value(), ExerciseDefinition.class);
            ExerciseDefinition served = json.readValue(As.patient("p-reader").get("/exercises/glute-bridge").asString(), ExerciseDefinition.class);
            assertEquals(served, published);
        }
    }

    @Test
    void readinessCoversDatabaseAndKafka() {
        Map<String, String> checks = given().get("/q/health/ready").then().statusCode(200)
                .extract().jsonPath().getMap("checks.collectEntries { [(it.name): it.status] }");
        Set<String> names = checks.keySet();
        assertTrue(names.stream().anyMatch(n -> n.toLowerCase().contains("postgresql")), "checks: " + names);
        assertTrue(names.stream().anyMatch(n -> n.toLowerCase().contains("kafka")), "checks: " + names);
        assertTrue(checks.values().stream().allMatch("UP"::equals), "checks: " + checks);
    }

    static Set<String> keys(List<ConsumerRecord<String, String>> records) {
        return records.stream().map(ConsumerRecord::key).collect(Collectors.toSet());
    }
}
