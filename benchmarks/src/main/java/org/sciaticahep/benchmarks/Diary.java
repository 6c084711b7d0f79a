package org.sciaticahep.benchmarks;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;

/**
 * What a patient of the sciatica-relief program records, written as their app posts it: every day a resting
 * check-in, the program's seven exercises at the prescribed dosage (so adherence is full) and a report after the
 * last one. Pain starts at 5, eases to 2 by the fifth week and stays there, all at one place: no flag rule fires
 * on such a history (no red flags, no score of 7 or more, nothing new after the first days, no exercise raising pain
 * by 2, no rising trend, below 70 % of the baseline by week six, full adherence). Only a severe report elsewhere
 * ({@link #severe}) raises a flag.
 */
final class Diary {

    /** The patients' time zone: their local days (adherence, trends) are counted in it, not in UTC. */
    static final String TIMEZONE = "Europe/Berlin";
    static final ZoneId ZONE = ZoneId.of(TIMEZONE);

    /**
     * The program's seven exercises and the dosage the catalog prescribes (V2__seed_article_exercises.sql):
     * sets, minimum reps, hold seconds (0: none), done on each side (then posted as BOTH, which counts for both).
     */
    record Exercise(String id, int sets, int reps, int holdSeconds, boolean perSide) {
    }

    static final List<Exercise> PROGRAM = List.of(
            new Exercise("knee-to-chest", 1, 3, 30, true),
            new Exercise("glute-bridge", 1, 8, 0, false),
            new Exercise("sitting-pigeon-pose", 1, 1, 20, true),
            new Exercise("sitting-trunk-stretch", 1, 2, 30, true),
            new Exercise("childs-pose", 1, 1, 30, false),
            new Exercise("prone-extension", 1, 10, 20, false),
            new Exercise("pelvic-tilt", 1, 10, 0, false));

    /** Where the pain of the history is: the first days establish it, so it is never new. */
    static final String PLACE = "BUTTOCK";
    static final String SIDE = "LEFT";
    /** Places other than {@link #PLACE}, where a severe report is new pain and raises a SEVERE_PAIN flag of its own. */
    static final List<String> NEW_PLACES = List.of("LOWER_BACK", "THIGH", "CALF", "FOOT");

    /** Events of one day: the check-in, the seven exercises, the report after the last one. */
    static final int EVENTS_PER_DAY = PROGRAM.size() + 2;

    private Diary() {
    }

    /**
     * The resting score on day {@code dayNumber} of the enrollment: 5 in the first week (the baseline), 4 in the
     * second, 3 in weeks three and four, then 2: below 70 % of the baseline from week six on, as NOT_IMPROVING needs.
     */
    static int restingScore(long dayNumber) {
        return dayNumber < 7 ? 5 : dayNumber < 14 ? 4 : dayNumber < 28 ? 3 : 2;
    }

    /** After the exercises a point lower than at rest (never below 2): exercise eases it, never worsens it. */
    static int afterExerciseScore(long dayNumber) {
        return Math.max(2, restingScore(dayNumber) - 1);
    }

    /**
     * The whole of day {@code dayNumber} ({@code date}, local) added to {@code events}, in the order things happened:
     * the check-in at 07:30, an exercise every 5 minutes from 07:40, the report after them at 08:30.
     */
    static void day(LocalDate date, long dayNumber, List<String> events) {
        events.add(pain(UUID.randomUUID(), at(date, 7 * 60 + 30), restingScore(dayNumber), "CHECK_IN", null, PLACE));
        for (int e = 0; e < PROGRAM.size(); e++) {
            events.add(exercise(UUID.randomUUID(), at(date, 7 * 60 + 40 + 5 * e), PROGRAM.get(e)));
        }
        events.add(pain(UUID.randomUUID(), at(date, 8 * 60 + 30), afterExerciseScore(dayNumber), "AFTER_EXERCISE",
                PROGRAM.get(PROGRAM.size() - 1).id(), PLACE));
    }

    /**
     * The {@code kind}-th of the ten things a patient records live: 0–6 one of the exercises, 7 a check-in, 8 a
     * report after exercising, 9 a severe report at {@code newPlace} (with {@code id}, whose flag is watched for).
     */
    static String live(int kind, UUID id, OffsetDateTime at, long dayNumber, String newPlace) {
        if (kind < PROGRAM.size()) {
            return exercise(id, at, PROGRAM.get(kind));
        }
        if (kind == PROGRAM.size()) {
            return pain(id, at, restingScore(dayNumber), "CHECK_IN", null, PLACE);
        }
        if (kind == PROGRAM.size() + 1) {
            return pain(id, at, afterExerciseScore(dayNumber), "AFTER_EXERCISE", PROGRAM.get(PROGRAM.size() - 1).id(), PLACE);
        }
        return severe(id, at, newPlace);
    }

    /**
     * Severe pain (8 of 10) at rest, at a place the patient never reported: a SEVERE_PAIN flag (and NEW_PAIN) whose
     * evidence is this event. At rest it enters the 7-day mean: two such reports a day keep a patient at 2 below the
     * NOT_IMPROVING threshold (12 + 16 over 8 reports is 3.5, not above 70 % of 5).
     */
    static String severe(UUID id, OffsetDateTime at, String newPlace) {
        return pain(id, at, 8, "CHECK_IN", null, newPlace);
    }

    static String exercise(UUID id, OffsetDateTime at, Exercise e) {
        return "{\"eventId\":\"" + id + "\",\"type\":\"EXERCISE_COMPLETED\",\"occurredAt\":\"" + at
                + "\",\"exerciseId\":\"" + e.id() + "\"," + (e.perSide() ? "\"side\":\"BOTH\"," : "")
                + "\"sets\":" + e.sets() + ",\"reps\":" + e.reps()
                + (e.holdSeconds() > 0 ? ",\"holdSeconds\":" + e.holdSeconds() : "") + ",\"difficulty\":2}";
    }

    static String pain(UUID id, OffsetDateTime at, int score, String context, String exerciseId, String location) {
        return "{\"eventId\":\"" + id + "\",\"type\":\"PAIN_REPORTED\",\"occurredAt\":\"" + at + "\",\"score\":" + score
                + ",\"location\":\"" + location + "\",\"side\":\"" + SIDE + "\",\"context\":\"" + context + "\""
                + (exerciseId == null ? "" : ",\"exerciseId\":\"" + exerciseId + "\"") + "}";
    }

    /** {@code minutes} after the local midnight of {@code date}, in the patients' zone. */
    private static OffsetDateTime at(LocalDate date, int minutes) {
        return date.atStartOfDay().plusMinutes(minutes).atZone(ZONE).toOffsetDateTime();
    }
}
