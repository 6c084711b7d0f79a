package org.sciaticahep.insights.api;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TimeZone;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hl7.fhir.r4.model.ActivityDefinition;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Dosage;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Range;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.SimpleQuantity;
import org.hl7.fhir.r4.model.Timing;
import org.sciaticahep.catalogcopy.CatalogCopy;
import org.sciaticahep.contracts.catalog.ExerciseDefinition;
import org.sciaticahep.contracts.catalog.Schedule;
import org.sciaticahep.contracts.session.ItemStatus;
import org.sciaticahep.contracts.session.PainLocation;
import org.sciaticahep.contracts.session.PrescribedItem;
import org.sciaticahep.contracts.session.PrescriptionVersion;
import org.sciaticahep.contracts.session.RedFlag;
import org.sciaticahep.contracts.session.Side;
import org.sciaticahep.insights.domain.Facts;
import org.sciaticahep.insights.domain.FlagRule;
import org.sciaticahep.insights.domain.PatientRecord;
import org.sciaticahep.insights.domain.ReviewFlag;

/**
 * A patient's record as a FHIR R4 {@code Bundle} of type {@code collection}, for a clinic's electronic health record:
 * the Patient (by its pseudonymous id), a CarePlan per enrollment with an activity per exercise of each prescription
 * version, an ActivityDefinition per exercise version used, an Observation per pain report (LOINC 72514-3) and per
 * completion, a Flag per review flag. Entries reference each other by {@code urn:uuid} full URLs; their ids are
 * derived from this service's ids, so exporting the same record twice gives the same resources.
 *
 * <p>HAPI's context is heavy (tens of MB once its model is scanned): it is made on the first export, not at start,
 * so an instance that never exports never pays for it.
 */
@ApplicationScoped
public class FhirExport {

    /** Where this service's own code systems and definitions live; a receiving system maps them by these URIs. */
    static final String BASE = "https://sciatica-hep.org/fhir";
    static final String EXERCISE_CODES = BASE + "/CodeSystem/exercise";
    static final String MEASURES = BASE + "/CodeSystem/exercise-measure";
    static final String PAIN_CONTEXTS = BASE + "/CodeSystem/pain-context";
    static final String RED_FLAGS = BASE + "/CodeSystem/red-flag";
    static final String FLAG_RULES = BASE + "/CodeSystem/review-flag-rule";
    static final String ACTIVITY_DEFINITIONS = BASE + "/ActivityDefinition/";
    static final String ENROLLMENT_IDS = BASE + "/NamingSystem/enrollment";
    static final String CLINICIAN_IDS = BASE + "/NamingSystem/clinician";
    static final String LOINC = "http://loinc.org";
    static final String SNOMED = "http://snomed.info/sct";
    static final String PAIN_SEVERITY = "72514-3";
    static final String LATERALITY = "272741003";
    static final String EXERCISE_THERAPY = "229065009";
    static final String FLAG_PRIORITY = "http://hl7.org/fhir/StructureDefinition/flag-priority";

    /** SNOMED CT body structures of the places along the sciatic nerve's path the app asks about (every one: a test checks). */
    static final Map<PainLocation, Coding> BODY_SITES = new EnumMap<>(Map.of(
            PainLocation.LOWER_BACK, new Coding(SNOMED, "37822005", "Lower back structure"),
            PainLocation.BUTTOCK, new Coding(SNOMED, "46862004", "Buttock structure"),
            PainLocation.THIGH, new Coding(SNOMED, "68367000", "Thigh structure"),
            PainLocation.CALF, new Coding(SNOMED, "53840002", "Calf of leg structure"),
            PainLocation.FOOT, new Coding(SNOMED, "56459004", "Foot structure")));

    /** SNOMED CT laterality qualifiers. */
    static final Map<Side, Coding> SIDES = new EnumMap<>(Map.of(
            Side.LEFT, new Coding(SNOMED, "7771000", "Left"),
            Side.RIGHT, new Coding(SNOMED, "24028007", "Right"),
            Side.BOTH, new Coding(SNOMED, "51440002", "Right and left")));

    @Inject
    CatalogCopy catalog;

    /** The identifier system of patient ids in the receiving record (a clinic maps it to its own). */
    @ConfigProperty(name = "insights.fhir.patient-id-system", defaultValue = BASE + "/NamingSystem/patient")
    String patientIdSystem;

    /** The record as FHIR JSON (UTF-8). */
    public byte[] json(PatientRecord record) {
        return FhirContext.forR4Cached().newJsonParser().encodeResourceToString(bundle(record)).getBytes(StandardCharsets.UTF_8);
    }

    Bundle bundle(PatientRecord record) {
        Bundle bundle = new Bundle().setType(Bundle.BundleType.COLLECTION).setTimestamp(new Date());
        bundle.setIdentifier(new Identifier().setSystem("urn:ietf:rfc:3986").setValue("urn:uuid:" + UUID.randomUUID()));
        Reference patient = add(bundle, patient(record), id("patient", record.patientId()));

        Map<String, ActivityDefinition> definitions = new LinkedHashMap<>();
        Map<UUID, Reference> plans = new LinkedHashMap<>();
        for (Facts.Enrollment e : record.enrollments()) {
            List<PrescriptionVersion> versions = record.prescriptions().getOrDefault(e.enrollmentId(), List.of());
            plans.put(e.enrollmentId(), add(bundle, carePlan(e, versions, patient, definitions), e.enrollmentId()));
        }
        definitions.values().forEach(d -> add(bundle, d, UUID.fromString(d.getId())));
        for (Facts.PainScore p : record.pain()) {
            add(bundle, painObservation(p, patient, zoneAt(record, p.occurredAt()), plan(record, plans, p.occurredAt())), p.eventId());
        }
        for (Facts.Completion c : record.completions()) {
            add(bundle, completion(c, patient, zoneAt(record, c.occurredAt()), plan(record, plans, c.occurredAt())), c.eventId());
        }
        for (ReviewFlag f : record.flags()) {
            add(bundle, flag(f, patient), f.flagId());
        }
        return bundle;
    }

    private Patient patient(PatientRecord record) {
        Patient patient = new Patient();
        patient.addIdentifier().setUse(Identifier.IdentifierUse.OFFICIAL).setSystem(patientIdSystem).setValue(record.patientId());
        patient.setActive(record.enrollments().stream().anyMatch(e -> e.endDate() == null));
        return patient;
    }

    /**
     * The enrollment's care plan: an activity per exercise of each version, bounded by the days that version was in
     * force, with the patient's own dosage; the exercise's catalog version it was prescribed from is its definition.
     */
    private CarePlan carePlan(Facts.Enrollment e, List<PrescriptionVersion> versions, Reference patient,
                              Map<String, ActivityDefinition> definitions) {
        CarePlan plan = new CarePlan().setStatus(e.endDate() == null ? CarePlan.CarePlanStatus.ACTIVE : CarePlan.CarePlanStatus.COMPLETED)
                .setIntent(CarePlan.CarePlanIntent.PLAN).setSubject(patient)
                .setTitle("Home exercise program for sciatica (" + e.programId() + " v" + e.programVersion() + ")");
        plan.addIdentifier().setSystem(ENROLLMENT_IDS).setValue(e.enrollmentId().toString());
        plan.addCategory(new CodeableConcept(new Coding(SNOMED, EXERCISE_THERAPY, "Exercise therapy")));
        plan.setCreatedElement(dateTime(e.enrolledAt(), e.zone()));
        plan.setAuthor(new Reference().setType("Practitioner")
                .setIdentifier(new Identifier().setSystem(CLINICIAN_IDS).setValue(e.clinicianId())));
        plan.setPeriod(period(e.startDate(), e.endDate()));
        for (int i = 0; i < versions.size(); i++) {
            PrescriptionVersion v = versions.get(i);
            LocalDate until = i + 1 < versions.size() ? versions.get(i + 1).effectiveFrom().minusDays(1) : e.endDate();
            if (until != null && until.isBefore(v.effectiveFrom())) {
                continue; // replaced before it came into force: never the plan of any day
            }
            Instant prescribedAt = later(e.enrolledAt(), v.effectiveFrom().atStartOfDay(e.zone()).toInstant());
            for (PrescribedItem item : v.items()) {
                // the version defined by then, or none: a later version's steps must not stand for what was prescribed
                Optional<ExerciseDefinition> definition = catalog.exerciseAt(item.exerciseId(), prescribedAt);
                CarePlan.CarePlanActivityDetailComponent detail = plan.addActivity().getDetail()
                        .setKind(CarePlan.CarePlanActivityKind.SERVICEREQUEST)
                        .setCode(exerciseCode(item.exerciseId(), definition.or(() -> catalog.exercise(item.exerciseId()))
                                .map(ExerciseDefinition::name).orElse(null)))
                        .setStatus(status(item.status()))
                        .setScheduled(timing(v.schedule(), period(v.effectiveFrom(), until)))
                        .setDescription("Prescription version " + v.version() + ": " + text(item.dosage()));
                if (item.reason() != null) {
                    detail.setStatusReason(new CodeableConcept().setText(item.reason()));
                }
                definition.ifPresent(d -> detail.addInstantiatesCanonical(ACTIVITY_DEFINITIONS + d.id() + "|" + d.version()));
                definition.ifPresent(d -> definitions.computeIfAbsent(d.id() + "|" + d.version(), k -> activityDefinition(d)));
            }
        }
        return plan;
    }

    /**
     * The exercise as the catalog defined it in that version: its steps as the patient's instructions, its cautions,
     * its default dosage. How often the patient does it is their plan's (the activity's scheduled timing).
     */
    private static ActivityDefinition activityDefinition(ExerciseDefinition d) {
        ActivityDefinition a = new ActivityDefinition().setUrl(ACTIVITY_DEFINITIONS + d.id()).setVersion(String.valueOf(d.version()))
                .setName(computableName(d.id())).setTitle(d.name())
                .setStatus(Enumerations.PublicationStatus.ACTIVE)
                .setKind(ActivityDefinition.ActivityDefinitionKind.SERVICEREQUEST)
                .setCode(exerciseCode(d.id(), d.name()));
        a.setId(id("exercise", d.id() + "|" + d.version()).toString());
        if (d.definedAt() != null) {
            a.setDate(Date.from(d.definedAt()));
        }
        Dosage dosage = new Dosage().setText(text(d.dosage()));
        if (d.steps() != null) {
            dosage.setPatientInstruction(String.join("\n", d.steps()));
        }
        if (d.cautions() != null) {
            d.cautions().forEach(c -> dosage.addAdditionalInstruction(new CodeableConcept().setText(c)));
        }
        if (d.dosage() != null && d.dosage().reps() != null) {
            dosage.addDoseAndRate().setDose(new Range().setLow(repetitions(d.dosage().reps().min()))
                    .setHigh(repetitions(d.dosage().reps().max())));
        }
        a.addDosage(dosage);
        return a;
    }

    private static Observation painObservation(Facts.PainScore p, Reference patient, ZoneId zone, Reference plan) {
        Observation o = new Observation().setStatus(Observation.ObservationStatus.FINAL)
                .setCode(new CodeableConcept(new Coding(LOINC, PAIN_SEVERITY, "Pain severity - 0-10 verbal numeric rating [Score] - Reported")))
                .setSubject(patient).setEffective(dateTime(p.occurredAt(), zone)).setValue(new IntegerType(p.score()))
                .setBodySite(new CodeableConcept(BODY_SITES.get(p.location()).copy()).setText(words(p.location().name())));
        o.addCategory(category("survey", "Survey"));
        o.addIdentifier(eventIdentifier(p.eventId()));
        if (plan != null) {
            o.addBasedOn(plan);
        }
        o.addComponent().setCode(new CodeableConcept(new Coding(SNOMED, LATERALITY, "Laterality")))
                .setValue(new CodeableConcept(SIDES.get(p.side()).copy()));
        o.addComponent().setCode(new CodeableConcept(new Coding(PAIN_CONTEXTS, "context", "When the score was taken")))
                .setValue(new CodeableConcept(new Coding(PAIN_CONTEXTS, code(p.context().name()), words(p.context().name()))));
        if (p.exerciseId() != null) {
            o.addComponent().setCode(new CodeableConcept(new Coding(MEASURES, "exercise", "The exercise the score is about")))
                    .setValue(exerciseCode(p.exerciseId(), null));
        }
        o.addComponent().setCode(new CodeableConcept(new Coding(PAIN_CONTEXTS, "new-pain", "The patient says this pain is new")))
                .setValue(new BooleanType(p.newPain()));
        for (RedFlag flag : p.redFlags()) {
            o.addComponent().setCode(new CodeableConcept(new Coding(RED_FLAGS, "red-flag", "Red-flag symptom reported")))
                    .setValue(new CodeableConcept(new Coding(RED_FLAGS, code(flag.name()), words(flag.name()))));
        }
        return o;
    }

    private Observation completion(Facts.Completion c, Reference patient, ZoneId zone, Reference plan) {
        Observation o = new Observation().setStatus(Observation.ObservationStatus.FINAL)
                .setCode(exerciseCode(c.exerciseId(), catalog.exercise(c.exerciseId()).map(ExerciseDefinition::name).orElse(null)))
                .setSubject(patient).setEffective(dateTime(c.occurredAt(), zone));
        o.addCategory(category("therapy", "Therapy"));
        o.addCategory(new CodeableConcept(new Coding(SNOMED, EXERCISE_THERAPY, "Exercise therapy")));
        o.addIdentifier(eventIdentifier(c.eventId()));
        if (plan != null) {
            o.addBasedOn(plan);
        }
        o.addComponent().setCode(new CodeableConcept(new Coding(MEASURES, "sets", "Sets done"))).setValue(new IntegerType(c.sets()));
        o.addComponent().setCode(new CodeableConcept(new Coding(MEASURES, "repetitions", "Repetitions per set")))
                .setValue(new IntegerType(c.reps()));
        if (c.side() != null) {
            o.addComponent().setCode(new CodeableConcept(new Coding(SNOMED, LATERALITY, "Laterality")))
                    .setValue(new CodeableConcept(SIDES.get(c.side()).copy()));
        }
        if (c.holdSeconds() != null) {
            o.addComponent().setCode(new CodeableConcept(new Coding(MEASURES, "hold", "Hold of each repetition")))
                    .setValue(new Quantity().setValue(c.holdSeconds()).setUnit("s").setSystem("http://unitsofmeasure.org").setCode("s"));
        }
        if (c.difficulty() != null) {
            o.addComponent().setCode(new CodeableConcept(new Coding(MEASURES, "difficulty", "Difficulty, 1 easy to 5 hard")))
                    .setValue(new IntegerType(c.difficulty()));
        }
        return o;
    }

    /** Open and acknowledged flags are active; a resolved one is inactive, its period ending when it was resolved. */
    private static Flag flag(ReviewFlag f, Reference patient) {
        Flag flag = new Flag().setStatus(f.active() ? Flag.FlagStatus.ACTIVE : Flag.FlagStatus.INACTIVE).setSubject(patient)
                .setCode(new CodeableConcept(new Coding(FLAG_RULES, code(f.rule().name()), f.rule().description())).setText(f.detail()));
        flag.addIdentifier().setSystem("urn:ietf:rfc:3986").setValue("urn:uuid:" + f.flagId());
        flag.addCategory(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/flag-category", "clinical", "Clinical")));
        Period period = new Period().setStartElement(dateTime(f.raisedAt(), ZoneOffset.UTC));
        if (f.resolvedAt() != null) {
            period.setEndElement(dateTime(f.resolvedAt(), ZoneOffset.UTC));
        }
        flag.setPeriod(period);
        flag.addExtension(FLAG_PRIORITY, new CodeableConcept(new Coding("http://hl7.org/fhir/flag-priority-code", priority(f.severity()),
                words(f.severity().name()))));
        return flag;
    }

    /** FHIR's flag priorities: high for critical and high, medium, low. */
    static String priority(FlagRule.Severity severity) {
        return switch (severity) {
            case CRITICAL, HIGH -> "PH";
            case MEDIUM -> "PM";
            case LOW -> "PL";
        };
    }

    static CarePlan.CarePlanActivityStatus status(ItemStatus status) {
        return switch (status) {
            case ACTIVE -> CarePlan.CarePlanActivityStatus.INPROGRESS;
            case PAUSED -> CarePlan.CarePlanActivityStatus.ONHOLD;
            case STOPPED -> CarePlan.CarePlanActivityStatus.STOPPED;
        };
    }

    private static Timing timing(Schedule schedule, Period bounds) {
        Timing timing = new Timing();
        Timing.TimingRepeatComponent repeat = timing.getRepeat().setPeriod(1).setPeriodUnit(Timing.UnitsOfTime.D);
        if (schedule.timesPerDay() != null) {
            repeat.setFrequency(schedule.timesPerDay());
        }
        if (schedule.daysOfWeek() != null) {
            for (DayOfWeek day : DayOfWeek.values()) {
                if (schedule.daysOfWeek().contains(day)) {
                    repeat.addDayOfWeek(Timing.DayOfWeek.fromCode(day.name().substring(0, 3).toLowerCase(Locale.ROOT)));
                }
            }
        }
        if (bounds != null) {
            repeat.setBounds(bounds);
        }
        return timing;
    }

    /** The dosage as a clinician writes it: "2 sets of 10-12 repetitions per side, hold 5-10 s". */
    static String text(org.sciaticahep.contracts.catalog.Dosage d) {
        if (d == null) {
            return "no dosage given";
        }
        StringBuilder s = new StringBuilder();
        if (d.sets() != null) {
            s.append(d.sets()).append(d.sets() == 1 ? " set of " : " sets of ");
        }
        s.append(range(d.reps())).append(" repetitions");
        if (Boolean.TRUE.equals(d.perSide())) {
            s.append(" per side");
        }
        if (d.holdSeconds() != null) {
            s.append(", hold ").append(range(d.holdSeconds())).append(" s");
        }
        return s.toString();
    }

    private static String range(org.sciaticahep.contracts.catalog.Range r) {
        return r == null ? "?" : r.min() != null && r.min().equals(r.max()) ? String.valueOf(r.min()) : r.min() + "-" + r.max();
    }

    private static SimpleQuantity repetitions(Integer count) {
        SimpleQuantity q = new SimpleQuantity();
        if (count != null) {
            q.setValue(count);
        }
        q.setUnit("repetitions").setSystem("http://unitsofmeasure.org").setCode("{repetitions}");
        return q;
    }

    private static CodeableConcept exerciseCode(String exerciseId, String name) {
        return new CodeableConcept(new Coding(EXERCISE_CODES, exerciseId, name)).setText(name == null ? exerciseId : name);
    }

    private static CodeableConcept category(String code, String display) {
        return new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/observation-category", code, display));
    }

    private static Identifier eventIdentifier(UUID eventId) {
        return new Identifier().setSystem("urn:ietf:rfc:3986").setValue("urn:uuid:" + eventId);
    }

    /** The plan in force when something happened: the latest enrolled by then, if that day was within its care; else none. */
    private static Reference plan(PatientRecord record, Map<UUID, Reference> plans, Instant at) {
        Facts.Enrollment found = enrollmentAt(record, at);
        boolean inCare = found != null && !found.localDate(at).isBefore(found.startDate())
                && (found.endDate() == null || !found.localDate(at).isAfter(found.endDate()));
        return inCare ? plans.get(found.enrollmentId()) : null;
    }

    /** Times are written in the patient's own zone of that moment, as their app showed them. */
    private static ZoneId zoneAt(PatientRecord record, Instant at) {
        Facts.Enrollment found = enrollmentAt(record, at);
        return found == null ? ZoneId.of("UTC") : found.zone();
    }

    private static Facts.Enrollment enrollmentAt(PatientRecord record, Instant at) {
        Facts.Enrollment found = record.enrollments().isEmpty() ? null : record.enrollments().get(0);
        for (Facts.Enrollment e : record.enrollments()) {
            if (!e.enrolledAt().isAfter(at)) {
                found = e;
            }
        }
        return found;
    }

    private static DateTimeType dateTime(Instant at, ZoneId zone) {
        return new DateTimeType(Date.from(at), TemporalPrecisionEnum.SECOND, TimeZone.getTimeZone(zone));
    }

    private static Period period(LocalDate from, LocalDate until) {
        Period period = new Period().setStartElement(new DateTimeType(from.toString()));
        if (until != null) {
            period.setEndElement(new DateTimeType(until.toString()));
        }
        return period;
    }

    /** FHIR's computable name: letters and digits, starting with a capital ("pelvic-tilt" → "PelvicTilt"). */
    static String computableName(String id) {
        StringBuilder name = new StringBuilder();
        for (String part : id.split("[^A-Za-z0-9]+")) {
            if (!part.isEmpty()) {
                name.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
            }
        }
        return name.length() == 0 || !Character.isLetter(name.charAt(0)) ? "Exercise" + name : name.toString();
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static Reference add(Bundle bundle, Resource resource, UUID id) {
        resource.setId(id.toString());
        String url = "urn:uuid:" + id;
        bundle.addEntry().setFullUrl(url).setResource(resource);
        return new Reference(url);
    }

    /** A stable id for something that has no UUID of its own here. */
    private static UUID id(String kind, String key) {
        return UUID.nameUUIDFromBytes((kind + "/" + key).getBytes(StandardCharsets.UTF_8));
    }

    private static String code(String constant) {
        return constant.toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static String words(String constant) {
        String lower = constant.toLowerCase(Locale.ROOT).replace('_', ' ');
        return Character.toUpperCase(lower.charAt(0)) + lower.substring(1);
    }
}
