package org.sciaticahep.reliability;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.sciaticahep.reliability.Probes.CATALOG;
import static org.sciaticahep.reliability.Probes.INSIGHTS;
import static org.sciaticahep.reliability.Probes.SERVICES;
import static org.sciaticahep.reliability.Probes.SESSION;
import static org.sciaticahep.reliability.Probes.enc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;
import org.sciaticahep.contracts.CloudEventHeaders;
import org.sciaticahep.contracts.EventTypes;
import org.sciaticahep.contracts.Topics;
import org.sciaticahep.stack.TopicReader;
import org.sciaticahep.stack.Tokens;

/**
 * Every kind of bad input at every endpoint of the running system (and straight onto session-events), while a few
 * patients' apps keep posting well-formed events. Each attack is a row of the report: how many requests (or
 * records), how many were refused as expected, how many got a 5xx, how many found a service stalled or gone, and how
 * many 2xx carried a patient's data to someone without the right to it. Asserted: all refused as expected, the last
 * three 0, every service ready at the end, and every good event applied by insights exactly once. The table is
 * printed and written to target/hostile-input.md (docs/reliability.md, "Hostile input").
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class HostileInputTest {

    static final Path REPORT = Path.of("target/hostile-input.md");
    static final ObjectMapper JSON = new ObjectMapper();
    /** In {@link #with}: the field is left out. */
    static final Object ABSENT = new Object();
    static final String FORM = "application/x-www-form-urlencoded";

    static final String TAG = UUID.randomUUID().toString().substring(0, 6);
    /** Clinician X treats the good patients A and B and is the attacking clinician. */
    static final String X = "c-hostile-x-" + TAG;
    /** Clinician Y treats the victims: what X, A and every other token must never see. */
    static final String Y = "c-hostile-y-" + TAG;
    static final String GOOD_A = "hostile-good-a-" + TAG;
    static final String GOOD_B = "hostile-good-b-" + TAG;
    static final String VICTIM = "hostile-victim-" + TAG;
    static final String NOTES = "hostile-notes-" + TAG;
    /** A patient without an enrollment, who attacks invitations. */
    static final String MALLORY = "hostile-mallory-" + TAG;
    /** Invited with nothing but bad requests: no enrollment of this patient may ever be stored. */
    static final String NOBODY = "hostile-nobody-" + TAG;
    static final String NO_SUCH_EXERCISE = "hostile-no-such-exercise-" + TAG;

    /** An id for paths, tokens and bodies. {@code text}: as decoded (null: not valid UTF-8). */
    record OddId(String label, String path, String text, boolean mustNotEcho, boolean asSubject) {
    }

    static final List<OddId> ODD_IDS = List.of(
            new OddId("65-char id", "a".repeat(65), "a".repeat(65), true, true),
            new OddId("1,000-char id", "b".repeat(1000), "b".repeat(1000), true, true),
            new OddId("4,000-char id", "c".repeat(4000), "c".repeat(4000), true, true),
            new OddId("id p-\u00fc", enc("p-\u00fc"), "p-\u00fc", false, true),
            new OddId("id with NUL", "p%00", "p\u0000", true, false),
            new OddId("id with RTL mark", enc("p\u200Fx"), "p\u200Fx", true, true),
            new OddId("id with RTL override", enc("p\u202Etxt.exe"), "p\u202Etxt.exe", true, true),
            new OddId("id with CR LF", enc("p\r\nSet-Cookie: hostile=1"), "p\r\nSet-Cookie: hostile=1", true, false),
            new OddId("id with a tab", enc("p\tx"), "p\tx", true, false),
            new OddId("emoji id", enc("\uD83D\uDE00"), "\uD83D\uDE00", false, true),
            new OddId("dot segments", enc("../../q/metrics"), "../../q/metrics", false, false),
            new OddId("blank id", "%20", " ", false, false),
            new OddId("overlong UTF-8", "p%C0%AF", null, false, false),
            new OddId("invalid UTF-8", "p%FF%FE", null, false, false));

    static final List<String> METACHARACTERS = List.of("' OR 1=1 --", "x'; DROP TABLE patient_event; --",
            "1 UNION SELECT payload FROM patient_event", "<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>",
            "%", "_", "*", "knee-to-chest' --", "$1", "\\");

    static WholeSystem system;

    private Probes probes;
    private GoodTraffic good;
    private final LocalDate startDate = LocalDate.now(ZoneOffset.UTC).minusDays(5);
    private String tA;
    private String tB;
    private String tMallory;
    private String tX;
    private String tY;
    private String tOps;
    private String tAdmin;
    private String tEditor;
    private String victimEnrollment;
    private String victimFlag;
    private String notesFlag;
    private final Set<UUID> chargedLate = new HashSet<>();
    private boolean nobodyReported;
    private boolean pipelineStalled;

    @BeforeAll
    static void start() throws Exception {
        system = Reliability.system();
    }

    @Test
    void hostileInputIsRefusedAndGoodEventsAreAppliedOnce() throws Exception {
        probes = new Probes(system);
        good = new GoodTraffic(system, List.of(GOOD_A, GOOD_B), what -> {
            Probes.Row row = probes.currentRow();
            if (row != null) {
                row.serverErrorOfGoodEvent(what);
            }
        });
        cast();
        probes.watch();
        good.startPosting();
        Instant began = Instant.now();

        attack("1. oversized ranges and pages", this::oversizedRangesAndPages);
        attack("2. unknown enums, nulls, wrong types, missing fields", this::wrongTypesNullsAndMissingFields);
        attack("3. deep JSON and huge strings", this::deepJsonAndHugeStrings);
        attack("4. long, unicode and control-character ids", this::longAndOddIds);
        attack("5. SQL and HTML metacharacters", this::sqlAndHtmlMetacharacters);
        attack("6. other patients' and clinicians' ids, forged tokens", this::otherPatientsAndClinicians);
        attack("7. invite codes: wrong, used, locked, another patient's, races", this::inviteCodes);
        attack("8. malformed and half-valid records on session-events", this::poisonRecords);

        good.stopPosting();
        // and after the attacks: the apps go on as if nothing happened
        for (int i = 0; i < 3; i++) {
            good.post(GOOD_A);
            good.post(GOOD_B);
        }
        int notApplied = good.notAppliedWithin(good.accepted, GoodTraffic.WITHIN);
        Duration took = Duration.between(began, Instant.now());
        probes.stopWatching();

        int applied = good.accepted.size() - notApplied;
        int[] facts = good.facts();
        Map<String, Integer> readiness = new TreeMap<>();
        SERVICES.forEach(s -> readiness.put(s, system.readiness(s)));
        String report = "Hostile input (HostileInputTest), " + Instant.now() + ", attacks took " + took.toSeconds() + " s\n\n"
                + probes.table() + "\n"
                + String.format("Good events posted during and after the attacks: %,d sent, %,d accepted, %,d applied by insights, "
                        + "%,d facts held (%,d distinct).%n", good.sent.size(), good.accepted.size(), applied, facts[0], facts[1])
                + "Readiness after the run: " + readiness + "\n"
                + (good.failures.isEmpty() ? "" : "Good batches refused: " + good.failures.stream().limit(10).toList() + "\n")
                + probes.problems(25);
        System.out.println("\n" + report);
        Files.createDirectories(REPORT.toAbsolutePath().getParent());
        Files.writeString(REPORT, report);

        // a service that died under attack is failed below; started again so the tests after this one have a system
        for (String service : SERVICES) {
            if (probes.processGone(service)) {
                try {
                    system.start(service);
                } catch (RuntimeException e) {
                    System.out.println("could not start " + service + " again: " + e);
                }
            }
        }

        List<Executable> checks = new ArrayList<>();
        for (Probes.Row row : probes.rows) {
            checks.add(() -> assertEquals(row.requests(), row.asExpected(), row.attack + ": refused as expected (see " + REPORT + ")"));
            checks.add(() -> assertEquals(0, row.serverErrors(), row.attack + ": 5xx"));
            checks.add(() -> assertEquals(0, row.restartedOrStalled(), row.attack + ": service restarted or stalled"));
            checks.add(() -> assertEquals(0, row.exposed(), row.attack + ": data exposed"));
        }
        readiness.forEach((service, status) -> checks.add(() -> assertEquals(200, status, service + " readiness after the run")));
        List<String> failures = List.copyOf(good.failures);
        checks.add(() -> assertEquals(List.of(), failures, "good batches refused or never answered"));
        checks.add(() -> assertEquals(good.sent.size(), good.accepted.size(), "every good event accepted"));
        checks.add(() -> assertEquals(good.accepted.size(), applied, "every accepted good event applied by insights"));
        checks.add(() -> assertEquals(good.accepted.size(), facts[0], "insights holds each good event once, and nothing else of those patients"));
        checks.add(() -> assertEquals(facts[0], facts[1], "no good event held twice"));
        assertAll("hostile input", checks);
    }

    /** Enrolls the cast, has the victims report severe pain, and waits for insights to show their flags. */
    private void cast() throws Exception {
        tA = probes.caller("patient A", system.tokens.patient(GOOD_A));
        tB = probes.caller("patient B", system.tokens.patient(GOOD_B));
        tMallory = probes.caller("patient Mallory", system.tokens.patient(MALLORY));
        tX = probes.caller("clinician X", system.tokens.clinician(X));
        tY = probes.caller("clinician Y", system.tokens.clinician(Y));
        tOps = probes.caller("ops", system.tokens.ops());
        tAdmin = probes.caller("admin", system.tokens.admin());
        tEditor = probes.caller("catalog editor", system.tokens.catalogEditor());

        GoodTraffic.enroll(system, GOOD_A, X, startDate);
        GoodTraffic.enroll(system, GOOD_B, X, startDate);
        victimEnrollment = GoodTraffic.enroll(system, VICTIM, Y, startDate);
        String notesEnrollment = GoodTraffic.enroll(system, NOTES, Y, startDate);
        good.awaitTreating(GOOD_A, X);
        good.awaitTreating(GOOD_B, X);
        good.awaitTreating(VICTIM, Y);
        good.awaitTreating(NOTES, Y);
        List<UUID> victimEvents = new ArrayList<>(good.postSeverePain(VICTIM));
        victimEvents.addAll(good.postSeverePain(NOTES));
        victimFlag = good.awaitFlag(VICTIM, Y);
        notesFlag = good.awaitFlag(NOTES, Y);
        probes.protect(VICTIM, NOTES, Y, victimEnrollment, notesEnrollment, victimFlag, notesFlag);
        victimEvents.forEach(id -> probes.protect(id.toString()));
    }

    private interface Attack {
        void run() throws Exception;
    }

    /** Runs an attack as one row; then checks that everything still works and nothing of it was stored. */
    private void attack(String name, Attack attack) throws Exception {
        Probes.Row row = probes.begin(name);
        try {
            attack.run();
        } catch (Exception | AssertionError e) {
            e.printStackTrace();
            row.check("the attack ran to its end", false, e.toString());
        }
        markStored(row);
        for (String service : SERVICES) {
            int live = probes.liveness(service);
            if (live != 200 && row.down.add(service)) {
                row.stall(1, service + " /q/health/live after the attack: " + (live == 0 ? "no answer" : live));
            }
        }
        for (String gone : probes.goneSinceWatchBegan()) {
            row.stall(1, gone + " ended (died or was restarted)");
        }
        // once the pipeline was found stalled, later rows wait less: the report must still be written in time
        Duration wait = pipelineStalled ? Duration.ofSeconds(10) : GoodTraffic.WITHIN;
        if (!good.endToEnd(wait)) {
            pipelineStalled = true;
            row.stall(1, "a fresh good event posted after the attack was not applied within " + wait.toSeconds() + " s");
        }
        List<UUID> accepted = List.copyOf(good.accepted);
        good.notAppliedWithin(accepted, pipelineStalled ? Duration.ofSeconds(10) : GoodTraffic.WITHIN);
        Set<UUID> late = new HashSet<>(accepted);
        late.removeAll(applied(accepted));
        late.removeAll(chargedLate);
        if (!late.isEmpty()) {
            chargedLate.addAll(late);
            row.stall(late.size(), late.size() + " good event(s) not applied within " + GoodTraffic.WITHIN.toSeconds() + " s");
        }
    }

    /** Fails every request of the row whose events were stored (none may be), and any enrollment of NOBODY. */
    private void markStored(Probes.Row row) throws SQLException {
        List<Probes.Result> results;
        synchronized (row.results) {
            results = List.copyOf(row.results);
        }
        Set<UUID> ids = new HashSet<>();
        results.forEach(r -> ids.addAll(r.eventIds));
        if (!ids.isEmpty()) {
            Set<UUID> stored = new HashSet<>();
            try (Connection db = system.database("session");
                 PreparedStatement find = db.prepareStatement("SELECT event_id::text FROM patient_event WHERE event_id = ANY(?)")) {
                find.setArray(1, db.createArrayOf("uuid", ids.toArray()));
                try (ResultSet rs = find.executeQuery()) {
                    while (rs.next()) {
                        stored.add(UUID.fromString(rs.getString(1)));
                    }
                }
            }
            stored.addAll(applied(ids));
            for (Probes.Result r : results) {
                long kept = r.eventIds.stream().filter(stored::contains).count();
                if (kept > 0) {
                    r.fail(kept + " of its events stored, though nothing may be");
                }
            }
        }
        int enrollments = count("SELECT count(*) FROM enrollment WHERE patient_id = ?", NOBODY);
        if (enrollments > 0 && !nobodyReported) {
            nobodyReported = true;
            row.check("no enrollment stored for " + NOBODY, false, enrollments + " stored from refused invitations");
        }
    }

    // ---------------------------------------------------------------- 1

    private void oversizedRangesAndPages() {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        String adherence = "/patients/" + GOOD_A + "/adherence?";
        List<String[]> ranges = List.of(
                new String[] {"to=9999-12-31", "to"},
                new String[] {"from=0001-01-01", "from"},
                new String[] {"from=" + today.minusDays(366) + "&to=" + today, "from"},
                new String[] {"from=" + today.minusDays(1000) + "&to=" + today.minusDays(634), "from"},
                new String[] {"to=" + today.plusDays(3), "to"},
                new String[] {"from=" + today + "&to=" + today.minusDays(1), "from"},
                new String[] {"from=" + enc("+999999999-12-31"), "from"},
                new String[] {"from=-999999999-01-01", "from"},
                new String[] {"to=" + enc("+999999999-12-31"), "to"},
                new String[] {"from=-1", "from"},
                new String[] {"from=2026-02-30", "from"},
                new String[] {"to=99999-01-01", "to"},
                new String[] {"from=" + "9".repeat(300), "from"});
        String events = "/patients/" + GOOD_A + "/events?";
        List<String[]> pages = List.of(
                new String[] {"size=100000", "size"},
                new String[] {"size=0", "size"},
                new String[] {"size=-1", "size"},
                new String[] {"size=201", "size"},
                new String[] {"page=-1", "page"},
                new String[] {"page=2147483647", "page"},
                new String[] {"page=51&size=200", "page"},
                new String[] {"page=10001", "page"},
                new String[] {"page=-2147483648&size=-2147483648", "page"},
                new String[] {"page=2147483647&size=2147483647", "page"});
        // not an int at all: a parameter conversion refused (JAX-RS says 404 for a query parameter, 400 is as good)
        List<String> notInts = List.of("page=99999999999", "size=1e3", "size=NaN", "page=0x10", "size=2147483648",
                "page=" + enc("1 OR 1=1"));
        for (String token : List.of(tA, tX)) {
            for (String[] r : ranges) {
                probes.get(INSIGHTS, adherence + r[0]).as(token).naming(r[1]).expect(400);
            }
            for (String[] p : pages) {
                probes.get(SESSION, events + p[0]).as(token).naming(p[1]).expect(400);
            }
            for (String q : notInts) {
                probes.get(SESSION, events + q).as(token).expect(400, 404);
            }
        }
    }

    // ---------------------------------------------------------------- 2

    private void wrongTypesNullsAndMissingFields() {
        // unknown enums
        badExercise("unknown type", "type", "NAP_TAKEN");
        badExercise("type in lower case", "type", "exercise_completed");
        badExercise("type as a number", "type", 3);
        badExercise("type of another endpoint", "type", "ENROLLMENT_STARTED");
        badExercise("unknown side", "side", "MIDDLE");
        badExercise("empty side", "side", "");
        badPain("unknown location", "location", "KNEE");
        badPain("unknown context", "context", "SOMETIME");
        badPain("unknown side", "side", "UP");
        badPain("unknown red flag", "redFlags", List.of("ALIEN_ABDUCTION"));
        // nulls
        badExercise("null eventId", "eventId", null);
        badExercise("null type", "type", null);
        badExercise("null occurredAt", "occurredAt", null);
        badExercise("null exerciseId", "exerciseId", null);
        badExercise("null sets", "sets", null);
        badExercise("null reps", "reps", null);
        badPain("null score", "score", null);
        badPain("null location", "location", null);
        badPain("null side", "side", null);
        badPain("null context", "context", null);
        badPain("a null red flag", "redFlags", Collections.singletonList(null));
        // wrong types
        badExercise("string for sets", "sets", "3");
        badExercise("7.5 sets", "sets", 7.5);
        badExercise("boolean for sets", "sets", true);
        badExercise("array for sets", "sets", List.of(1));
        badExercise("object for sets", "sets", Map.of("value", 1));
        badExercise("word for reps", "reps", "ten");
        badExercise("2.5 hold seconds", "holdSeconds", 2.5);
        badExercise("string for difficulty", "difficulty", "hard");
        badExercise("number for exerciseId", "exerciseId", 42);
        badExercise("array for exerciseId", "exerciseId", List.of("pelvic-tilt"));
        badExercise("object for exerciseId", "exerciseId", Map.of("id", "pelvic-tilt"));
        badExercise("number for eventId", "eventId", 123);
        badExercise("eventId not a UUID", "eventId", "not-a-uuid");
        badExercise("occurredAt a word", "occurredAt", "yesterday");
        // (if it were read leniently, without an offset, it is still more than a year ago)
        badExercise("occurredAt without offset", "occurredAt", "2020-01-01T08:00:00");
        badExercise("occurredAt as a number", "occurredAt", 1);
        badExercise("occurredAt as an object", "occurredAt", Map.of("date", "2026-11-25"));
        badPain("string for score", "score", "7");
        badPain("7.5 score", "score", 7.5);
        badPain("boolean for score", "score", true);
        badPain("score beyond int", "score", new BigInteger("2147483648"));
        badPain("score 1e400", "score", new BigDecimal("1e400"));
        badPain("string for newPain", "newPain", "yes");
        badPain("string for redFlags", "redFlags", "SADDLE_NUMBNESS");
        // missing
        badExercise("no eventId", "eventId", ABSENT);
        badExercise("no type", "type", ABSENT);
        badExercise("no occurredAt", "occurredAt", ABSENT);
        badExercise("no exerciseId", "exerciseId", ABSENT);
        badExercise("no sets", "sets", ABSENT);
        badExercise("no reps", "reps", ABSENT);
        badPain("no score", "score", ABSENT);
        badPain("no location", "location", ABSENT);
        badPain("no side", "side", ABSENT);
        badPain("no context", "context", ABSENT);
        badPain("during an exercise, but which", "context", "DURING_EXERCISE");
        badExercise("per-side exercise without side", "exerciseId", "knee-to-chest");
        // out of range, or fields of the other type
        badPain("score 11", "score", 11);
        badPain("score -1", "score", -1);
        badExercise("0 sets", "sets", 0);
        badExercise("51 sets", "sets", 51);
        badExercise("501 reps", "reps", 501);
        badExercise("hold 3601 s", "holdSeconds", 3601);
        badExercise("difficulty 6", "difficulty", 6);
        badExercise("2 hours in the future", "occurredAt", Instant.now().plus(Duration.ofHours(2)).toString());
        badExercise("2 years ago", "occurredAt", Instant.now().minus(Duration.ofDays(730)).toString());
        badPain("the same red flag twice", "redFlags", List.of("BOTH_LEGS", "BOTH_LEGS"));
        badExercise("a pain score on an exercise", "score", 3);
        badExercise("unknown exercise", "exerciseId", "moon-walk");
        // unknown fields: a patient id, or what the server decides, is never taken from the body
        badExercise("patientId in the body", "patientId", "someone-else");
        badExercise("__proto__", "__proto__", Map.of("admin", true));
        badExercise("recordedAt in the body", "recordedAt", Instant.now().toString());
        badExercise("status in the body", "status", "ACCEPTED");

        // the batch itself
        String events = "/patients/" + GOOD_B + "/events";
        UUID goodId = UUID.randomUUID();
        String valid = json(exerciseEvent(goodId));
        for (String[] body : List.of(new String[] {"null", "JSON null"}, new String[] {"[]", "empty batch"},
                new String[] {valid, "an object, not an array"}, new String[] {"[null]", "a null event"},
                new String[] {"[" + "[" + valid + "]" + "]", "an array for an event"}, new String[] {"\"events\"", "a string"},
                new String[] {"42", "a number"}, new String[] {"[1,2]", "numbers for events"}, new String[] {"{}", "an empty object"},
                new String[] {"", "an empty body"}, new String[] {"[" + valid + "] trailing", "trailing garbage"},
                new String[] {"[" + valid + "][" + valid + "]", "two arrays"}, new String[] {"/* hi */ [" + valid + "]", "a comment"},
                new String[] {"[" + valid.replace('"', '\'') + "]", "single quotes"},
                new String[] {"[" + json(painEvent(UUID.randomUUID())).replace("\"score\":3", "\"score\":3,\"score\":11") + "]", "a duplicate key"})) {
            probes.post(SESSION, events).as(tB).json(body[0]).events(List.of(goodId)).label(body[1]).expect(400, 413, 422);
        }
        UUID mixedGood = UUID.randomUUID();
        UUID mixedBad = UUID.randomUUID();
        probes.post(SESSION, events).as(tB).json("[" + json(exerciseEvent(mixedGood)) + "," + json(with(painEvent(mixedBad), "score", 11)) + "]")
                .events(List.of(mixedGood, mixedBad)).label("a good event with a bad one").expect(422);
        UUID reused = UUID.randomUUID();
        probes.post(SESSION, events).as(tB).json("[" + json(exerciseEvent(reused)) + "," + json(with(exerciseEvent(reused), "reps", 11)) + "]")
                .events(List.of(reused)).label("one eventId, two contents").expect(409, 422);
        List<UUID> many = new ArrayList<>();
        StringBuilder batch = new StringBuilder("[");
        for (int i = 0; i < 501; i++) {
            UUID id = UUID.randomUUID();
            many.add(id);
            batch.append(i == 0 ? "" : ",").append(json(exerciseEvent(id)));
        }
        probes.post(SESSION, events).as(tB).json(batch.append("]").toString()).events(many).label("501 events").expect(413);
        UUID plain = UUID.randomUUID();
        probes.post(SESSION, events).as(tB).body("text/plain", "[" + json(exerciseEvent(plain)) + "]").events(List.of(plain))
                .label("a valid batch as text/plain").expect(415);
        UUID form = UUID.randomUUID();
        probes.post(SESSION, events).as(tB).body(FORM, "eventId=" + form + "&type=EXERCISE_COMPLETED").events(List.of(form))
                .label("a form").expect(415);
        probes.get(SESSION, "/patients/" + GOOD_B + "/events?type=NAP_TAKEN").as(tB).naming("type").expect(400);
        // an empty type is no filter at all
        probes.get(SESSION, "/patients/" + GOOD_B + "/events?type=").as(tB).expect(200, 400);
        probes.get(SESSION, "/patients/" + GOOD_B + "/events?from=yesterday").as(tB).naming("from").expect(400);

        // invitations: none of these may store anything
        String invite = "/patients/" + NOBODY + "/enrollments";
        Map<String, Object> base = inviteFields(X);
        Object[][] invitations = {
                {"unknown program", "programId", "no-such-program"}, {"number for programId", "programId", 42},
                {"null programId", "programId", null}, {"no programId", "programId", ABSENT},
                {"array for programId", "programId", List.of(PatientApps.PROGRAM)},
                {"startDate a word", "startDate", "yesterday"}, {"startDate 30 February", "startDate", "2026-02-30"},
                {"number for startDate", "startDate", 20260101}, {"startDate in 2 years", "startDate", startDate.plusYears(2).toString()},
                {"null startDate", "startDate", null}, {"no startDate", "startDate", ABSENT},
                {"time zone Mars/Olympus", "timezone", "Mars/Olympus"}, {"time zone +25:00", "timezone", "+25:00"},
                {"null time zone", "timezone", null}, {"number for time zone", "timezone", 1}, {"empty time zone", "timezone", ""},
                {"another clinician", "clinicianId", Y}, {"number for clinicianId", "clinicianId", 7},
                {"enrollmentId not a UUID", "enrollmentId", "not-a-uuid"}, {"status in the body", "status", "ACTIVE"},
                {"inviteCode in the body", "inviteCode", "AAAAAAAAAA"}, {"acceptedAt in the body", "acceptedAt", Instant.now().toString()}};
        for (Object[] i : invitations) {
            probes.post(SESSION, invite).as(tX).json(json(with(base, i[1], i[2]))).label("invitation: " + i[0]).expect(400, 403, 422);
        }
        for (String[] body : List.of(new String[] {"[]", "an array"}, new String[] {"", "no body"}, new String[] {"null", "JSON null"},
                new String[] {"\"x\"", "a string"})) {
            probes.post(SESSION, invite).as(tX).json(body[0]).label("invitation: " + body[1]).expect(400, 422);
        }
        probes.post(SESSION, invite).as(tA).json(json(base)).label("a patient inviting").expect(403);

        // a flag's actions (random flag ids: nothing to change even if the body passed)
        String flag = "/flags/" + UUID.randomUUID();
        for (String[] body : List.of(new String[] {"{\"note\":[\"a\"]}", "array for note"}, new String[] {"{\"note\":{\"a\":1}}", "object for note"},
                new String[] {"{\"note\":\"ok\",\"acknowledgedBy\":\"" + Y + "\"}", "acknowledgedBy in the body"},
                new String[] {"{\"note\":42}", "number for note"}, new String[] {"[]", "an array"})) {
            probes.post(INSIGHTS, flag + "/acknowledge").as(tX).json(body[0]).label("acknowledge: " + body[1]).expect(400, 404, 422);
        }
        for (String[] body : List.of(new String[] {"{}", "no note"}, new String[] {"{\"note\":null}", "null note"},
                new String[] {"{\"note\":\"   \"}", "blank note"}, new String[] {json(Map.of("note", "n".repeat(2001))), "2,001-char note"},
                new String[] {"{\"note\":\"ok\",\"resolvedBy\":\"" + Y + "\"}", "resolvedBy in the body"})) {
            probes.post(INSIGHTS, flag + "/resolve").as(tX).json(body[0]).label("resolve: " + body[1]).expect(400, 404, 422);
        }
        probes.post(INSIGHTS, flag + "/resolve").as(tX).body("text/plain", "{\"note\":\"x\"}").label("resolve as text/plain").expect(415);
        probes.post(INSIGHTS, flag + "/acknowledge").as(tX).body(FORM, "note=x").label("acknowledge as a form").expect(415);

        // the catalog (an exercise that does not exist: nothing there to change)
        String exercise = "/exercises/" + NO_SUCH_EXERCISE;
        for (String body : List.of("{}", "[]", "{\"id\":42,\"version\":\"one\"}", "\"x\"", "{\"dosage\":\"lots\"}")) {
            probes.put(CATALOG, exercise).as(tEditor).json(body).label("catalog write " + body).expect(400, 404, 422);
        }
        probes.put(CATALOG, "/exercises/knee-to-chest").as(tA).json("{}").label("a patient writing the catalog").expect(400, 403);
    }

    // ---------------------------------------------------------------- 3

    private void deepJsonAndHugeStrings() {
        String deepArrays = "[".repeat(10_000) + "]".repeat(10_000);
        String deepObjects = "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000);
        UUID deepId = UUID.randomUUID();
        String pain = json(painEvent(deepId));
        String deepInEvent = "[" + pain.substring(0, pain.length() - 1) + ",\"redFlags\":" + deepArrays + "}]";
        String randomFlag = "/flags/" + UUID.randomUUID();
        String accept = "/patients/" + MALLORY + "/enrollments/" + UUID.randomUUID() + "/accept";
        String invite = "/patients/" + NOBODY + "/enrollments";
        String events = "/patients/" + GOOD_B + "/events";
        for (String[] deep : List.of(new String[] {deepArrays, "10,000 nested arrays"}, new String[] {deepObjects, "10,000 nested objects"})) {
            probes.post(SESSION, events).as(tB).json(deep[0]).label(deep[1]).expect(400, 413);
            probes.post(SESSION, invite).as(tX).json(deep[0]).label(deep[1]).expect(400, 413);
            probes.post(SESSION, accept).as(tMallory).json(deep[0]).label(deep[1]).expect(400, 413);
            probes.post(INSIGHTS, randomFlag + "/acknowledge").as(tX).json(deep[0]).label(deep[1]).expect(400, 413);
            probes.post(INSIGHTS, randomFlag + "/resolve").as(tX).json(deep[0]).label(deep[1]).expect(400, 413);
            probes.put(CATALOG, "/exercises/" + NO_SUCH_EXERCISE).as(tEditor).json(deep[0]).label(deep[1]).expect(400, 413);
        }
        probes.post(SESSION, events).as(tB).json(deepInEvent).events(List.of(deepId)).label("10,000 nested arrays in an event").expect(400, 413);
        probes.post(SESSION, invite).as(tX).json("{\"programId\":" + deepArrays + "}").label("10,000 nested arrays in a field").expect(400, 413);

        // bodies beyond the limits (1 MB for an app's batch, 256 KB elsewhere)
        UUID huge = UUID.randomUUID();
        String overMegabyte = "[" + json(with(exerciseEvent(huge), "exerciseId", "x".repeat(1_500_000))) + "]";
        probes.post(SESSION, events).as(tB).json(overMegabyte).events(List.of(huge)).closeIsRefusal().label("1.5 MB batch").expect(413);
        probes.post(SESSION, events).as(tB).json(overMegabyte).events(List.of(huge)).chunked().closeIsRefusal()
                .label("1.5 MB batch, chunked").expect(413);
        probes.post(SESSION, invite).as(tX).json(json(with(inviteFields(X), "timezone", "Z".repeat(1_500_000)))).closeIsRefusal()
                .label("1.5 MB invitation").expect(413);
        probes.post(SESSION, accept).as(tMallory).json(json(Map.of("inviteCode", "A".repeat(1_500_000)))).closeIsRefusal()
                .label("1.5 MB invite code").expect(413);
        probes.post(INSIGHTS, randomFlag + "/acknowledge").as(tX).json(json(Map.of("note", "n".repeat(300_000)))).closeIsRefusal()
                .label("300 KB note").expect(413);
        probes.put(CATALOG, "/exercises/" + NO_SUCH_EXERCISE).as(tEditor)
                .json(json(Map.of("id", NO_SUCH_EXERCISE, "name", "n".repeat(300_000)))).closeIsRefusal().label("300 KB definition").expect(413);
        // huge strings within the limits: refused, and not sent back
        UUID big = UUID.randomUUID();
        String longExercise = "y".repeat(900_000);
        probes.post(SESSION, events).as(tB).json("[" + json(with(exerciseEvent(big), "exerciseId", longExercise)) + "]").events(List.of(big))
                .notEchoing(longExercise).label("900 KB exerciseId").expect(400, 422);
        String longZone = "Z".repeat(500_000);
        probes.post(SESSION, invite).as(tX).json(json(with(inviteFields(X), "timezone", longZone))).notEchoing(longZone)
                .label("500 KB time zone").expect(400, 422);
        String longNote = "n".repeat(200_000);
        probes.post(INSIGHTS, randomFlag + "/acknowledge").as(tX).json(json(Map.of("note", longNote))).notEchoing(longNote)
                .label("200 KB note").expect(400, 404, 422);
        probes.post(SESSION, events).as(tB).json("[" + String.join(",", Collections.nCopies(340_000, "{}")) + "]")
                .label("340,000 empty events").expect(400, 413, 422);
        UUID digits = UUID.randomUUID();
        String longNumber = json(exerciseEvent(digits)).replace("\"sets\":1", "\"sets\":" + "9".repeat(100_000));
        probes.post(SESSION, events).as(tB).json("[" + longNumber + "]").events(List.of(digits)).label("a 100,000-digit number").expect(400, 422);
        UUID key = UUID.randomUUID();
        probes.post(SESSION, events).as(tB).json("[" + json(with(exerciseEvent(key), "k".repeat(200_000), 1)) + "]").events(List.of(key))
                .label("a 200,000-char field name").expect(400, 422);
        // request lines and headers beyond the server's limits
        probes.get(INSIGHTS, "/patients/" + GOOD_A + "/adherence?from=" + "9".repeat(10_000)).as(tA).label("10,000-char query")
                .expect(400, 414);
        probes.get(SESSION, "/patients/" + GOOD_A + "/events?type=" + "T".repeat(10_000)).as(tA).label("10,000-char query")
                .expect(400, 414);
        probes.get(CATALOG, "/exercises?q=" + "q".repeat(10_000)).as(tA).label("10,000-char query").expect(400, 414);
        probes.get(INSIGHTS, "/").cookie("c".repeat(64_000)).closeIsRefusal().label("a 64 KB cookie").expect(400, 401, 413, 431);
        probes.get(SESSION, "/patients/" + GOOD_A + "/events").as("t".repeat(64_000)).closeIsRefusal().label("a 64 KB bearer token")
                .expect(400, 401, 413, 431);
    }

    // ---------------------------------------------------------------- 4

    private void longAndOddIds() throws Exception {
        int[] path = {400, 403, 404, 414, 431};
        for (OddId id : ODD_IDS) {
            String p = id.path();
            List<UUID> posted = List.of(UUID.randomUUID());
            odd(probes.get(SESSION, "/patients/" + p + "/events").as(tX), id).expect(path);
            odd(probes.post(SESSION, "/patients/" + p + "/events").as(tA).json(validBatch(posted.get(0))).events(posted), id).expect(path);
            odd(probes.get(SESSION, "/patients/" + p + "/enrollments").as(tX), id).expect(path);
            odd(probes.post(SESSION, "/patients/" + p + "/enrollments").as(tX).json(json(inviteFields(X))), id).expect(path);
            odd(probes.post(SESSION, "/patients/" + MALLORY + "/enrollments/" + p + "/accept").as(tMallory).json(code("ABCDEFGHJK")), id)
                    .expect(400, 404, 414, 422);
            odd(probes.get(INSIGHTS, "/patients/" + p + "/adherence").as(tX), id).expect(path);
            odd(probes.get(INSIGHTS, "/patients/" + p + "/flags").as(tX), id).expect(path);
            odd(probes.get(INSIGHTS, "/dashboard/patients/" + p).cookie(tX), id).expect(path);
            // dot segments decode to /q/metrics, which the permission layer refuses a clinician (403)
            odd(probes.post(INSIGHTS, "/flags/" + p + "/acknowledge").as(tX).json("{\"note\":\"seen\"}"), id).expect(400, 403, 404, 414);
            odd(probes.get(CATALOG, "/exercises/" + p).as(tA), id).expect(path);
            odd(probes.get(CATALOG, "/programs/" + p).as(tA), id).expect(path);
            if (id.asSubject()) {
                // a token whose subject is the odd id itself: the id gets past "is it you?"
                String own = probes.caller("patient '" + id.label() + "'", system.tokens.patient(id.text()));
                odd(probes.get(SESSION, "/patients/" + p + "/events").as(own), id).expect(400, 401, 403, 404, 414, 431);
                odd(probes.get(INSIGHTS, "/patients/" + p + "/adherence").as(own), id).expect(400, 401, 403, 404, 414, 431);
                odd(probes.get(INSIGHTS, "/patients/" + p + "/pain").as(own), id).expect(400, 401, 403, 404, 414, 431);
                String clinician = probes.caller("clinician '" + id.label() + "'", system.tokens.clinician(id.text()));
                odd(probes.post(SESSION, "/patients/" + NOBODY + "/enrollments").as(clinician).json(json(inviteFields(id.text()))), id)
                        .expect(400, 401, 403, 422, 431);
            }
            if (id.text() != null) {
                UUID e1 = UUID.randomUUID();
                odd(probes.post(SESSION, "/patients/" + GOOD_B + "/events").as(tB)
                        .json("[" + json(with(exerciseEvent(e1), "exerciseId", id.text())) + "]").events(List.of(e1)), id).expect(400, 422);
                odd(probes.post(SESSION, "/patients/" + GOOD_B + "/events").as(tB)
                        .json("[" + json(with(exerciseEvent(UUID.randomUUID()), "eventId", id.text())) + "]"), id).expect(400, 422);
                for (String field : List.of("clinicianId", "programId", "timezone")) {
                    odd(probes.post(SESSION, "/patients/" + NOBODY + "/enrollments").as(tX).json(json(with(inviteFields(X), field, id.text())))
                            .label(id.label() + " as " + field), id).expect(400, 403, 422);
                }
                odd(probes.post(SESSION, "/patients/" + MALLORY + "/enrollments/" + UUID.randomUUID() + "/accept").as(tMallory)
                        .json(code(id.text())).label(id.label() + " as invite code"), id).expect(400, 422);
            }
        }
        String longName = "f".repeat(4000);
        probes.post(SESSION, "/patients/" + GOOD_B + "/events").as(tB).json("[" + json(with(exerciseEvent(UUID.randomUUID()), longName, 1)) + "]")
                .notEchoing(longName).label("a 4,000-char field name").expect(400, 422);
        // control and bidi characters in a note on Y's own patient's flag: refused, or kept as text
        probes.post(INSIGHTS, "/flags/" + notesFlag + "/acknowledge").as(tY).entitled()
                .json(json(Map.of("note", "seen \u0000 today"))).label("a note with NUL").expect(200, 400, 422);
        probes.post(INSIGHTS, "/flags/" + notesFlag + "/acknowledge").as(tY).entitled()
                .json(json(Map.of("note", "seen \u202Etxt.exe \u200F today"))).label("a note with bidi controls").expect(200, 400, 409, 422);
    }

    /** The checks every odd-id request gets: named in the report, the id not sent back, no header injected. */
    private static Probes.Hit odd(Probes.Hit hit, OddId id) {
        hit.defaultLabel(id.label());
        if (id.mustNotEcho()) {
            hit.notEchoing(id.text());
        }
        return hit.check("no header injected", a -> a.headers() == null
                || a.headers().allValues("set-cookie").stream().noneMatch(v -> v.contains("hostile=1")));
    }

    // ---------------------------------------------------------------- 5

    private void sqlAndHtmlMetacharacters() throws Exception {
        for (String value : METACHARACTERS) {
            String e = enc(value);
            probes.get(SESSION, "/patients/" + e + "/events").as(tX).label(value).expect(400, 403, 404);
            probes.get(INSIGHTS, "/patients/" + e + "/adherence").as(tX).label(value).expect(400, 403, 404);
            probes.get(INSIGHTS, "/patients/" + e + "/flags").as(tX).label(value).expect(400, 403, 404);
            probes.get(INSIGHTS, "/dashboard/patients/" + e).cookie(tX).label(value).expect(400, 403, 404);
            probes.get(CATALOG, "/exercises/" + e).as(tA).label(value).expect(400, 404);
            probes.get(CATALOG, "/programs/" + e).as(tA).label(value).expect(400, 404);
            probes.post(INSIGHTS, "/flags/" + e + "/acknowledge").as(tX).json("{\"note\":\"seen\"}").label(value).expect(400, 404);
            probes.get(SESSION, "/patients/" + GOOD_A + "/events?type=" + e).as(tA).naming("type").label(value).expect(400);
            probes.get(SESSION, "/patients/" + GOOD_A + "/events?from=" + e).as(tA).naming("from").label(value).expect(400);
            probes.get(INSIGHTS, "/patients/" + GOOD_A + "/adherence?from=" + e).as(tA).naming("from").label(value).expect(400);
            UUID id = UUID.randomUUID();
            probes.post(SESSION, "/patients/" + GOOD_B + "/events").as(tB).json("[" + json(with(exerciseEvent(id), "exerciseId", value)) + "]")
                    .events(List.of(id)).label(value + " as exerciseId").expect(422);
            probes.post(SESSION, "/patients/" + NOBODY + "/enrollments").as(tX).json(json(with(inviteFields(X), "programId", value)))
                    .label(value + " as programId").expect(400, 422);
            probes.post(SESSION, "/patients/" + NOBODY + "/enrollments").as(tX).json(json(with(inviteFields(X), "timezone", value)))
                    .label(value + " as time zone").expect(400, 422);
        }

        // notes are stored as written and shown as text: Y acknowledges and resolves their patient's flag
        String scriptNote = "<script>alert('hep')</script>' OR 1=1; DROP TABLE review_flag; --";
        String imgNote = "\"><img src=x onerror=alert('hep')> ' OR '1'='1";
        probes.post(INSIGHTS, "/flags/" + victimFlag + "/acknowledge").as(tY).entitled().json(json(Map.of("note", scriptNote)))
                .check("the note is kept as written", a -> scriptNote.equals(tree(a.body()).path("acknowledgementNote").asText()))
                .label("a note with <script> and SQL").expect(200);
        // through the dashboard's form, asking to be sent to another site afterwards
        String form = "note=" + enc(imgNote) + "&back=" + enc("https://evil.example/") + "&csrf=" + enc(csrf(tY));
        probes.post(INSIGHTS, "/dashboard/flags/" + victimFlag + "/resolve").cookie(tY).entitled().body(FORM, form)
                .check("the browser is not sent to another site", a -> a.status() != 303
                        || !String.valueOf(a.header("location")).contains("evil.example"))
                .label("a form resolving with an <img> note, back=https://evil.example/").expect(303, 403);
        if (!"RESOLVED".equals(flagOf(VICTIM, victimFlag).path("status").asText())) {
            probes.post(INSIGHTS, "/flags/" + victimFlag + "/resolve").as(tY).entitled().json(json(Map.of("note", imgNote)))
                    .label("resolving with an <img> note").expect(200);
        }
        probes.get(INSIGHTS, "/dashboard/patients/" + VICTIM).cookie(tY).entitled()
                .check("the acknowledgement note is shown escaped (&lt;script&gt;)", a -> a.body().contains("&lt;script&gt;alert("))
                .check("the resolution note is shown escaped (&lt;img)", a -> a.body().contains("&lt;img src=x onerror="))
                .label("the patient's page with both notes").expect(200);
        probes.get(INSIGHTS, "/patients/" + VICTIM + "/flags").as(tY).entitled()
                .check("both notes are kept exactly as written", a -> {
                    JsonNode f = find(tree(a.body()), victimFlag);
                    return scriptNote.equals(f.path("acknowledgementNote").asText()) && imgNote.equals(f.path("resolutionNote").asText());
                })
                .label("the flag with both notes").expect(200);
        probes.get(INSIGHTS, "/").cookie(tY).entitled().label("the review queue page").expect(200);
        probes.get(INSIGHTS, "/review-queue").as(tY).entitled().label("the review queue").expect(200);
        String missing = null;
        try {
            count("SELECT count(*) FROM patient_event WHERE patient_id = ?", GOOD_A);
            try (Connection db = system.database("insights"); PreparedStatement flags = db.prepareStatement("SELECT count(*) FROM review_flag");
                 ResultSet rs = flags.executeQuery()) {
                rs.next();
            }
        } catch (SQLException e) {
            missing = e.toString();
        }
        probes.row().check("patient_event and review_flag are still there", missing == null, missing);
    }

    // ---------------------------------------------------------------- 6

    private void otherPatientsAndClinicians() throws Exception {
        String v = "/patients/" + VICTIM;
        String randomFlag = UUID.randomUUID().toString();
        // patient A on the victim's data
        probes.get(SESSION, v + "/events").as(tA).expect(403, 404);
        UUID posted = UUID.randomUUID();
        probes.post(SESSION, v + "/events").as(tA).json(validBatch(posted)).events(List.of(posted)).expect(403);
        probes.get(SESSION, v + "/enrollments").as(tA).expect(403, 404);
        probes.post(SESSION, v + "/enrollments/" + victimEnrollment + "/revoke").as(tA).expect(403, 404);
        probes.post(SESSION, "/patients/" + GOOD_A + "/enrollments/" + victimEnrollment + "/revoke").as(tA).expect(403, 404);
        probes.post(SESSION, v + "/enrollments").as(tA).json(json(inviteFields(X))).expect(403);
        for (String view : List.of("/adherence", "/pain", "/flags")) {
            probes.get(INSIGHTS, v + view).as(tA).expect(403, 404);
        }
        probes.get(INSIGHTS, "/review-queue").as(tA).expect(403);
        probes.get(INSIGHTS, "/dashboard/patients/" + VICTIM).cookie(tA).expect(303, 401, 403);
        probes.get(INSIGHTS, "/").cookie(tA).expect(303, 401, 403);
        sameAsUnknownFlag(tA, randomFlag, 403, 404);

        // clinician X on clinician Y's patient
        probes.get(SESSION, v + "/events").as(tX).expect(403, 404);
        probes.get(SESSION, v + "/events?type=PAIN_REPORTED").as(tX).expect(403, 404);
        probes.get(SESSION, v + "/enrollments").as(tX).expect(403, 404);
        probes.post(SESSION, v + "/enrollments/" + victimEnrollment + "/end").as(tX).expect(403, 404);
        probes.post(SESSION, v + "/enrollments/" + victimEnrollment + "/end").as(tX).json("{\"reason\":\"RECOVERED\"}").expect(403, 404);
        probes.post(SESSION, v + "/enrollments/" + victimEnrollment + "/accept").as(tX).json(code("ABCDEFGHJK")).expect(403);
        for (String view : List.of("/adherence", "/pain", "/flags", "/adherence?from=" + startDate)) {
            probes.get(INSIGHTS, v + view).as(tX).expect(403, 404);
        }
        probes.get(INSIGHTS, "/dashboard/patients/" + VICTIM).cookie(tX).expect(403, 404);
        probes.get(INSIGHTS, "/review-queue").as(tX).label("X's own queue, without Y's patients").expect(200);
        probes.get(INSIGHTS, "/").cookie(tX).label("X's own dashboard, without Y's patients").expect(200);
        sameAsUnknownFlag(tX, randomFlag, 404);
        String formTheirs = "note=seen&csrf=" + enc(csrf(tX));
        Probes.Answer theirs = probes.post(INSIGHTS, "/dashboard/flags/" + victimFlag + "/acknowledge").cookie(tX).body(FORM, formTheirs)
                .label("form: another clinician's flag").expect(403, 404);
        probes.post(INSIGHTS, "/dashboard/flags/" + randomFlag + "/acknowledge").cookie(tX).body(FORM, formTheirs)
                .check("answered exactly as another clinician's flag", a -> a.status() == theirs.status()
                        && a.body().replace(randomFlag, "ID").equals(theirs.body().replace(victimFlag, "ID")))
                .label("form: a random flag id").expect(403, 404);
        // inviting a patient gives no access until the patient accepts
        Probes.Answer invited = probes.post(SESSION, v + "/enrollments").as(tX).json(json(inviteFields(X)))
                .label("X invites Y's patient").expect(200, 201, 403, 409);
        probes.get(SESSION, v + "/events").as(tX).label("after inviting").expect(403);
        probes.get(INSIGHTS, v + "/flags").as(tX).label("after inviting").expect(403);
        String pending = invited.status() / 100 == 2 ? tree(invited.body()).path("enrollmentId").asText(null) : null;
        if (pending != null) {
            probes.post(SESSION, v + "/enrollments/" + pending + "/end").as(tX).entitled().label("X withdraws the invitation").expect(200);
        }

        // roles with no business with a patient's data, and admin work for admins only
        for (String token : List.of(tOps, tAdmin, tEditor)) {
            probes.get(INSIGHTS, v + "/adherence").as(token).expect(403);
            probes.get(INSIGHTS, v + "/flags").as(token).expect(403);
            probes.get(SESSION, v + "/events").as(token).expect(403);
            probes.get(INSIGHTS, "/review-queue").as(token).expect(403);
        }
        for (String token : List.of(tOps, tX, tA)) {
            probes.post(INSIGHTS, "/admin/rebuild").as(token).expect(403);
            probes.get(INSIGHTS, "/admin/rebuild").as(token).expect(403);
        }
        for (String service : SERVICES) {
            probes.get(service, "/q/metrics").as(tA).expect(403);
        }
        probes.put(CATALOG, "/exercises/knee-to-chest").as(tX).json("{}").label("a clinician writing the catalog").expect(400, 403);

        // tokens that are not what they claim
        Path otherKeys = Files.createTempDirectory("hostile-keys-");
        try {
            Map<String, String> forged = new LinkedHashMap<>();
            forged.put("Y's token, expired", system.tokens.mint(Tokens.CLINICIAN, Y, Duration.ofMinutes(-5)));
            forged.put("Y's token signed with another key", Tokens.inDirectory(otherKeys).clinician(Y));
            forged.put("Y's claims, alg none", unsigned(Tokens.claims(Tokens.CLINICIAN, Y, Duration.ofMinutes(10))));
            forged.put("Y's claims, HS256 keyed with the public key", hs256(Tokens.claims(Tokens.CLINICIAN, Y, Duration.ofMinutes(10))));
            forged.put("Y's claims under X's signature", swapClaims(tX, Tokens.claims(Tokens.CLINICIAN, Y, Duration.ofMinutes(10))));
            forged.put("Y's token for another audience", system.tokens.sign(changed("aud", "someone-else")));
            forged.put("Y's token from another issuer", system.tokens.sign(changed("iss", "https://evil.example/issuer")));
            forged.put("Y's token without expiry", system.tokens.sign(changed("exp", ABSENT)));
            forged.put("Y's token, signature cut", tY.substring(0, tY.length() - 10));
            forged.put("not a JWT", "not-a-token");
            forged.put("empty bearer", "");
            for (Map.Entry<String, String> f : forged.entrySet()) {
                probes.caller(f.getKey(), f.getValue());
                probes.get(INSIGHTS, v + "/flags").as(f.getValue()).expect(401);
                probes.get(SESSION, v + "/events").as(f.getValue()).expect(401);
            }
        } finally {
            try (var files = Files.walk(otherKeys)) {
                files.sorted(Collections.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        probes.get(INSIGHTS, v + "/flags").expect(401);
        probes.get(SESSION, v + "/events").expect(401);
        String capitalized = probes.caller("the victim's id, role 'Patient'", system.tokens.mint("Patient", VICTIM, Duration.ofMinutes(10)));
        probes.get(SESSION, v + "/events").as(capitalized).expect(401, 403);
        String asClinician = probes.caller("a clinician named like the victim", system.tokens.clinician(VICTIM));
        probes.get(INSIGHTS, v + "/flags").as(asClinician).expect(403);
        probes.get(SESSION, v + "/events").as(asClinician).expect(403);
    }

    /** Acting on another clinician's flag answers exactly as on a flag id that does not exist. */
    private void sameAsUnknownFlag(String token, String randomFlag, int... statuses) {
        String body = json(Map.of("note", "seen"));
        for (String action : List.of("acknowledge", "resolve")) {
            Probes.Answer theirs = probes.post(INSIGHTS, "/flags/" + victimFlag + "/" + action).as(token).json(body)
                    .label("another clinician's flag").expect(statuses);
            probes.post(INSIGHTS, "/flags/" + randomFlag + "/" + action).as(token).json(body)
                    .check("answered exactly as another clinician's flag", a -> a.status() == theirs.status()
                            && a.body().replace(randomFlag, "ID").equals(theirs.body().replace(victimFlag, "ID")))
                    .label("a random flag id").expect(statuses);
        }
    }

    // ---------------------------------------------------------------- 7

    private void inviteCodes() throws Exception {
        String invitee = "hostile-invitee-" + TAG;
        String tInvitee = probes.caller("the invitee", system.tokens.patient(invitee));
        GoodTraffic.Invitation first = invited(invitee, X);
        String acceptFirst = "/patients/" + invitee + "/enrollments/" + first.enrollmentId() + "/accept";
        for (String wrong : List.of("AAAAAAAAAA", "BBBBBBBBBB", "2345678923", "ZZZZZZZZZZ", "HJKMNPQRST")) {
            if (!wrong.equals(first.inviteCode())) {
                probes.post(SESSION, acceptFirst).as(tInvitee).json(code(wrong)).label("a wrong code").expect(422);
            }
        }
        probes.post(SESSION, acceptFirst).as(tInvitee).json(code(first.inviteCode())).label("the right code after five wrong ones")
                .expect(422);
        String status = enrollmentStatus(first.enrollmentId());
        probes.row().check("five wrong codes lock the invitation", "LOCKED".equals(status), "its status is " + status);

        GoodTraffic.Invitation second = invited(invitee, Y);
        String acceptSecond = "/patients/" + invitee + "/enrollments/" + second.enrollmentId() + "/accept";
        probes.post(SESSION, acceptSecond).as(tInvitee).entitled().json(code(second.inviteCode())).label("the right code").expect(200);
        probes.post(SESSION, acceptSecond).as(tInvitee).json(code(second.inviteCode())).label("a used code").expect(409, 422);
        probes.post(SESSION, acceptSecond).as(tInvitee).json(code(second.inviteCode().toLowerCase())).label("a used code, lower case")
                .expect(409, 422);

        // a third invitation while the patient is enrolled: its code cannot make a second ACTIVE enrollment
        GoodTraffic.Invitation third = invited(invitee, X);
        String acceptThird = "/patients/" + invitee + "/enrollments/" + third.enrollmentId() + "/accept";
        probes.post(SESSION, acceptThird).as(tInvitee).json(code(third.inviteCode())).label("the right code, already enrolled")
                .expect(409, 422);
        for (String[] body : List.of(new String[] {"{\"inviteCode\":null}", "null code"}, new String[] {"{}", "no code"},
                new String[] {"[]", "an array"}, new String[] {"{\"inviteCode\":[\"A\"]}", "array for code"},
                new String[] {"{\"inviteCode\":\"AAAAAAAAAA\",\"status\":\"ACTIVE\"}", "status in the body"},
                new String[] {"", "no body"}, new String[] {"{\"inviteCode\":12345}", "number for code"},
                new String[] {code("' OR 1=1 --"), "SQL for code"}, new String[] {code("*"), "wildcard for code"})) {
            probes.post(SESSION, acceptThird).as(tInvitee).json(body[0]).label(body[1]).expect(400, 409, 422);
        }
        probes.post(SESSION, acceptThird).as(tInvitee).body("text/plain", code(third.inviteCode())).label("text/plain").expect(400, 409, 415, 422);
        probes.post(SESSION, "/patients/" + invitee + "/enrollments/not-a-uuid/accept").as(tInvitee).json(code("AAAAAAAAAA"))
                .label("enrollmentId not a UUID").expect(400, 404, 422);
        probes.post(SESSION, "/patients/" + invitee + "/enrollments/" + UUID.randomUUID() + "/accept").as(tInvitee).json(code("AAAAAAAAAA"))
                .label("an unknown enrollmentId").expect(404, 422);

        // another patient's invitation
        String other = "hostile-invited-" + TAG;
        GoodTraffic.Invitation theirs = invited(other, Y);
        String acceptTheirs = "/patients/" + other + "/enrollments/" + theirs.enrollmentId() + "/accept";
        probes.post(SESSION, "/patients/" + MALLORY + "/enrollments/" + theirs.enrollmentId() + "/accept").as(tMallory)
                .json(code(theirs.inviteCode())).label("another patient's invitation, right code").expect(403, 404, 422);
        probes.post(SESSION, acceptTheirs).as(tMallory).json(code(theirs.inviteCode())).label("another patient's path").expect(403);
        probes.post(SESSION, acceptTheirs).as(tX).json(code(theirs.inviteCode())).label("a clinician accepting").expect(403);
        probes.post(SESSION, "/patients/" + other + "/enrollments/" + theirs.enrollmentId() + "/revoke").as(tMallory).expect(403);
        probes.post(SESSION, "/patients/" + other + "/enrollments/" + theirs.enrollmentId() + "/end").as(tX)
                .label("ending another clinician's invitation").expect(403, 404);
        String tOther = probes.caller("the invited patient", system.tokens.patient(other));
        probes.post(SESSION, acceptTheirs).as(tOther).entitled().json(code(theirs.inviteCode())).label("the patient, right code").expect(200);

        // two invitations of one patient accepted at the same moment: one wins, the other is a conflict
        List<String> enrolled = new ArrayList<>(List.of(invitee, other, VICTIM, NOTES, GOOD_A, GOOD_B));
        for (int i = 0; i < 3; i++) {
            String racer = "hostile-racer-" + i + "-" + TAG;
            enrolled.add(racer);
            String token = probes.caller("racer " + i, system.tokens.patient(racer));
            GoodTraffic.Invitation byX = invited(racer, X);
            GoodTraffic.Invitation byY = invited(racer, Y);
            race(List.of(
                    probes.post(SESSION, "/patients/" + racer + "/enrollments/" + byX.enrollmentId() + "/accept").as(token).entitled()
                            .json(code(byX.inviteCode())).label("concurrent accept of X's invitation").expecting(200, 409),
                    probes.post(SESSION, "/patients/" + racer + "/enrollments/" + byY.enrollmentId() + "/accept").as(token).entitled()
                            .json(code(byY.inviteCode())).label("concurrent accept of Y's invitation").expecting(200, 409)),
                    List.of(200, 409));
        }
        // one invitation accepted twice at the same moment: once
        String twice = "hostile-twice-" + TAG;
        enrolled.add(twice);
        String tTwice = probes.caller("a patient accepting twice", system.tokens.patient(twice));
        GoodTraffic.Invitation once = invited(twice, X);
        String acceptOnce = "/patients/" + twice + "/enrollments/" + once.enrollmentId() + "/accept";
        race(List.of(probes.post(SESSION, acceptOnce).as(tTwice).entitled().json(code(once.inviteCode())).label("concurrent accept").expecting(200, 409, 422),
                        probes.post(SESSION, acceptOnce).as(tTwice).entitled().json(code(once.inviteCode())).label("concurrent accept").expecting(200, 409, 422)),
                null);

        for (String patient : enrolled) {
            int active = count("SELECT count(*) FROM enrollment WHERE patient_id = ? AND status = 'ACTIVE'", patient);
            probes.row().check("exactly one ACTIVE enrollment of " + patient, active == 1, active + " ACTIVE");
        }
    }

    /** The clinician's invitation (not an attack: set-up, not counted). */
    private GoodTraffic.Invitation invited(String patient, String clinician) throws IOException {
        GoodTraffic.Invitation invitation = GoodTraffic.invite(system, patient, clinician, startDate);
        if (invitation.inviteCode() == null) {
            throw new IllegalStateException("inviting " + patient + " answered " + invitation.status() + " " + invitation.body());
        }
        return invitation;
    }

    /**
     * Sends the accepts at once; exactly one may be 200. {@code sorted}: all the statuses, in ascending order, that the
     * race must end with (null: one 200, the others any refusal the hits expect).
     */
    private void race(List<Probes.Hit> hits, List<Integer> sorted) throws InterruptedException {
        List<Probes.Answer> answers = probes.together(hits);
        List<Integer> statuses = answers.stream().map(Probes.Answer::status).sorted().collect(Collectors.toList());
        long winners = statuses.stream().filter(s -> s == 200).count();
        String problem = winners != 1 || (sorted != null && !sorted.equals(statuses))
                ? "concurrent accepts answered " + statuses + (sorted == null ? ", not exactly one 200" : ", not " + sorted) : null;
        for (int i = 0; i < hits.size(); i++) {
            hits.get(i).judge(answers.get(i), problem);
        }
    }

    // ---------------------------------------------------------------- 8

    /** A record written straight to session-events, found again on the dead-letter topic by its marker. */
    private record Poison(String name, String marker, ProducerRecord<String, String> record) {
    }

    private void poisonRecords() throws Exception {
        String pain = EventTypes.PAIN_REPORTED;
        String exercise = EventTypes.EXERCISE_COMPLETED;
        List<Poison> records = List.of(
                poison("not JSON", GOOD_A, pain, m -> "{\"eventId\":\"" + m + "\",\"score\":"),
                poison("unknown ce_type", GOOD_A, "nap.taken", m -> painPayload(m, GOOD_A)),
                poison("ce_type with CR LF", GOOD_B, pain + "\r\n", m -> painPayload(m, GOOD_B)),
                poison("no headers at all", GOOD_B, null, m -> painPayload(m, GOOD_B)),
                poison("pain without location", GOOD_A, pain, m -> painPayload(m, GOOD_A, "location", ABSENT)),
                poison("pain score 99", GOOD_B, pain, m -> painPayload(m, GOOD_B, "score", 99)),
                poison("pain with a null red flag", GOOD_A, pain, m -> painPayload(m, GOOD_A, "redFlags", Collections.singletonList(null))),
                poison("enrollment.started in time zone Mars/Olympus", GOOD_B, EventTypes.ENROLLMENT_STARTED, m -> json(with(Map.of(),
                        "eventId", m, "patientId", GOOD_B, "occurredAt", GoodTraffic.recent(2), "enrollmentId", UUID.randomUUID().toString(),
                        "programId", PatientApps.PROGRAM, "programVersion", 1, "startDate", startDate.toString(),
                        "timezone", "Mars/Olympus", "clinicianId", X))),
                poison("enrollment.ended for an unknown reason", GOOD_A, EventTypes.ENROLLMENT_ENDED, m -> json(with(Map.of(),
                        "eventId", m, "patientId", GOOD_A, "occurredAt", GoodTraffic.recent(2), "enrollmentId", UUID.randomUUID().toString(),
                        "clinicianId", X, "reason", "ABDUCTED_BY_ALIENS"))),
                poison("key differs from the payload's patientId", GOOD_A, pain, m -> painPayload(m, "hostile-someone-else-" + TAG)),
                poison("no key", null, pain, m -> painPayload(m, GOOD_A)),
                poison("null value (a tombstone)", GOOD_A, pain, m -> null),
                poison("a JSON array, not an event", GOOD_B, exercise, m -> "[" + exercisePayload(m, GOOD_B) + "]"),
                poison("0 sets and 100,000 reps", GOOD_A, exercise, m -> exercisePayload(m, GOOD_A, "sets", 0, "reps", 100_000)),
                poison("occurredAt not a date", GOOD_B, pain, m -> painPayload(m, GOOD_B, "occurredAt", "last tuesday")),
                poison("SQL in key and patientId", "x' OR 1=1 --", pain, m -> painPayload(m, "x' OR 1=1 --")),
                poison("a 1 MB value (an exerciseId of 999,000 chars)", GOOD_B, pain,
                        m -> painPayload(m, GOOD_B, "context", "AFTER_EXERCISE", "exerciseId", "x".repeat(999_000))));

        Properties props = new Properties();
        props.putAll(system.kafka.clientConfig());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, "1048576");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            for (Poison p : records) {
                producer.send(p.record()).get(30, TimeUnit.SECONDS);
            }
        }
        // good events right behind them, on the same partitions (the same patients' keys)
        List<UUID> behind = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            behind.addAll(good.post(GOOD_A));
            behind.addAll(good.post(GOOD_B));
        }
        int late = good.notAppliedWithin(behind, GoodTraffic.WITHIN);
        if (late > 0) {
            chargedLate.addAll(behind);
            probes.row().stall(late, late + " good event(s) behind the poison records not applied within "
                    + GoodTraffic.WITHIN.toSeconds() + " s");
        }

        Set<String> markers = records.stream().map(Poison::marker).collect(Collectors.toSet());
        Set<String> found = new HashSet<>();
        int[] scanned = {0};
        Predicate<List<ConsumerRecord<String, String>>> allFound = seen -> {
            for (; scanned[0] < seen.size(); scanned[0]++) {
                ConsumerRecord<String, String> r = seen.get(scanned[0]);
                String id = TopicReader.header(r, CloudEventHeaders.ID);
                if (id != null && markers.contains(id)) {
                    found.add(id);
                }
                if (r.value() != null) {
                    for (String m : markers) {
                        if (r.value().contains(m)) {
                            found.add(m);
                        }
                    }
                }
            }
            return found.containsAll(markers);
        };
        try (TopicReader reader = TopicReader.fromBeginning(system.kafka, Topics.SESSION_EVENTS_DEAD_LETTERS.name())) {
            reader.readUntil(allFound, GoodTraffic.WITHIN);
        }
        for (Poison p : records) {
            boolean dead = found.contains(p.marker());
            boolean applied = system.appliedCount(List.of(UUID.fromString(p.marker()))) > 0;
            probes.row().check("record: " + p.name(), dead && !applied, applied ? "applied by insights"
                    : "not on " + Topics.SESSION_EVENTS_DEAD_LETTERS.name() + " within " + GoodTraffic.WITHIN.toSeconds() + " s");
        }
    }

    private Poison poison(String name, String key, String type, Function<String, String> value) {
        String marker = UUID.randomUUID().toString();
        ProducerRecord<String, String> record = new ProducerRecord<>(Topics.SESSION_EVENTS.name(), key, value.apply(marker));
        if (type != null) {
            header(record, CloudEventHeaders.ID, marker);
            header(record, CloudEventHeaders.TYPE, type);
            header(record, CloudEventHeaders.SOURCE, "/hostile-input-test");
            header(record, CloudEventHeaders.SPEC_VERSION, CloudEventHeaders.SPEC_VERSION_VALUE);
            header(record, CloudEventHeaders.CONTENT_TYPE, CloudEventHeaders.JSON);
            header(record, CloudEventHeaders.TIME, Instant.now().toString());
            header(record, CloudEventHeaders.RECORDED_AT, Instant.now().toString());
        }
        return new Poison(name, marker, record);
    }

    private static void header(ProducerRecord<String, String> record, String name, String value) {
        record.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    private static String painPayload(String eventId, String patientId, Object... changes) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("eventId", eventId);
        p.put("patientId", patientId);
        p.put("occurredAt", GoodTraffic.recent(2));
        p.put("score", 3);
        p.put("location", "LOWER_BACK");
        p.put("side", "LEFT");
        p.put("context", "CHECK_IN");
        p.put("exerciseId", null);
        p.put("newPain", false);
        p.put("redFlags", List.of());
        return json(with(p, changes));
    }

    private static String exercisePayload(String eventId, String patientId, Object... changes) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("eventId", eventId);
        e.put("patientId", patientId);
        e.put("occurredAt", GoodTraffic.recent(2));
        e.put("exerciseId", "pelvic-tilt");
        e.put("side", null);
        e.put("sets", 1);
        e.put("reps", 10);
        e.put("holdSeconds", null);
        e.put("difficulty", null);
        return json(with(e, changes));
    }

    // ---------------------------------------------------------------- helpers

    private void badExercise(String label, Object... changes) {
        badEvent(label, with(exerciseEvent(UUID.randomUUID()), changes));
    }

    private void badPain(String label, Object... changes) {
        badEvent(label, with(painEvent(UUID.randomUUID()), changes));
    }

    /** A batch of one event with something wrong, from patient B's own app: refused, nothing stored. */
    private void badEvent(String label, Map<String, Object> event) {
        List<UUID> ids = new ArrayList<>();
        if (event.get("eventId") instanceof String s) {
            try {
                ids.add(UUID.fromString(s));
            } catch (IllegalArgumentException e) {
                // not an id that could be stored
            }
        }
        probes.post(SESSION, "/patients/" + GOOD_B + "/events").as(tB).json("[" + json(event) + "]").events(ids).label(label)
                .expect(400, 422);
    }

    static Map<String, Object> exerciseEvent(UUID id) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("eventId", id.toString());
        e.put("type", "EXERCISE_COMPLETED");
        e.put("occurredAt", GoodTraffic.recent(5));
        e.put("exerciseId", "pelvic-tilt");
        e.put("sets", 1);
        e.put("reps", 10);
        return e;
    }

    static Map<String, Object> painEvent(UUID id) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("eventId", id.toString());
        e.put("type", "PAIN_REPORTED");
        e.put("occurredAt", GoodTraffic.recent(5));
        e.put("score", 3);
        e.put("location", "LOWER_BACK");
        e.put("side", "LEFT");
        e.put("context", "CHECK_IN");
        return e;
    }

    /** A copy with fields changed: pairs of name and value ({@link #ABSENT}: left out, null: JSON null). */
    static Map<String, Object> with(Map<String, Object> base, Object... changes) {
        Map<String, Object> copy = new LinkedHashMap<>(base);
        for (int i = 0; i + 1 < changes.length; i += 2) {
            if (changes[i + 1] == ABSENT) {
                copy.remove((String) changes[i]);
            } else {
                copy.put((String) changes[i], changes[i + 1]);
            }
        }
        return copy;
    }

    private Map<String, Object> inviteFields(String clinicianId) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("programId", PatientApps.PROGRAM);
        request.put("startDate", startDate.toString());
        request.put("timezone", "UTC");
        request.put("clinicianId", clinicianId);
        return request;
    }

    static String validBatch(UUID id) {
        return "[" + GoodTraffic.exercise(id, "pelvic-tilt", GoodTraffic.recent(5)) + "]";
    }

    static String code(String inviteCode) {
        return json(Map.of("inviteCode", inviteCode));
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode tree(String body) {
        try {
            return JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The flag of that id in a JSON array of flags (a missing node when absent). */
    static JsonNode find(JsonNode flags, String flagId) {
        for (JsonNode f : flags) {
            if (flagId.equals(f.path("flagId").asText())) {
                return f;
            }
        }
        return JSON.missingNode();
    }

    private JsonNode flagOf(String patient, String flagId) throws IOException {
        HttpResponse<String> flags = good.get(INSIGHTS, "/patients/" + patient + "/flags", tY);
        return flags.statusCode() == 200 ? find(tree(flags.body()), flagId) : JSON.missingNode();
    }

    /** What the dashboard's forms carry: base64url(SHA-256("csrf|" + token)). */
    static String csrf(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(("csrf|" + token).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String base64url(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String unsigned(Map<String, Object> claims) {
        return base64url("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + base64url(json(claims)) + ".";
    }

    /** The classic algorithm confusion: HMAC keyed with the public key the services verify RS256 with. */
    private String hs256(Map<String, Object> claims) throws IOException, GeneralSecurityException {
        String signed = base64url("{\"alg\":\"HS256\",\"typ\":\"JWT\"}") + "." + base64url(json(claims));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Files.readAllBytes(system.tokens.publicKey()), "HmacSHA256"));
        return signed + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(signed.getBytes(StandardCharsets.US_ASCII)));
    }

    private static String swapClaims(String token, Map<String, Object> claims) {
        String[] parts = token.split("\\.");
        return parts[0] + "." + base64url(json(claims)) + "." + parts[2];
    }

    /** Y's claims with one changed ({@link #ABSENT}: removed). */
    private static Map<String, Object> changed(String claim, Object value) {
        return with(Tokens.claims(Tokens.CLINICIAN, Y, Duration.ofMinutes(10)), claim, value);
    }

    /** Which of these events insights has applied. */
    private Set<UUID> applied(Set<UUID> ids) throws SQLException {
        return applied(List.copyOf(ids));
    }

    private Set<UUID> applied(List<UUID> ids) throws SQLException {
        Set<UUID> applied = new HashSet<>();
        if (ids.isEmpty()) {
            return applied;
        }
        try (Connection db = system.database("insights");
             PreparedStatement find = db.prepareStatement("SELECT event_id::text FROM applied_event WHERE event_id = ANY(?)")) {
            find.setArray(1, db.createArrayOf("uuid", ids.toArray()));
            try (ResultSet rs = find.executeQuery()) {
                while (rs.next()) {
                    applied.add(UUID.fromString(rs.getString(1)));
                }
            }
        }
        return applied;
    }

    private int count(String sql, String parameter) throws SQLException {
        try (Connection db = system.database("session"); PreparedStatement query = db.prepareStatement(sql)) {
            query.setString(1, parameter);
            try (ResultSet rs = query.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private String enrollmentStatus(String enrollmentId) throws SQLException {
        try (Connection db = system.database("session");
             PreparedStatement query = db.prepareStatement("SELECT status FROM enrollment WHERE enrollment_id = ?")) {
            query.setObject(1, UUID.fromString(enrollmentId));
            try (ResultSet rs = query.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }
}
