package org.sciaticahep.insights;

import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.fhir.context.FhirContext;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.ActivityDefinition;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;
import org.sciaticahep.stack.As;
import org.sciaticahep.stack.StackTestResource;

/**
 * A patient's record leaves as FHIR R4 through the real path: the app posts completions and pain reports to
 * session-service, the clinician pauses an exercise there, insights applies it all and exports the Bundle, which
 * HAPI's own parser reads back with the resources, codes and counts the scenario made.
 */
@QuarkusTest
@WithTestResource(value = StackTestResource.class, initArgs = @ResourceArg(name = "database", value = "insights"))
class FhirExportTest extends PipelineTest {

    @Test
    void theRecordIsABundleOfCarePlanDefinitionsObservationsAndFlags() {
        Clinic p = Clinic.patient("fhir", "America/New_York", 3).enroll("c-fhir-1");
        List<Map<String, Object>> events = new ArrayList<>();
        events.add(p.pain(1, 8, 0, 4, "BUTTOCK", "LEFT", "CHECK_IN"));
        events.add(Clinic.with(Clinic.with(p.exercise(1, 9, "knee-to-chest", "LEFT", 1, 3), "holdSeconds", 25), "difficulty", 2));
        events.add(p.exercise(1, 9, "pelvic-tilt", null, 1, 10));
        events.add(Clinic.with(p.pain(1, 9, 30, 6, "BUTTOCK", "LEFT", "AFTER_EXERCISE"), "exerciseId", "pelvic-tilt"));
        events.add(Clinic.with(p.pain(2, 8, 0, 3, "CALF", "RIGHT", "CHECK_IN"), "redFlags", List.of("LEG_WEAKNESS")));
        p.post(events);
        pause(p, "glute-bridge", "flared after the second session");
        p.eventIds.add(PrescriptionPipelineTest.versionEventId(UUID.fromString(p.eventIds.get(0)), 2).toString());
        p.awaitApplied(db);
        p.clinician().get("/patients").then().statusCode(200)
                .body("items.find { it.patientId == '" + p.patientId + "' }.paused", org.hamcrest.Matchers.equalTo(1));
        int flags = p.clinician().get("/patients/" + p.patientId + "/flags").then().statusCode(200).extract().jsonPath()
                .getList("$").size();
        assertTrue(flags >= 2, "red flag and pain worse with an exercise: " + flags);

        String body = p.clinician().get("/patients/" + p.patientId + "/fhir").then().statusCode(200)
                .contentType(startsWith("application/fhir+json")).extract().asString();
        Bundle bundle = FhirContext.forR4Cached().newJsonParser().parseResource(Bundle.class, body);

        assertEquals(Bundle.BundleType.COLLECTION, bundle.getType());
        Map<String, Resource> byUrl = bundle.getEntry().stream()
                .collect(Collectors.toMap(Bundle.BundleEntryComponent::getFullUrl, Bundle.BundleEntryComponent::getResource));
        assertEquals(bundle.getEntry().size(), byUrl.size(), "full URLs are unique");

        Patient patient = one(bundle, Patient.class);
        assertEquals(p.patientId, patient.getIdentifierFirstRep().getValue());
        assertTrue(patient.getActive());

        CarePlan plan = one(bundle, CarePlan.class);
        assertEquals(CarePlan.CarePlanStatus.ACTIVE, plan.getStatus());
        assertEquals(p.eventIds.get(0), plan.getIdentifierFirstRep().getValue());
        assertEquals("c-fhir-1", plan.getAuthor().getIdentifier().getValue());
        assertTrue(byUrl.get(plan.getSubject().getReference()) instanceof Patient, "the plan's subject is the bundle's patient");
        int items = As.clinician("c-fhir-1").baseUri(Clinic.session()).get("/patients/" + p.patientId + "/prescription")
                .then().statusCode(200).extract().jsonPath().getList("items").size();
        assertEquals(2 * items, plan.getActivity().size(), "every exercise of version 1 and of version 2");
        CarePlan.CarePlanActivityDetailComponent paused = plan.getActivity().stream().map(CarePlan.CarePlanActivityComponent::getDetail)
                .filter(d -> d.getStatus() == CarePlan.CarePlanActivityStatus.ONHOLD).findFirst().orElseThrow();
        assertEquals("glute-bridge", paused.getCode().getCodingFirstRep().getCode());
        assertEquals("flared after the second session", paused.getStatusReason().getText());
        assertEquals(LocalDate.now(p.zone).toString(), paused.getScheduledTiming().getRepeat().getBoundsPeriod().getStartElement().getValueAsString());
        assertEquals(items * 2 - 1, plan.getActivity().stream()
                .filter(a -> a.getDetail().getStatus() == CarePlan.CarePlanActivityStatus.INPROGRESS).count());

        List<ActivityDefinition> definitions = all(bundle, ActivityDefinition.class);
        assertEquals(items, definitions.size(), "one definition per exercise version used");
        Set<String> canonicals = definitions.stream().map(d -> d.getUrl() + "|" + d.getVersion()).collect(Collectors.toSet());
        plan.getActivity().forEach(a -> assertTrue(canonicals.contains(a.getDetail().getInstantiatesCanonical().get(0).getValue())));
        ActivityDefinition tilt = definitions.stream().filter(d -> d.getUrl().endsWith("/pelvic-tilt")).findFirst().orElseThrow();
        assertTrue(tilt.getDosageFirstRep().getDoseAndRateFirstRep().getDoseRange().getLow().getValue().intValue() > 0);
        assertTrue(tilt.getDosageFirstRep().hasPatientInstruction(), "the steps");

        List<Observation> observations = all(bundle, Observation.class);
        List<Observation> pain = observations.stream().filter(o -> o.getCode().getCodingFirstRep().getCode().equals("72514-3")).toList();
        assertEquals(3, pain.size());
        assertEquals("http://loinc.org", pain.get(0).getCode().getCodingFirstRep().getSystem());
        Observation calf = pain.stream().filter(o -> o.getValueIntegerType().getValue() == 3).findFirst().orElseThrow();
        assertEquals("53840002", calf.getBodySite().getCodingFirstRep().getCode());
        assertEquals("24028007", component(calf, "272741003").getValueCodeableConcept().getCodingFirstRep().getCode());
        assertEquals("check-in", component(calf, "context").getValueCodeableConcept().getCodingFirstRep().getCode());
        assertEquals("leg-weakness", component(calf, "red-flag").getValueCodeableConcept().getCodingFirstRep().getCode());
        assertTrue(calf.getEffectiveDateTimeType().getValueAsString().matches(".*-0[45]:00"), "in the patient's zone");
        Observation after = pain.stream().filter(o -> o.getValueIntegerType().getValue() == 6).findFirst().orElseThrow();
        assertEquals("pelvic-tilt", component(after, "exercise").getValueCodeableConcept().getCodingFirstRep().getCode());
        assertEquals(urlOf(bundle, plan), after.getBasedOnFirstRep().getReference());

        List<Observation> completions = observations.stream().filter(o -> o.getCategoryFirstRep().getCodingFirstRep().getCode().equals("therapy")).toList();
        assertEquals(2, completions.size());
        Observation knee = completions.stream().filter(o -> o.getCode().getCodingFirstRep().getCode().equals("knee-to-chest")).findFirst().orElseThrow();
        assertEquals(3, component(knee, "repetitions").getValueIntegerType().getValue());
        assertEquals(1, component(knee, "sets").getValueIntegerType().getValue());
        assertEquals("7771000", component(knee, "272741003").getValueCodeableConcept().getCodingFirstRep().getCode());
        Quantity hold = component(knee, "hold").getValueQuantity();
        assertEquals(25, hold.getValue().intValue());
        assertEquals(2, component(knee, "difficulty").getValueIntegerType().getValue());
        assertEquals(pain.size() + completions.size(), observations.size());

        List<Flag> flagResources = all(bundle, Flag.class);
        assertEquals(flags, flagResources.size());
        Flag red = flagResources.stream().filter(f -> f.getCode().getCodingFirstRep().getCode().equals("red-flag-symptoms")).findFirst().orElseThrow();
        assertEquals(Flag.FlagStatus.ACTIVE, red.getStatus());
        assertEquals("PH", ((CodeableConcept) red.getExtensionByUrl("http://hl7.org/fhir/StructureDefinition/flag-priority").getValue())
                .getCodingFirstRep().getCode());
        assertEquals(1 + 1 + items + pain.size() + completions.size() + flags, bundle.getEntry().size(), "nothing else");
    }

    /** The patient's clinician and an admin may export; the patient, another clinician and ops may not. */
    @Test
    void onlyTheirClinicianOrAnAdminExportsARecord() {
        Clinic p = Clinic.patient("fhir-who", "Europe/Berlin", 1).enroll("c-fhir-2");
        p.awaitApplied(db);
        As.admin().get("/patients/" + p.patientId + "/fhir").then().statusCode(200);
        As.patient(p.patientId).get("/patients/" + p.patientId + "/fhir").then().statusCode(403);
        As.ops().get("/patients/" + p.patientId + "/fhir").then().statusCode(403);
        String other = As.clinician("c-fhir-other").get("/patients/" + p.patientId + "/fhir").then().statusCode(403)
                .contentType("application/problem+json").extract().asString();
        String unknown = As.clinician("c-fhir-other").get("/patients/nobody-" + UUID.randomUUID() + "/fhir").then().statusCode(403)
                .extract().asString();
        assertEquals(other, unknown,
                "a refusal says nothing of whether the patient exists");
        As.admin().get("/patients/nobody-" + UUID.randomUUID() + "/fhir").then().statusCode(404);
        As.admin().get("/patients/not%20an%20id/fhir").then().statusCode(400).contentType("application/problem+json");
    }

    private static Observation.ObservationComponentComponent component(Observation o, String code) {
        return o.getComponent().stream().filter(c -> c.getCode().getCodingFirstRep().getCode().equals(code)).findFirst()
                .orElseThrow(() -> new AssertionError("no component " + code));
    }

    private static String urlOf(Bundle bundle, Resource resource) {
        return bundle.getEntry().stream().filter(e -> e.getResource() == resource).findFirst().orElseThrow().getFullUrl();
    }

    private static <R extends Resource> List<R> all(Bundle bundle, Class<R> type) {
        return bundle.getEntry().stream().map(Bundle.BundleEntryComponent::getResource).filter(type::isInstance).map(type::cast).toList();
    }

    private static <R extends Resource> R one(Bundle bundle, Class<R> type) {
        List<R> found = all(bundle, type);
        assertEquals(1, found.size(), type.getSimpleName());
        assertNotNull(found.get(0));
        return found.get(0);
    }

    /** The clinician pauses one exercise from today, with a reason, at session-service. */
    private static void pause(Clinic p, String exerciseId, String reason) {
        Map<String, Object> current = As.clinician(p.clinicianId).baseUri(Clinic.session())
                .get("/patients/" + p.patientId + "/prescription").then().statusCode(200).extract().jsonPath().getMap("$");
        List<Map<String, Object>> items = new ArrayList<>();
        for (Object o : (List<?>) current.get("items")) {
            Map<?, ?> was = (Map<?, ?>) o;
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("exerciseId", was.get("exerciseId"));
            item.put("status", was.get("status"));
            item.put("dosage", was.get("dosage"));
            if (exerciseId.equals(item.get("exerciseId"))) {
                item.put("status", "PAUSED");
                item.put("reason", reason);
            }
            items.add(item);
        }
        Map<String, Object> version = new HashMap<>();
        version.put("expectedVersion", current.get("version"));
        version.put("schedule", current.get("schedule"));
        version.put("items", items);
        As.clinician(p.clinicianId).baseUri(Clinic.session()).contentType(ContentType.JSON).body(version)
                .put("/patients/" + p.patientId + "/prescription").then().statusCode(200);
    }
}
