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
     * One exercise's new dosage as a form sends it: sets and repetitions; the hold when given, none with
     * {@code noHold} (else it stays as it is); the clinician's reason when given. Values are passed on as given:
     * session-service validates them and names what is wrong.
     */
    record DosageChange(Integer sets, Integer repsMin, Integer repsMax, Integer holdMin, Integer holdMax, boolean noHold,
                        String reason) {
    }

    /**
     * The next version: the current one (as session-service answered it) with one exercise's dosage changed, from
     * {@code effectiveFrom} (a local date; today when null).
     */
    static Map<String, Object> withDosage(JsonNode current, String exerciseId, DosageChange change, Integer expectedVersion,
                                          String effectiveFrom) {
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
                dosage.put("sets", change.sets());
                dosage.put("reps", range(change.repsMin(), change.repsMax()));
                if (change.noHold()) {
                    dosage.put("holdSeconds", null);
                } else if (change.holdMin() != null || change.holdMax() != null) {
                    dosage.put("holdSeconds", range(change.holdMin(), change.holdMax()));
                }
                if (change.reason() != null && !change.reason().isBlank()) {
                    copy.put("reason", change.reason().strip());
                }
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
        if (effectiveFrom != null && !effectiveFrom.isBlank()) {
            version.put("effectiveFrom", effectiveFrom.strip());
        }
        return version;
    }

    private static Map<String, Object> range(Integer min, Integer max) {
        Map<String, Object> range = new HashMap<>();
        range.put("min", min);
        range.put("max", max);
        return range;
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
