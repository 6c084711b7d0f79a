package org.sciaticahep.catalog;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Valid request bodies that tests change one field at a time. */
final class Drafts {

    private Drafts() {
    }

    static String newId(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static Map<String, Object> exercise(String id) {
        Map<String, Object> reps = new HashMap<>(Map.of("min", 5, "max", 8));
        Map<String, Object> hold = new HashMap<>(Map.of("min", 5, "max", 10));
        Map<String, Object> dosage = new HashMap<>(Map.of("sets", 2, "reps", reps, "holdSeconds", hold, "perSide", true));
        Map<String, Object> body = new HashMap<>();
        body.put("id", id);
        body.put("name", "Standing hamstring stretch");
        body.put("aliases", List.of());
        body.put("kind", "STRETCH");
        body.put("targetMuscles", List.of("hamstring"));
        body.put("steps", new ArrayList<>(List.of("Stand up straight.", "Place one heel on a low step.", "Lean forward gently.")));
        body.put("dosage", dosage);
        body.put("cautions", List.of("Stop if pain gets worse or new pain appears."));
        return body;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> dosage(Map<String, Object> exercise) {
        return (Map<String, Object>) exercise.get("dosage");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> range(Map<String, Object> exercise, String name) {
        return (Map<String, Object>) dosage(exercise).get(name);
    }

    static Map<String, Object> program(String id, String... exerciseIds) {
        Map<String, Object> body = new HashMap<>();
        body.put("id", id);
        body.put("name", "Test program");
        body.put("description", "For tests");
        List<Map<String, Object>> items = new ArrayList<>();
        for (String exerciseId : exerciseIds) {
            Map<String, Object> item = new HashMap<>();
            item.put("exerciseId", exerciseId);
            items.add(item);
        }
        body.put("exercises", items);
        body.put("schedule", new HashMap<>(Map.of("timesPerDay", 2, "daysOfWeek", List.of("MONDAY", "THURSDAY"))));
        return body;
    }
}
