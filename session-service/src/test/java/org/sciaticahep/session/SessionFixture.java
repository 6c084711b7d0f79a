package org.sciaticahep.session;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.DayOfWeek;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.sciaticahep.catalogcopy.CatalogCopy;
import org.sciaticahep.contracts.Topics;
import org.sciaticahep.contracts.catalog.CatalogDefinition;
import org.sciaticahep.contracts.catalog.Dosage;
import org.sciaticahep.contracts.catalog.ExerciseDefinition;
import org.sciaticahep.contracts.catalog.ExerciseKind;
import org.sciaticahep.contracts.catalog.ProgramDefinition;
import org.sciaticahep.contracts.catalog.ProgramExercise;
import org.sciaticahep.contracts.catalog.Range;
import org.sciaticahep.contracts.catalog.Schedule;
import org.sciaticahep.stack.StackTestResource;

/**
 * Plays catalog-service for these tests: publishes a small catalog to the real catalog topics, and waits until the
 * session-service under test has copied it. Also builds event bodies as apps send them.
 */
final class SessionFixture {

    static final String PER_SIDE = "knee-to-chest";
    static final String BOTH_SIDES = "pelvic-tilt";
    static final String PROGRAM = "sciatica-relief";

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private SessionFixture() {
    }

    static void publishCatalog(CatalogCopy copy) throws Exception {
        if (copy.exercise(PER_SIDE).isPresent() && copy.program(PROGRAM).isPresent()) {
            return;
        }
        Instant now = Instant.now();
        ExerciseDefinition kneeToChest = new ExerciseDefinition(PER_SIDE, 1, "Knee to chest", List.of(), ExerciseKind.STRETCH,
                List.of("lower back"), List.of("Lie on the back.", "Bring one knee to the chest."),
                new Dosage(1, Range.of(3, 3), Range.of(0, 30), true), List.of("Stop if pain gets worse."), null, now);
        ExerciseDefinition pelvicTilt = new ExerciseDefinition(BOTH_SIDES, 1, "Pelvic tilt", List.of(), ExerciseKind.STRENGTHENING,
                List.of("lower back"), List.of("Lie on the back.", "Tilt the pelvis."),
                new Dosage(1, Range.of(10, 10), null, false), List.of("Stop if pain gets worse."), null, now);
        ProgramDefinition program = new ProgramDefinition(PROGRAM, 1, "Sciatica relief", "test",
                List.of(new ProgramExercise(PER_SIDE, null), new ProgramExercise(BOTH_SIDES, null)),
                new Schedule(1, EnumSet.allOf(DayOfWeek.class)), now);
        publish(kneeToChest, pelvicTilt, program);
        await().atMost(Duration.ofSeconds(30)).until(() -> copy.exercise(PER_SIDE).isPresent()
                && copy.exercise(BOTH_SIDES).isPresent() && copy.program(PROGRAM).isPresent());
    }

    /** Definitions onto their catalog topics, as catalog-service publishes them; the copy takes them in shortly. */
    static void publish(CatalogDefinition... definitions) throws Exception {
        Properties p = new Properties();
        p.putAll(StackTestResource.kafka().clientConfig());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            for (CatalogDefinition d : definitions) {
                Topics.TopicSpec topic = d instanceof ProgramDefinition ? Topics.PROGRAM_CATALOG : Topics.EXERCISE_CATALOG;
                producer.send(new ProducerRecord<>(topic.name(), d.id(), JSON.writeValueAsString(d))).get();
            }
        }
    }

    static String newPatient() {
        return "p-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static OffsetDateTime minutesAgo(long minutes) {
        return OffsetDateTime.now(ZoneOffset.ofHours(1)).minusMinutes(minutes).withNano(0);
    }

    static Map<String, Object> exercise(String exerciseId, String side, int sets, int reps, OffsetDateTime at) {
        Map<String, Object> e = new HashMap<>();
        e.put("eventId", UUID.randomUUID().toString());
        e.put("type", "EXERCISE_COMPLETED");
        e.put("occurredAt", at.toString());
        e.put("exerciseId", exerciseId);
        if (side != null) {
            e.put("side", side);
        }
        e.put("sets", sets);
        e.put("reps", reps);
        return e;
    }

    static Map<String, Object> pain(int score, String context, String exerciseId, OffsetDateTime at) {
        Map<String, Object> e = new HashMap<>();
        e.put("eventId", UUID.randomUUID().toString());
        e.put("type", "PAIN_REPORTED");
        e.put("occurredAt", at.toString());
        e.put("score", score);
        e.put("location", "BUTTOCK");
        e.put("side", "LEFT");
        e.put("context", context);
        if (exerciseId != null) {
            e.put("exerciseId", exerciseId);
        }
        return e;
    }
}
