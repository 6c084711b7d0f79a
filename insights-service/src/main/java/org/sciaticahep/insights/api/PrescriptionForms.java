package org.sciaticahep.insights.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sciaticahep.insights.domain.Refusal;

/** What the dashboard's prescription forms send to session-service, and what it shows of a refusal. */
final class PrescriptionForms {

    private static final ObjectMapper JSON = new ObjectMapper();

    private PrescriptionForms() {
    }

    /** What session-service refused, as the dashboard shows it. */
    public record Problem(int status, String title, String detail, List<String> fields) {
    }

    /**
     * The next version: the current one (as session-service answered it) with one exercise's sets and repetitions
     * changed, from today. Values are passed on as given: session-service validates them and names what is wrong.
     */
    static Map<String, Object> withDosage(JsonNode current, String exerciseId, Integer sets, Integer repsMin, Integer repsMax,
                                          Integer expectedVersion) {
        List<Map<String, Object>> items = new ArrayList<>();
        boolean found = false;
        for (JsonNode item : current.path("items")) {
            Map<String, Object> copy = new LinkedHashMap<>();
            copy.put("exerciseId", item.path("exerciseId").asText());
            copy.put("status", item.path("status").asText());
            copy.put("reason", item.path("reason").isNull() ? null : item.path("reason").asText(null));
            Map<String, Object> dosage = JSON.convertValue(item.path("dosage"), Map.class);
            if (exerciseId.equals(item.path("exerciseId").asText())) {
                found = true;
                dosage = new HashMap<>(dosage);
                dosage.put("sets", sets);
                Map<String, Object> reps = new HashMap<>();
                reps.put("min", repsMin);
                reps.put("max", repsMax);
                dosage.put("reps", reps);
            }
            copy.put("dosage", dosage);
            items.add(copy);
        }
        if (!found) {
            throw new Refusal.NotFound("exercise " + exerciseId + " is not in this patient's prescription");
        }
        Map<String, Object> version = new HashMap<>();
        version.put("expectedVersion", expectedVersion);
        version.put("schedule", JSON.convertValue(current.path("schedule"), Map.class));
        version.put("items", items);
        return version;
    }

    static Problem problem(Response refused) {
        List<String> fields = new ArrayList<>();
        String title = "session-service refused the change";
        String detail = null;
        try {
            JsonNode body = JSON.readTree(refused.readEntity(String.class));
            title = body.path("title").asText(title);
            detail = body.path("detail").asText(null);
            body.path("violations").forEach(v -> fields.add(v.path("field").asText() + ": " + v.path("reason").asText()));
        } catch (Exception unreadable) {
            // no problem document (session-service away behind a proxy): the status says enough
        }
        return new Problem(refused.getStatus(), title, detail, fields);
    }
}
