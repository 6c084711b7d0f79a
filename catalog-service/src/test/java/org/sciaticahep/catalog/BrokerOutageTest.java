package org.sciaticahep.catalog;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.sciaticahep.contracts.Topics;
import org.sciaticahep.stack.KafkaBroker;
import org.sciaticahep.stack.As;
import org.sciaticahep.stack.StackTestResource;
import org.sciaticahep.stack.TopicReader;

/** A write made while Kafka is down is stored at once and published once the broker is back: never lost. */
@QuarkusTest
@WithTestResource(value = StackTestResource.class, initArgs = @ResourceArg(name = "database", value = "catalog"))
class BrokerOutageTest {

    @Test
    void writeDuringOutageIsPublishedAfterIt() {
        KafkaBroker kafka = StackTestResource.kafka();
        String id = Drafts.newId("outage");
        kafka.stop();
        try {
            As.catalogEditor().contentType(ContentType.JSON).body(Drafts.exercise(id)).post("/exercises").then().statusCode(201);
            As.catalogEditor().get("/exercises/" + id).then().statusCode(200).body("version", equalTo(1));
            given().get("/q/health/ready").then().statusCode(503);
        } finally {
            kafka.start();
        }
        try (TopicReader reader = TopicReader.fromBeginning(kafka, Topics.EXERCISE_CATALOG.name())) {
            List<ConsumerRecord<String, String>> mine = reader.readUntil(
                    seen -> seen.stream().anyMatch(r -> id.equals(r.key())), Duration.ofSeconds(90))
                    .stream().filter(r -> id.equals(r.key())).toList();
            assertEquals(1, mine.size(), "published exactly once after the outage");
            assertTrue(mine.get(0).value().contains("\"id\":\"" + id + "\""));
        }
    }
}
