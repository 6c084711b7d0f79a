package org.sciaticahep.contracts;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every Kafka topic of the system, with the layout the launcher, docker-compose and deploy/ create. */
public final class Topics {

    /** Current exercise definitions, keyed by exercise id; compacted so the latest version per id is kept forever. */
    public static final TopicSpec EXERCISE_CATALOG = new TopicSpec("exercise-catalog", 3, true, false);
    /** Current program templates, keyed by program id; compacted. */
    public static final TopicSpec PROGRAM_CATALOG = new TopicSpec("program-catalog", 3, true, false);
    /**
     * What patients did and felt, keyed by patient id so one patient's events stay in order. Kept forever: insights
     * is rebuilt by replaying it from the beginning.
     */
    public static final TopicSpec SESSION_EVENTS = new TopicSpec("session-events", 6, false, true);
    /** Flag lifecycle (raised, acknowledged, resolved, withdrawn) for notification systems, keyed by patient id. */
    public static final TopicSpec REVIEW_FLAGS = new TopicSpec("review-flags", 3, false, false);

    /** Records on session-events that are not session events, with the reason in their headers. */
    public static final TopicSpec SESSION_EVENTS_DEAD_LETTERS = new TopicSpec("session-events.dead-letters", 1, false, false);

    public static final List<TopicSpec> ALL = List.of(EXERCISE_CATALOG, PROGRAM_CATALOG, SESSION_EVENTS, REVIEW_FLAGS,
            SESSION_EVENTS_DEAD_LETTERS);

    private Topics() {
    }

    public record TopicSpec(String name, int partitions, boolean compacted, boolean keptForever) {

        /** The topic's settings that differ from a broker's defaults. */
        public Map<String, String> config() {
            Map<String, String> config = new LinkedHashMap<>();
            if (compacted) {
                config.put("cleanup.policy", "compact");
            }
            if (keptForever) {
                config.put("retention.ms", "-1");
            }
            return config;
        }
    }
}
