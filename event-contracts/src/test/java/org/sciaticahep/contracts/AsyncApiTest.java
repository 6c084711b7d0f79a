package org.sciaticahep.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/asyncapi.yaml and docs/schemas/ say what event-contracts says: every event type on its topic, each payload
 * the JSON Schema of its record, nothing extra. After changing a record, regenerate the schemas with
 * {@code ./mvnw -pl event-contracts test -Dtest=AsyncApiTest -Dschemas.write=true} and read the diff.
 */
class AsyncApiTest {

    static final Path DOCS = Path.of("..", "docs");
    static final Path SCHEMAS = DOCS.resolve("schemas");
    /** What the dead-letter topic carries: any record of session-events, as it was. */
    static final String DEAD_LETTER = "session-events.dead-letter";

    @Test
    void eachPayloadSchemaIsTheOneItsRecordGives() throws IOException {
        Map<String, JsonNode> generated = new LinkedHashMap<>();
        EventTypes.ALL.forEach(m -> generated.put(m.type() + ".json", JsonSchemas.of(m)));
        if (Boolean.getBoolean("schemas.write")) {
            Files.createDirectories(SCHEMAS);
            for (Map.Entry<String, JsonNode> e : generated.entrySet()) {
                Files.writeString(SCHEMAS.resolve(e.getKey()),
                        JsonSchemas.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(e.getValue()) + "\n");
            }
        }
        try (Stream<Path> files = Files.list(SCHEMAS)) {
            assertEquals(new TreeSet<>(generated.keySet()), files.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new)),
                    "docs/schemas/ holds one schema per event type, no other");
        }
        for (Map.Entry<String, JsonNode> e : generated.entrySet()) {
            assertEquals(e.getValue(), JsonSchemas.JSON.readTree(SCHEMAS.resolve(e.getKey()).toFile()),
                    "docs/schemas/" + e.getKey() + " is not what its record gives: regenerate it (see this test's comment)");
        }
    }

    @Test
    void everyTypeIsOnItsTopicAndNothingElse() throws IOException {
        JsonNode doc = new ObjectMapper(new YAMLFactory()).readTree(DOCS.resolve("asyncapi.yaml").toFile());
        assertEquals("3.0.0", doc.path("asyncapi").asText());

        JsonNode messages = doc.path("components").path("messages");
        Set<String> expectedMessages = types(EventTypes.ALL.stream());
        expectedMessages.add(DEAD_LETTER);
        assertEquals(expectedMessages, names(messages), "one message per event type, and the dead letter");
        for (EventTypes.Message m : EventTypes.ALL) {
            JsonNode message = messages.path(m.type());
            assertEquals(m.type(), message.path("name").asText());
            assertEquals(m.payload().getSimpleName(), message.path("title").asText());
            assertEquals("application/schema+json;version=draft-07", message.path("payload").path("schemaFormat").asText(), m.type());
            assertEquals("./schemas/" + m.type() + ".json", message.path("payload").path("schema").path("$ref").asText(), m.type());
            assertEquals("object", message.path("headers").path("type").asText(), m.type() + ": headers are an object");
            JsonNode own = message.path("headers").path("allOf").path(1).path("properties");
            assertEquals(m.type(), own.path("ce_type").path("const").asText(), m.type() + ": its ce_type");
            assertTrue(own.path("ce_source").path("const").asText().startsWith("/"), m.type() + ": its ce_source");
            assertEquals("#/components/schemas/CloudEventHeaders",
                    message.path("headers").path("allOf").path(0).path("$ref").asText(), m.type());
            assertEquals("string", message.path("bindings").path("kafka").path("key").path("type").asText(), m.type());
        }

        JsonNode channels = doc.path("channels");
        assertEquals(Topics.ALL.stream().map(Topics.TopicSpec::name).collect(Collectors.toCollection(TreeSet::new)), names(channels),
                "one channel per topic");
        for (Topics.TopicSpec topic : Topics.ALL) {
            JsonNode channel = channels.path(topic.name());
            assertEquals(topic.name(), channel.path("address").asText());
            Set<String> expected = topic.equals(Topics.SESSION_EVENTS_DEAD_LETTERS) ? Set.of(DEAD_LETTER)
                    : types(EventTypes.ALL.stream().filter(m -> m.topic().equals(topic)));
            assertEquals(expected, names(channel.path("messages")), topic.name() + ": its messages");
            channel.path("messages").properties().forEach(e -> assertEquals("#/components/messages/" + e.getKey(),
                    e.getValue().path("$ref").asText(), topic.name() + " " + e.getKey()));
            JsonNode kafka = channel.path("bindings").path("kafka");
            assertEquals(topic.partitions(), kafka.path("partitions").asInt(), topic.name() + ": partitions");
            assertEquals(topic.compacted() ? "compact" : "delete", kafka.path("topicConfiguration").path("cleanup.policy").path(0).asText(),
                    topic.name() + ": cleanup");
            assertEquals(topic.keptForever(), kafka.path("topicConfiguration").path("retention.ms").asLong(0) == -1,
                    topic.name() + ": kept forever");
            Set<String> actions = new TreeSet<>();
            doc.path("operations").forEach(op -> {
                if (("#/channels/" + topic.name()).equals(op.path("channel").path("$ref").asText())) {
                    actions.add(op.path("action").asText());
                }
            });
            assertTrue(actions.contains("send"), topic.name() + ": who sends it");
        }
        doc.path("operations").forEach(op -> assertTrue(channels.has(op.path("channel").path("$ref").asText().replace("#/channels/", "")),
                "an operation on a channel that exists: " + op));
        Set<String> headers = names(doc.path("components").path("schemas").path("CloudEventHeaders").path("properties"));
        assertEquals(Set.of(CloudEventHeaders.ID, CloudEventHeaders.TYPE, CloudEventHeaders.SOURCE, CloudEventHeaders.SUBJECT,
                CloudEventHeaders.TIME, CloudEventHeaders.SPEC_VERSION, CloudEventHeaders.RECORDED_AT, CloudEventHeaders.ENCRYPTION,
                CloudEventHeaders.CONTENT_TYPE),
                headers, "the CloudEvents headers");
    }

    private static Set<String> types(Stream<EventTypes.Message> messages) {
        // a new set each time: callers add to it
        return messages.map(EventTypes.Message::type).collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> names(JsonNode object) {
        Set<String> names = new TreeSet<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
