package org.sciaticahep.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.sciaticahep.stack.As;
import org.sciaticahep.contracts.Topics.TopicSpec;
import org.sciaticahep.stack.KafkaBroker;
import org.sciaticahep.stack.KafkaCredentials;
import org.sciaticahep.stack.StackTestResource;
import org.sciaticahep.stack.TopicReader;

/**
 * Starts the catalog against topics nobody has written to: the startup republish alone must fill them with the
 * current version of every definition in the database, including ones other tests created before this start.
 */
@QuarkusTest
@TestProfile(RepublishOnStartTest.EmptyTopics.class)
@WithTestResource(value = StackTestResource.class, initArgs = @ResourceArg(name = "database", value = "catalog"))
class RepublishOnStartTest {

    public static class EmptyTopics implements QuarkusTestProfile {
        static final String EXERCISES = "exercise-catalog-fresh-" + ProcessHandle.current().pid();
        static final String PROGRAMS = "program-catalog-fresh-" + ProcessHandle.current().pid();

        @Override
        public Map<String, String> getConfigOverrides() {
            // topics of this test's own, which catalog-service's principal may write as it writes its real ones
            KafkaBroker kafka = StackTestResource.kafka();
            kafka.createTopics(List.of(new TopicSpec(EXERCISES, 3, true, false), new TopicSpec(PROGRAMS, 3, true, false)));
            kafka.allowWrites(KafkaCredentials.CATALOG, EXERCISES);
            kafka.allowWrites(KafkaCredentials.CATALOG, PROGRAMS);
            return Map.of("catalog.topics.exercises", EXERCISES, "catalog.topics.programs", PROGRAMS);
        }
    }

    @Test
    void consumerOnAnEmptyTopicGetsTheWholeCatalog() {
        List<String> exerciseIds = As.patient("p-reader").get("/exercises").then().statusCode(200).extract().jsonPath().getList("id");
        List<String> programIds = As.patient("p-reader").get("/programs").then().statusCode(200).extract().jsonPath().getList("id");

        assertEquals(new HashSet<>(exerciseIds), keysOn(EmptyTopics.EXERCISES, exerciseIds.size()));
        assertEquals(new HashSet<>(programIds), keysOn(EmptyTopics.PROGRAMS, programIds.size()));
    }

    private static Set<String> keysOn(String topic, int expected) {
        try (TopicReader reader = TopicReader.fromBeginning(StackTestResource.kafka(), topic)) {
            return SeededCatalogTest.keys(reader.readUntil(seen -> SeededCatalogTest.keys(seen).size() >= expected,
                    Duration.ofSeconds(30)));
        }
    }
}
