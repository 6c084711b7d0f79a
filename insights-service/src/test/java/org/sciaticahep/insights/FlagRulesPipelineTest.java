package org.sciaticahep.insights;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.sciaticahep.stack.As;
import org.sciaticahep.contracts.EventTypes;
import org.sciaticahep.contracts.Topics;
import org.sciaticahep.stack.StackTestResource;
import org.sciaticahep.stack.TopicReader;

/**
 * Every flag rule firing, and not firing, at its threshold, through the whole pipeline; and the same flags,
 * adherence and pain whatever order and however often the events arrive.
 */
@QuarkusTest
@WithTestResource(value = StackTestResource.class, initArgs = @ResourceArg(name = "database", value = "insights"))
class FlagRulesPipelineTest extends PipelineTest {

    /**
     * Five days in Kolkata (+05:30). Baseline (resting scores of days 0-2): 4, 4, 3, 4, 2 = 3.4.
     */
    static List<Map<String, Object>> painWeek(Clinic p) {
        return new ArrayList<>(List.of(
                p.pain(0, 8, 0, 4, "LOWER_BACK", "LEFT", "CHECK_IN"),
                p.pain(1, 8, 0, 4, "LOWER_BACK", "LEFT", "CHECK_IN"),
                Clinic.with(p.pain(1, 9, 0, 3, "THIGH", "LEFT", "CHECK_IN"), "newPain", true),      // NEW_PAIN: the patient says so
                p.pain(2, 8, 0, 4, "LOWER_BACK", "LEFT", "CHECK_IN"),
                p.pain(2, 9, 0, 2, "CALF", "LEFT", "CHECK_IN"),                                     // first days: where pain already is
                p.pain(3, 8, 0, 4, "LOWER_BACK", "LEFT", "BEFORE_EXERCISE"),
                Clinic.with(p.pain(3, 8, 20, 5, "LOWER_BACK", "LEFT", "DURING_EXERCISE"), "exerciseId", "glute-bridge"), // +1: no
                Clinic.with(p.pain(3, 8, 30, 6, "LOWER_BACK", "LEFT", "AFTER_EXERCISE"), "exerciseId", "knee-to-chest"), // +2: yes
                Clinic.with(p.pain(4, 7, 0, 5, "LOWER_BACK", "LEFT", "AFTER_EXERCISE"), "exerciseId", "pelvic-tilt"),    // 5 < 3.4+2: no
                Clinic.with(p.pain(4, 7, 10, 6, "LOWER_BACK", "LEFT", "AFTER_EXERCISE"), "exerciseId", "prone-extension"), // 6 >= 5.4: yes
                p.pain(4, 9, 0, 7, "BUTTOCK", "RIGHT", "CHECK_IN"),                                 // SEVERE and NEW_PAIN (day 4, first time)
                p.pain(4, 9, 30, 6, "FOOT", "LEFT", "CHECK_IN"),                                    // NEW_PAIN, 6 is not severe
                Clinic.with(p.pain(4, 10, 0, 2, "LOWER_BACK", "LEFT", "CHECK_IN"), "redFlags", List.of("LEG_WEAKNESS"))));
    }

    static final Set<String> EXPECTED = new TreeSet<>(List.of(
            "NEW_PAIN THIGH/LEFT HIGH",
            "EXERCISE_WORSENS_PAIN knee-to-chest HIGH",
            "EXERCISE_WORSENS_PAIN prone-extension HIGH",
            "SEVERE_PAIN BUTTOCK HIGH",
            "NEW_PAIN BUTTOCK/RIGHT HIGH",
            "NEW_PAIN FOOT/LEFT HIGH",
            "RED_FLAG_SYMPTOMS  CRITICAL"));

    @Test
    void eachRuleFiresAtItsThresholdAndNotBelow() {
        Clinic p = Clinic.patient("rules", "Asia/Kolkata", 5).enroll("c-001");
        p.post(painWeek(p)).awaitApplied(db);

        assertEquals(EXPECTED, flagSet(p));
        p.clinician().get("/patients/" + p.patientId + "/pain").then()
                .body("baseline", equalTo(3.4))
                .body("latest.score", equalTo(2));
    }

    @Test
    void exercisesAppliedLaterLeaveThePainFlagsAsTheyAre() {
        // a batch of exercises re-derives only the adherence rule: the pain rules' flags must neither move nor go
        Clinic p = Clinic.patient("then-exercises", "Asia/Kolkata", 5).enroll("c-001");
        p.post(painWeek(p)).awaitApplied(db);
        String before = p.clinician().get("/patients/" + p.patientId + "/flags").asString();
        p.post(List.of(p.exercise(4, 11, "knee-to-chest", "LEFT", 1, 3), p.exercise(4, 11, "knee-to-chest", "RIGHT", 1, 3)))
                .awaitApplied(db);

        assertEquals(EXPECTED, flagSet(p));
        assertEquals(before, p.clinician().get("/patients/" + p.patientId + "/flags").asString());
    }

    @Test
    void outOfOrderLateAndRepeatedDeliveryGiveTheSameResults() {
        Clinic live = Clinic.patient("live", "Asia/Kolkata", 5).enroll("c-001");
        live.post(painWeek(live)).awaitApplied(db);

        Clinic late = Clinic.patient("late", "Asia/Kolkata", 5).enroll("c-001");
        List<Map<String, Object>> shuffled = painWeek(late);
        Collections.shuffle(shuffled, new Random(7));
        late.post(shuffled.subList(0, 6));
        late.post(shuffled.subList(6, shuffled.size()));
        late.post(shuffled.subList(3, 9)); // an app retrying part of its queue
        late.awaitApplied(db);

        assertEquals(flagSet(live), flagSet(late));
        assertEquals(EXPECTED, flagSet(late));
        assertEquals(comparable("/pain", live), comparable("/pain", late));
        assertEquals(comparable("/adherence", live), comparable("/adherence", late));
        assertAggregatesMatchFacts(live.patientId);
        assertAggregatesMatchFacts(late.patientId);
    }

    @Test
    void trendingWorseAndLowAdherenceFireAfterAWeek() {
        // baseline 2; days 4-9 at 5: 7-day mean 5 >= 2 + 2 and >= 1.3 x 2, with 6 reports; no exercise at all
        Clinic worse = Clinic.patient("worse", "Europe/London", 10).enroll("c-002");
        List<Map<String, Object>> events = new ArrayList<>();
        for (int day = 0; day < 3; day++) {
            events.add(worse.pain(day, 8, 0, 2, "LOWER_BACK", "LEFT", "CHECK_IN"));
        }
        for (int day = 4; day < 10; day++) {
            events.add(worse.pain(day, 8, 0, 5, "LOWER_BACK", "LEFT", "CHECK_IN"));
        }
        worse.post(events).awaitApplied(db);
        Set<String> flags = flagSet(worse);
        assertEquals(Set.of("PAIN_TRENDING_WORSE  MEDIUM", "LOW_ADHERENCE  LOW"), flags);

        // the same pain, one point lower (mean 4.0 against 2 + 2 and 2.6: still fires); and every exercise done
        Clinic steady = Clinic.patient("steady", "Europe/London", 10).enroll("c-002");
        List<Map<String, Object>> fine = new ArrayList<>();
        for (int day = 0; day < 3; day++) {
            fine.add(steady.pain(day, 8, 0, 3, "LOWER_BACK", "LEFT", "CHECK_IN"));
        }
        for (int day = 4; day < 10; day++) {
            fine.add(steady.pain(day, 8, 0, 4, "LOWER_BACK", "LEFT", "CHECK_IN")); // 4 < 3 + 2: no trend
        }
        for (int day = 0; day < 10; day++) {
            for (String exercise : List.of("glute-bridge", "childs-pose", "prone-extension", "pelvic-tilt")) {
                fine.add(steady.exercise(day, 9, exercise, null, 1, 10));
            }
            for (String exercise : List.of("knee-to-chest", "sitting-pigeon-pose", "sitting-trunk-stretch")) {
                fine.add(steady.exercise(day, 9, exercise, "BOTH", 1, 3));
            }
        }
        steady.post(fine).awaitApplied(db);
        assertEquals(Set.of(), flagSet(steady));
        // today (day 10) counts as expected too, and nothing is done yet
        steady.clinician().get("/patients/" + steady.patientId + "/adherence").then().body("ratio", equalTo(10.0 / 11));
        steady.clinician().queryParam("to", steady.startDate.plusDays(9).toString())
                .get("/patients/" + steady.patientId + "/adherence").then().body("ratio", equalTo(1.0));
    }

    @Test
    void notImprovingAfterSixWeeksAtSeventyPercentOfBaseline() {
        Clinic stuck = Clinic.patient("stuck", "UTC", 45).enroll("c-003");
        Clinic better = Clinic.patient("better", "UTC", 45).enroll("c-003");
        for (Clinic p : List.of(stuck, better)) {
            int late = p == stuck ? 3 : 2; // baseline 4: 3 > 0.7 x 4 = 2.8 is not improving; 2 is
            List<Map<String, Object>> events = new ArrayList<>();
            for (int day = 0; day < 3; day++) {
                events.add(p.pain(day, 8, 0, 4, "LOWER_BACK", "LEFT", "CHECK_IN"));
            }
            for (int day = 40; day < 45; day++) {
                events.add(p.pain(day, 8, 0, late, "LOWER_BACK", "LEFT", "CHECK_IN"));
            }
            p.post(events).awaitApplied(db);
        }
        assertEquals(true, flagSet(stuck).contains("NOT_IMPROVING  MEDIUM"));
        assertEquals(false, flagSet(better).contains("NOT_IMPROVING  MEDIUM"));
    }

    /**
     * Nothing reported on days 0-2 (calendar days 0-2 would give no baseline for ever): the first three days with
     * resting scores are the baseline, pain trends against it, and pain somewhere first reported after them is new.
     * A report that arrives late for an earlier day moves the baseline days, and the rules follow.
     */
    @Test
    void theBaselineIsTheFirstThreeDaysWithRestingScores() {
        Clinic p = Clinic.patient("late-starter", "Pacific/Auckland", 12).enroll("c-004");
        List<Map<String, Object>> events = new ArrayList<>();
        for (int day = 3; day < 6; day++) {
            events.add(p.pain(day, 8, 0, 2, "LOWER_BACK", "LEFT", "CHECK_IN"));
        }
        for (int day = 6; day < 12; day++) {
            events.add(p.pain(day, 8, 0, 5, "LOWER_BACK", "LEFT", "CHECK_IN"));
        }
        events.add(p.pain(7, 9, 0, 3, "FOOT", "RIGHT", "CHECK_IN"));   // after the baseline days 3-5: new
        p.post(events).awaitApplied(db);
        // days 5-11: (2 + 6 x 5 + 3) / 8 = 4.4 >= 2 + 2 and >= 1.3 x 2
        assertEquals(Set.of("PAIN_TRENDING_WORSE  MEDIUM", "NEW_PAIN FOOT/RIGHT HIGH", "LOW_ADHERENCE  LOW"), flagSet(p));
        p.clinician().get("/patients/" + p.patientId + "/pain").then().body("baseline", equalTo(2.0));

        // the foot on day 1, late: baseline days 1, 3, 4 (mean (3 + 2 + 2) / 3) and the foot's pain is no longer new
        p.post(List.of(p.pain(1, 8, 0, 3, "FOOT", "RIGHT", "CHECK_IN"))).awaitApplied(db);
        p.clinician().get("/patients/" + p.patientId + "/pain").then().body("baseline", equalTo(7.0 / 3));
        assertEquals(Set.of("PAIN_TRENDING_WORSE  MEDIUM", "LOW_ADHERENCE  LOW"), flagSet(p), "the foot's NEW_PAIN is withdrawn");
    }

    /**
     * A patient who stops using the app is noticed: quiet since day 1 of 20, one NO_RECENT_ACTIVITY flag at MEDIUM; a
     * report from day 10 that arrives late (the phone was offline) shows 9 quiet days, and the same flag goes down to
     * LOW (told on review-flags as flag.severity-changed); an exercise today withdraws it.
     */
    @Test
    void aQuietPatientIsNoticedUntilTheyAreActiveAgain() {
        Clinic p = Clinic.patient("quiet", "America/Chicago", 20).enroll("c-005");
        p.post(List.of(p.exercise(0, 9, "pelvic-tilt", null, 1, 10))).awaitApplied(db);
        assertEquals(Set.of("NO_RECENT_ACTIVITY  MEDIUM", "LOW_ADHERENCE  LOW"), flagSet(p));
        String flagId = quietFlag(p).get("flagId").toString();
        assertEquals("No exercise or pain report on 14 or more scheduled days since " + p.startDate.plusDays(1), quietFlag(p).get("detail"));

        p.post(List.of(p.pain(10, 9, 0, 3, "LOWER_BACK", "LEFT", "CHECK_IN"))).awaitApplied(db);
        assertEquals(Set.of("NO_RECENT_ACTIVITY  LOW", "LOW_ADHERENCE  LOW"), flagSet(p));
        assertEquals(flagId, quietFlag(p).get("flagId").toString(), "one flag whose severity follows the spell");
        try (TopicReader reader = TopicReader.fromBeginning(StackTestResource.kafka(), Topics.REVIEW_FLAGS.name())) {
            List<String> types = ReviewQueueTest.typesFor(reader.readUntil(seen -> ReviewQueueTest.typesFor(seen, p.patientId)
                    .contains(EventTypes.FLAG_SEVERITY_CHANGED), Duration.ofSeconds(30)), p.patientId);
            assertTrue(types.contains(EventTypes.FLAG_SEVERITY_CHANGED), types.toString());
        }

        p.post(List.of(p.exercise(20, 0, "pelvic-tilt", null, 1, 10))).awaitApplied(db);
        assertEquals(Set.of("LOW_ADHERENCE  LOW"), flagSet(p), "active again today: withdrawn");
    }

    private Map<String, Object> quietFlag(Clinic p) {
        List<Map<String, Object>> flags = p.clinician().get("/patients/" + p.patientId + "/flags").jsonPath().getList("$");
        return flags.stream().filter(f -> "NO_RECENT_ACTIVITY".equals(f.get("rule"))).findFirst().orElseThrow();
    }

    /** Leg pain on both sides, not ticked as a red flag: the app is told to seek urgent care, the clinician gets the flag. */
    @Test
    void legPainOnBothSidesIsTheBothLegsRedFlagForTheAppAndTheClinician() {
        Clinic p = Clinic.patient("both-legs", "Europe/Madrid", 1).enroll("c-001");
        Map<String, Object> calves = p.pain(0, 9, 0, 3, "CALF", "BOTH", "CHECK_IN");
        Map<String, Object> oneLeg = p.pain(0, 10, 0, 3, "CALF", "LEFT", "CHECK_IN");
        As.patient(p.patientId).baseUri(Clinic.session()).contentType(ContentType.JSON).body(List.of(calves, oneLeg))
                .post("/patients/" + p.patientId + "/events").then().statusCode(202)
                .body("events[0].advice.code", equalTo(List.of("SEEK_URGENT_CARE")))
                .body("events[1].advice", equalTo(List.of()));
        p.eventIds.add((String) calves.get("eventId"));
        p.eventIds.add((String) oneLeg.get("eventId"));
        p.awaitApplied(db);
        assertEquals(Set.of("RED_FLAG_SYMPTOMS  CRITICAL"), flagSet(p));
        assertEquals(List.of("Reported [BOTH_LEGS]"), p.clinician().get("/patients/" + p.patientId + "/flags").jsonPath().getList("detail"));
    }

    static Set<String> flagSet(Clinic p) {
        List<Map<String, Object>> flags = p.clinician().get("/patients/" + p.patientId + "/flags").then().statusCode(200)
                .extract().jsonPath().getList("$");
        Set<String> set = new TreeSet<>();
        flags.forEach(f -> set.add(f.get("rule") + " " + f.get("subject") + " " + f.get("severity")));
        return set;
    }

    /** A response with the patient's own id taken out, so two patients' results can be compared. */
    static String comparable(String path, Clinic p) {
        return new JsonPath(p.clinician().get("/patients/" + p.patientId + path).asString()).prettify()
                .replace(p.patientId, "PATIENT").replaceAll("\"eventId\": \"[^\"]+\"", "");
    }
}
