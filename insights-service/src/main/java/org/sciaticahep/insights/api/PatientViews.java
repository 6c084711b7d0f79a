package org.sciaticahep.insights.api;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.qute.TemplateData;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import org.sciaticahep.catalogcopy.CatalogCopy;
import org.sciaticahep.contracts.catalog.Dosage;
import org.sciaticahep.contracts.catalog.ExerciseDefinition;
import org.sciaticahep.contracts.catalog.Progression;
import org.sciaticahep.contracts.session.PrescribedItem;
import org.sciaticahep.contracts.session.ItemStatus;
import org.sciaticahep.contracts.session.PrescriptionVersion;
import org.sciaticahep.insights.domain.Adherence;
import org.sciaticahep.insights.domain.DateRange;
import org.sciaticahep.insights.domain.ExerciseSummaries;
import org.sciaticahep.insights.domain.Facts;
import org.sciaticahep.insights.domain.PatientRecord;
import org.sciaticahep.insights.domain.FlagRule;
import org.sciaticahep.insights.domain.PainTrend;
import org.sciaticahep.insights.domain.PatientDay;
import org.sciaticahep.insights.domain.Prescription;
import org.sciaticahep.insights.domain.Prescriptions;
import org.sciaticahep.insights.domain.ProgressionRules;
import org.sciaticahep.insights.domain.Sparklines;
import org.sciaticahep.support.Violation;
import org.sciaticahep.support.ProblemException;
import org.sciaticahep.insights.domain.PatientOrder;
import org.sciaticahep.insights.domain.Refusal;
import org.sciaticahep.insights.domain.QueueFilter;
import org.sciaticahep.insights.domain.ReviewFlag;
import org.sciaticahep.insights.domain.TodayPlan;
import org.sciaticahep.insights.store.DayStore;
import org.sciaticahep.insights.store.FactStore;
import org.sciaticahep.insights.store.FlagStore;
import org.sciaticahep.insights.store.OccurrenceStore;
import org.sciaticahep.insights.store.RecordStore;
import org.sciaticahep.insights.store.TodayStore;
import org.sciaticahep.support.Paged;
import org.sciaticahep.support.keys.PatientKeys;

/**
 * Reads for the API and the dashboard, from the daily aggregates of the days shown (never a patient's whole history):
 * adherence, pain, flags, one patient's page, a page of a clinician's patient list and of their review queue.
 */
@ApplicationScoped
public class PatientViews {

    /** Days of the patient page's charts and the patient list's longer figures. */
    static final int RECENT_DAYS = 28;
    static final int WEEK = 7;

    @Inject
    FactStore facts;

    @Inject
    DayStore days;

    @Inject
    FlagStore flags;

    @Inject
    Prescriptions prescriptions;

    @Inject
    TodayStore todays;

    @Inject
    PatientKeys keys;

    @Inject
    CatalogCopy catalog;

    @Inject
    OccurrenceStore occurrences;

    @Inject
    RecordStore records;

    @Inject
    MeterRegistry registry;

    /**
     * One row of a clinician's patient list: figures of the last 7 and 28 days, the flags waiting, how many exercises
     * are paused in the prescription in force today, how many are ready for their next step or suggested a step back,
     * and those suggestions with their steps.
     */
    public record PatientSummary(String patientId, String programId, LocalDate startDate, long day, Double adherence7,
                                 Double adherence28, Double painBaseline, Double painLast7, Double painChange,
                                 boolean painWorse, long flagsWaiting, FlagRule.Severity worstSeverity, int paused,
                                 int readyToProgress, int stepBack, List<ProgressionRules.Suggestion> suggestions,
                                 List<Double> adherenceDays, List<Double> painDays, LocalDate careEnded) implements PatientOrder.Row {

        @Override
        public int worstRank() {
            return worstSeverity == null ? FlagRule.Severity.values().length : worstSeverity.ordinal();
        }

        @Override
        public int suggestionCount() {
            return suggestions.size();
        }

        /** The same figures with the flags waiting now. */
        PatientSummary withFlags(FlagStore.Active waiting) {
            return new PatientSummary(patientId, programId, startDate, day, adherence7, adherence28, painBaseline, painLast7,
                    painChange, painWorse, waiting == null ? 0 : waiting.count(), waiting == null ? null : waiting.worst(), paused,
                    readyToProgress, stepBack, suggestions, adherenceDays, painDays, careEnded);
        }
    }

    /**
     * The patient page: the enrollment in force (null if none), its prescription (null if unknown), pain and adherence
     * of the last 28 days, the flags.
     */
    @TemplateData
    public record PatientPage(String patientId, Facts.Enrollment enrollment, PrescriptionView prescription,
                              PainTrend.Summary pain, Adherence.Report adherence, List<ExerciseSummaries.Row> exercises,
                              List<ReviewFlag> flags, LocalDate from, LocalDate today) {

        /** The patient's tomorrow: a suggestion applied from it leaves today's plan as the app showed it. */
        public LocalDate tomorrow() {
            return today.plusDays(1);
        }
    }

    /**
     * The prescription as the page shows it: the latest version's items with their names ({@code scheduled}: it comes
     * into force after today), and every version.
     */
    @TemplateData
    public record PrescriptionView(PrescriptionVersion current, boolean scheduled, List<ItemView> items,
                                   List<PrescriptionVersion> history) {

        /** Whether the exercise is prescribed and expected now (a flag about it can pause it). */
        public boolean active(String exerciseId) {
            return items.stream().anyMatch(i -> i.item().exerciseId().equals(exerciseId) && i.item().expected());
        }
    }

    /**
     * An item with its exercise's name; for an active one whose exercise builds up, the next step of its dosage; and
     * what is suggested now (null: nothing).
     */
    public record ItemView(PrescribedItem item, String name, Dosage nextStep, ProgressionRules.Suggestion suggestion) {
    }

    /** What one enrollment's prescription, recent exercise days and pain evidence give: the page's middle. */
    private record Care(PrescriptionView view, Adherence.Report adherence, List<ProgressionRules.Suggestion> suggestions,
                        List<ExerciseSummaries.Row> exercises) {
    }

    /** The patient's whole record (an export); not found when insights holds nothing of them. */
    public Uni<PatientRecord> record(String patientId) {
        SqlClient db = facts.client();
        return records.enrollments(db, patientId).chain(enrollments -> Uni.combine().all()
                .unis(prescriptions.published(db, enrollments), records.pain(db, patientId), records.completions(db, patientId),
                        flags.ofPatient(db, patientId)).asTuple()
                .map(t -> new PatientRecord(patientId, enrollments, t.getItem1(), t.getItem2(), t.getItem3(), t.getItem4())))
                .map(r -> {
                    if (r.empty()) {
                        throw new Refusal.NotFound("no such patient");
                    }
                    return r;
                });
    }

    /** Adherence over the range, kept under the patient's revision (a year of days is most of the read's cost). */
    public Uni<Adherence.Report> adherence(String patientId, LocalDate from, LocalDate to) {
        long catalogRevision = catalog.revision();
        return Uni.combine().all().unis(enrollment(patientId), facts.revisions(facts.client(), List.of(patientId))).asTuple().chain(t -> {
            Facts.Enrollment e = t.getItem1();
            if (e == null) {
                throw new Refusal.NotFound("this patient has no active enrollment");
            }
            LocalDate today = LocalDate.now(e.zone());
            DateRange range = DateRange.of(from, to, e.startDate(), today);
            String key = patientId + "|" + range.from() + "|" + range.to();
            Kept.Stamp stamp = Kept.Stamp.of(t.getItem2().get(patientId), catalogRevision, today, e.enrollmentId());
            Adherence.Report kept = adherenceReports.get(key, stamp);
            if (kept != null) {
                return Uni.createFrom().item(kept);
            }
            return adherence(e, range.from(), range.to()).map(a -> {
                if (a == null) {
                    throw new Refusal.NotFound("program " + e.programId() + " is not in the catalog copy yet");
                }
                adherenceReports.put(key, stamp, a);
                return a;
            });
        });
    }

    /** Null while the enrollment's prescription cannot be known (an old one's program not in the catalog copy yet). */
    private Uni<Adherence.Report> adherence(Facts.Enrollment e, LocalDate from, LocalDate to) {
        return Uni.combine().all().unis(prescriptions.of(facts.client(), List.of(e)),
                days.days(facts.client(), List.of(new DayStore.Days(e.patientId(), from, to)), DayStore.Kinds.EXERCISES)).asTuple()
                .map(t -> {
                    Prescription prescription = t.getItem1().get(e.enrollmentId());
                    return prescription == null ? null : Adherence.compute(e, prescription, of(t.getItem2(), e.patientId()), from, to);
                });
    }

    /** Today's plan of the patient's current enrollment, from the prescription in force and today's aggregates. */
    public Uni<TodayPlan.Today> today(String patientId) {
        return todays.of(facts.client(), patientId).map(t -> {
            if (t == null) {
                throw new Refusal.NotFound("this patient has no active enrollment");
            }
            Facts.Enrollment e = t.enrollment();
            List<PrescriptionVersion> published = prescriptions.withFirst(e, t.published())
                    .orElseThrow(() -> new Refusal.NotFound("program " + e.programId() + " is not in the catalog copy yet"));
            return TodayPlan.of(e, published, t.done(), t.today(), catalog::exercise);
        });
    }

    /** Baseline, trailing mean and change as of today, and the daily series of {@code from}..{@code to}. */
    public Uni<PainTrend.Summary> pain(String patientId, LocalDate from, LocalDate to) {
        return Uni.combine().all().unis(enrollment(patientId), facts.revisions(facts.client(), List.of(patientId))).asTuple()
                .chain(t -> zone(patientId, t.getItem1()).chain(zone -> {
                    Facts.Enrollment e = t.getItem1();
                    LocalDate today = LocalDate.now(zone);
                    DateRange range = DateRange.of(from, to, e == null ? today.minusDays(DateRange.MAX_DAYS - 1L) : e.startDate(), today);
                    String key = patientId + "|" + range.from() + "|" + range.to();
                    // pain is worked out without the catalog: its revision does not matter here
                    Kept.Stamp stamp = Kept.Stamp.of(t.getItem2().get(patientId), 0, today, e == null ? null : e.enrollmentId());
                    PainTrend.Summary kept = painSummaries.get(key, stamp);
                    if (kept != null) {
                        return Uni.createFrom().item(kept);
                    }
                    return pain(patientId, e, today, range.from(), range.to()).invoke(summary -> painSummaries.put(key, stamp, summary));
                }));
    }

    private Uni<PainTrend.Summary> pain(String patientId, Facts.Enrollment e, LocalDate today, LocalDate from, LocalDate to) {
        return days.baselineDays(facts.client(), e == null ? List.of() : List.of(e)).chain(baseline -> {
            List<DayStore.Days> needed = new ArrayList<>(List.of(new DayStore.Days(patientId, from, to),
                    new DayStore.Days(patientId, today.minusDays(WEEK - 1L), today)));
            needed.addAll(DayStore.ranges(baseline));
            return Uni.combine().all().unis(days.days(facts.client(), needed, DayStore.Kinds.PAIN),
                    days.latestReport(facts.client(), patientId)).asTuple()
                    .map(t -> PainTrend.summarize(e, t.getItem2(), of(t.getItem1(), patientId), today, from, to));
        });
    }

    /**
     * How many flags wait for, and patients are treated by, each clinician, counted at most every few seconds: a count
     * walks all of a clinician's rows, the page itself only its own. A total may lag by that much; the rows do not.
     */
    static final Duration TOTALS_KEPT = Duration.ofSeconds(5);
    /** Figures of adherence and of pain kept for each (a year each of about a hundred patients, some 4 MB). */
    static final long KEPT_FIGURES = 40_000;
    private final Cache<String, Long> queueSizes = Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(TOTALS_KEPT).build();
    private final Cache<String, Long> patientCounts = Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(TOTALS_KEPT).build();

    /** A page of the clinician's review queue and its total. */
    public Uni<Paged<ReviewFlag>> queue(String clinicianId, QueueFilter filter, int size, long offset) {
        return Uni.combine().all().unis(flags.queue(clinicianId, filter, size, offset),
                        total(queueSizes, clinicianId + "|" + filter, () -> flags.queueSize(clinicianId, filter)))
                .asTuple().chain(t -> withoutErased(t.getItem1(), ReviewFlag::patientId).map(rows -> new Paged<>(rows, t.getItem2())));
    }

    private static Uni<Long> total(Cache<String, Long> totals, String key, Supplier<Uni<Long>> count) {
        Long known = totals.getIfPresent(key);
        return known != null ? Uni.createFrom().item(known) : count.get().invoke(n -> totals.put(key, n));
    }

    public Uni<List<ReviewFlag>> flags(String patientId) {
        return flags.ofPatient(facts.client(), patientId);
    }

    /** How far back the patient page's charts go: 28 days, 12 weeks, or all of care (at most a year). */
    public enum ChartRange {
        DAYS_28("28", "last 28 days"),
        WEEKS_12("84", "last 12 weeks"),
        ALL_OF_CARE("all", "all of care");

        private final String parameter;
        private final String label;

        ChartRange(String parameter, String label) {
            this.parameter = parameter;
            this.label = label;
        }

        public String parameter() {
            return parameter;
        }

        public String label() {
            return label;
        }

        /** The range a query parameter names (null: the 28 days); empty when it names none. */
        public static Optional<ChartRange> of(String parameter) {
            if (parameter == null || parameter.isBlank()) {
                return Optional.of(DAYS_28);
            }
            return java.util.Arrays.stream(values()).filter(r -> r.parameter.equals(parameter)).findFirst();
        }

        /** The first day the charts show. */
        LocalDate from(Facts.Enrollment e, LocalDate today) {
            return switch (this) {
                case DAYS_28 -> today.minusDays(RECENT_DAYS - 1L);
                case WEEKS_12 -> today.minusDays(83);
                // a year at most: what one page reads stays bounded however long care lasts
                case ALL_OF_CARE -> e == null || e.startDate().isBefore(today.minusDays(365)) ? today.minusDays(365)
                        : e.startDate().isAfter(today) ? today : e.startDate();
            };
        }
    }

    /** What the dashboard's patient page shows, its charts over {@code range}. */
    public Uni<PatientPage> page(String patientId, ChartRange range) {
        return enrollment(patientId).chain(e -> zone(patientId, e).chain(zone -> {
            LocalDate today = LocalDate.now(zone);
            LocalDate from = range.from(e, today);
            Uni<Care> care = e == null ? Uni.createFrom().nullItem() : care(e, today, from);
            return care.chain(c -> pain(patientId, e, today, from, today).chain(pain -> flags(patientId).map(f ->
                    new PatientPage(patientId, e, c == null ? null : c.view(), pain, c == null ? null : c.adherence(),
                            c == null ? List.of() : c.exercises(), f, from, today))));
        }));
    }

    /** The suggested dosage changes of the patient's prescription in force (ready to progress, or step back). */
    public Uni<List<ProgressionRules.Suggestion>> suggestions(String patientId) {
        return enrollment(patientId).chain(e -> {
            if (e == null) {
                throw new Refusal.NotFound("this patient has no active enrollment");
            }
            LocalDate today = LocalDate.now(e.zone());
            return care(e, today, today.minusDays(RECENT_DAYS - 1L)).map(c -> {
                if (c == null) {
                    throw new Refusal.NotFound("program " + e.programId() + " is not in the catalog copy yet");
                }
                return c.suggestions();
            });
        });
    }

    /**
     * The enrollment's prescription, adherence from {@code chartFrom} (the charts), the per-exercise table (7 and 28
     * days) and suggestions; null while the prescription cannot be known (an old one's program not in the copy yet).
     */
    private Uni<Care> care(Facts.Enrollment e, LocalDate today, LocalDate chartFrom) {
        LocalDate from = today.minusDays(RECENT_DAYS - 1L);
        LocalDate lookBack = today.minusDays(ProgressionRules.LOOK_BACK_DAYS - 1L);
        return Uni.combine().all().unis(prescriptions.published(facts.client(), List.of(e)),
                days.days(facts.client(), List.of(new DayStore.Days(e.patientId(), earlier(earlier(from, lookBack), chartFrom), today)),
                        DayStore.Kinds.EXERCISES),
                occurrences.painEvidence(facts.client(), Map.of(e.patientId(), lookBack))).asTuple().map(t -> {
            List<PrescriptionVersion> published = t.getItem1().get(e.enrollmentId());
            if (published == null) {
                return null;
            }
            NavigableMap<LocalDate, PatientDay> d = of(t.getItem2(), e.patientId());
            Prescription prescription = Prescription.fromPublished(published);
            List<ProgressionRules.PainEvidence> evidence = t.getItem3().getOrDefault(e.patientId(), List.of());
            List<ProgressionRules.Suggestion> suggested = ProgressionRules.suggestions(e, prescription, this::progression, d,
                    evidence, today);
            PrescriptionView view = view(published, today, suggested);
            Adherence.Report month = Adherence.compute(e, prescription, d, from, today);
            Adherence.Report week = Adherence.compute(e, prescription, d, today.minusDays(WEEK - 1L), today);
            List<String> prescribed = view.items().stream().map(i -> i.item().exerciseId()).toList();
            Adherence.Report chart = chartFrom.equals(from) ? month : Adherence.compute(e, prescription, d, chartFrom, today);
            return new Care(view, chart, suggested, ExerciseSummaries.of(prescribed, week, month, d, evidence));
        });
    }

    private static LocalDate earlier(LocalDate a, LocalDate b) {
        return a.isBefore(b) ? a : b;
    }

    private Progression progression(String exerciseId) {
        return catalog.exercise(exerciseId).map(ExerciseDefinition::progression).orElse(null);
    }

    /**
     * A page of the clinician's patients whose id starts with {@code search} (null: all), each with their recent
     * figures, and the total: in current care, or ({@code ended}) whose care with the clinician ended in the last
     * {@value #ENDED_SHOWN_DAYS} days, marked with its last day and without their figures (a clinician reads the data
     * of patients in their care only). Sorted by {@code order}: by the database for an enrollment's own columns, else
     * over the whole caseload in memory (422 naming {@code sort} past {@link PatientOrder#IN_MEMORY_LIMIT} patients).
     */
    public Uni<Paged<PatientSummary>> patients(String clinicianId, String search, boolean ended, PatientOrder order,
                                               boolean descending, int size, long offset) {
        if (!ended && !order.byDatabase()) {
            return sortedCaseload(clinicianId, search, order, descending).chain(all -> {
                int first = (int) Math.min(offset, all.size());
                // the order is kept a few seconds; the rows' figures are always read afresh
                return summaries(all.subList(first, Math.min(all.size(), first + size)))
                        .chain(this::withoutErased).map(rows -> new Paged<>(rows, all.size()));
            });
        }
        String key = clinicianId + (ended ? "|ended" : "|current") + (search == null ? "|*" : "|=" + search);
        Uni<Long> total = total(patientCounts, key, () -> ended
                ? facts.endedCount(facts.client(), clinicianId, search, ENDED_SHOWN_DAYS)
                : facts.patientCount(facts.client(), clinicianId, search));
        if (ended) {
            return Uni.combine().all().unis(facts.endedEnrollments(facts.client(), clinicianId, search, ENDED_SHOWN_DAYS, order,
                    descending, size, offset), total).asTuple().chain(t -> withoutErased(t.getItem1().stream()
                    .map(PatientViews::endedRow).toList()).map(rows -> new Paged<>(rows, t.getItem2())));
        }
        return Uni.combine().all().unis(facts.currentEnrollments(facts.client(), clinicianId, search, order, descending, size, offset), total)
                .asTuple().chain(t -> summaries(t.getItem1()).chain(this::withoutErased).map(rows -> new Paged<>(rows, t.getItem2())));
    }

    /** Sorts by a figure running over the whole caseload at once, at most; more wait for a moment (503). */
    static final int SORTS_AT_ONCE = 2;
    private final AtomicInteger sortsRunning = new AtomicInteger();
    /** The caseloads sorted by a figure, for paging through them; weighed in enrollments so memory stays bounded. */
    private final Cache<String, List<Facts.Enrollment>> sortedCaseloads = Caffeine.newBuilder()
            .maximumWeight(10L * PatientOrder.IN_MEMORY_LIMIT).weigher((String k, List<Facts.Enrollment> v) -> Math.max(1, v.size()))
            .expireAfterWrite(TOTALS_KEPT).build();

    /**
     * The clinician's current enrollments (ids starting with {@code search}) sorted by a figure worked out for each:
     * at most {@link PatientOrder#IN_MEMORY_LIMIT} of them (422 naming {@code sort} beyond), read whole (not trusting a
     * count that may lag), kept {@link #TOTALS_KEPT} so the next pages follow the same order.
     */
    private Uni<List<Facts.Enrollment>> sortedCaseload(String clinicianId, String search, PatientOrder order, boolean descending) {
        String key = clinicianId + "|" + (search == null ? "*" : "=" + search) + "|" + order + "|" + descending;
        List<Facts.Enrollment> kept = sortedCaseloads.getIfPresent(key);
        if (kept != null) {
            return Uni.createFrom().item(kept);
        }
        if (sortsRunning.incrementAndGet() > SORTS_AT_ONCE) {
            sortsRunning.decrementAndGet();
            return Uni.createFrom().failure(ProblemException.unavailable("the list is being sorted for others: try again shortly"));
        }
        return facts.currentEnrollments(facts.client(), clinicianId, search, PatientOrder.PATIENT, false, PatientOrder.IN_MEMORY_LIMIT + 1, 0)
                .chain(all -> {
                    if (all.size() > PatientOrder.IN_MEMORY_LIMIT) {
                        throw new TooManyToSort(order);
                    }
                    // a few hundred at a time: the days read at once stay bounded whatever the caseload
                    Uni<List<PatientSummary>> rows = Uni.createFrom().item(new ArrayList<>());
                    for (int from = 0; from < all.size(); from += SORT_CHUNK) {
                        List<Facts.Enrollment> chunk = all.subList(from, Math.min(all.size(), from + SORT_CHUNK));
                        rows = rows.chain(done -> summaries(chunk).map(more -> {
                            done.addAll(more);
                            return done;
                        }));
                    }
                    Map<String, Facts.Enrollment> byPatient = new HashMap<>();
                    all.forEach(e -> byPatient.put(e.patientId(), e));
                    return rows.map(summaries -> summaries.stream().sorted(order.comparator(descending))
                            .map(s -> byPatient.get(s.patientId())).toList());
                })
                .invoke(sorted -> sortedCaseloads.put(key, sorted))
                .eventually(sortsRunning::decrementAndGet);
    }

    /** A figure's order asked of a caseload larger than {@link PatientOrder#IN_MEMORY_LIMIT}: 422 naming {@code sort}. */
    public static final class TooManyToSort extends ProblemException {
        TooManyToSort(PatientOrder order) {
            super(ProblemException.invalid(List.of(Violation.of("sort", "sorting by " + order.parameter() + " takes at most "
                    + PatientOrder.IN_MEMORY_LIMIT + " patients, and more match: narrow them with search"))).problem());
        }
    }

    private Uni<List<PatientSummary>> withoutErased(List<PatientSummary> rows) {
        return withoutErased(rows, PatientSummary::patientId);
    }

    /** Rows of patients not erased: insights may not have deleted an erased patient's rows yet. */
    private <T> Uni<List<T>> withoutErased(List<T> rows, Function<T, String> patientId) {
        if (rows.isEmpty()) {
            return Uni.createFrom().item(rows);
        }
        return keys.states(rows.stream().map(patientId).toList())
                .map(states -> rows.stream().filter(r -> !states.getOrDefault(patientId.apply(r), PatientKeys.State.UNKNOWN).erased()).toList());
    }

    /** How long a patient whose care ended stays in the list of ended care. */
    static final int ENDED_SHOWN_DAYS = 90;
    static final int SORT_CHUNK = 250;

    private static PatientSummary endedRow(Facts.Enrollment e) {
        return new PatientSummary(e.patientId(), e.programId(), e.startDate(), e.dayNumber(e.endDate()), null, null, null, null,
                null, false, 0, null, 0, 0, 0, List.of(), List.of(), List.of(), e.endDate());
    }

    /** Rows worked out lately, weighed by their days of figures: at most twice the largest caseload sorted in memory. */
    private Kept<PatientSummary> rows;
    /** Adherence and pain over a range, weighed by their days: about a hundred patients' years each. */
    private Kept<Adherence.Report> adherenceReports;
    private Kept<PainTrend.Summary> painSummaries;

    @PostConstruct
    void keep() {
        int rowFigures = 2 * RECENT_DAYS;
        rows = new Kept<>("patient_row", 2L * PatientOrder.IN_MEMORY_LIMIT * (Kept.ENTRY_WEIGHT + rowFigures), row -> rowFigures, registry);
        adherenceReports = new Kept<>("adherence", KEPT_FIGURES, report -> report.days().size() + report.exercises().size(), registry);
        painSummaries = new Kept<>("pain", KEPT_FIGURES, summary -> summary.days().size(), registry);
    }

    /**
     * Each enrollment's row, in the enrollments' order: the figures of a patient whose revision has not moved since
     * they were worked out are taken as they were (a page of the list mostly is), the others worked out from their
     * days. The revisions are read before the days, so figures are never kept under a revision newer than their data.
     */
    private Uni<List<PatientSummary>> summaries(List<Facts.Enrollment> enrollments) {
        if (enrollments.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        List<String> ids = enrollments.stream().map(Facts.Enrollment::patientId).toList();
        long catalogRevision = catalog.revision();
        // each row's today once: what is read and what is figured are about the same days, also at midnight
        Map<String, LocalDate> todays = new HashMap<>();
        enrollments.forEach(e -> todays.put(e.patientId(), LocalDate.now(e.zone())));
        return Uni.combine().all().unis(facts.revisions(facts.client(), ids), flags.activeOf(facts.client(), ids)).asTuple().chain(t -> {
            Map<String, Long> revisions = t.getItem1();
            Map<String, PatientSummary> known = new HashMap<>();
            List<Facts.Enrollment> stale = new ArrayList<>();
            Map<String, Kept.Stamp> stamps = new HashMap<>();
            for (Facts.Enrollment e : enrollments) {
                Kept.Stamp stamp = Kept.Stamp.of(revisions.get(e.patientId()), catalogRevision, todays.get(e.patientId()), e.enrollmentId());
                stamps.put(e.patientId(), stamp);
                PatientSummary row = rows.get(e.patientId(), stamp);
                if (row != null) {
                    known.put(e.patientId(), row);
                } else {
                    stale.add(e);
                }
            }
            return workedOut(stale, todays).map(fresh -> {
                List<PatientSummary> listed = new ArrayList<>();
                for (Facts.Enrollment e : enrollments) {
                    PatientSummary row = known.get(e.patientId());
                    if (row == null) {
                        row = fresh.get(e.patientId());
                        rows.put(e.patientId(), stamps.get(e.patientId()), row);
                    }
                    listed.add(row.withFlags(t.getItem2().get(e.patientId())));
                }
                return listed;
            });
        });
    }

    /** The figures of each enrollment's row (no flags), from the days they need. */
    private Uni<Map<String, PatientSummary>> workedOut(List<Facts.Enrollment> enrollments, Map<String, LocalDate> todays) {
        if (enrollments.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return days.baselineDays(facts.client(), enrollments).chain(baselines -> {
            // pain: the baseline days and the last 28 (the row's figures and its line); exercises: the last 28 days
            List<DayStore.Days> pain = new ArrayList<>(DayStore.ranges(baselines));
            List<DayStore.Days> exercises = new ArrayList<>();
            Map<String, LocalDate> lookBack = new HashMap<>();
            for (Facts.Enrollment e : enrollments) {
                LocalDate today = todays.get(e.patientId());
                LocalDate progressionFrom = today.minusDays(ProgressionRules.LOOK_BACK_DAYS - 1L);
                pain.add(new DayStore.Days(e.patientId(), today.minusDays(RECENT_DAYS - 1L), today));
                exercises.add(new DayStore.Days(e.patientId(), earlier(today.minusDays(RECENT_DAYS - 1L), progressionFrom), today));
                lookBack.put(e.patientId(), progressionFrom);
            }
            return Uni.combine().all().unis(days.days(facts.client(), pain, exercises),
                    prescriptions.published(facts.client(), enrollments), occurrences.painEvidence(facts.client(), lookBack)).asTuple();
        }).map(t -> {
            Map<String, PatientSummary> rows = new HashMap<>();
            for (Facts.Enrollment e : enrollments) {
                rows.put(e.patientId(), summary(e, todays.get(e.patientId()), t.getItem2().get(e.enrollmentId()),
                        of(t.getItem1(), e.patientId()), t.getItem3().getOrDefault(e.patientId(), List.of())));
            }
            return rows;
        });
    }

    private PrescriptionView view(List<PrescriptionVersion> versions, LocalDate today, List<ProgressionRules.Suggestion> suggested) {
        if (versions.isEmpty()) {
            return null;
        }
        PrescriptionVersion current = versions.get(versions.size() - 1);
        List<ItemView> items = current.items().stream()
                .map(i -> {
                    Optional<ExerciseDefinition> exercise = catalog.exercise(i.exerciseId());
                    return new ItemView(i, exercise.map(ExerciseDefinition::name).orElse(i.exerciseId()), !i.expected() ? null
                            : ProgressionRules.next(i.dosage(), exercise.map(ExerciseDefinition::progression).orElse(null)),
                            suggested.stream().filter(s -> s.exerciseId().equals(i.exerciseId())).findFirst().orElse(null));
                }).toList();
        return new PrescriptionView(current, current.effectiveFrom().isAfter(today), items, versions);
    }

    private PatientSummary summary(Facts.Enrollment e, LocalDate today, List<PrescriptionVersion> published,
                                   NavigableMap<LocalDate, PatientDay> d, List<ProgressionRules.PainEvidence> evidence) {
        Prescription prescription = published == null ? null : Prescription.fromPublished(published);
        List<ProgressionRules.Suggestion> suggested = ProgressionRules.suggestions(e, prescription, this::progression, d, evidence, today);
        Adherence.Report recent = prescription == null ? null
                : Adherence.compute(e, prescription, d, today.minusDays(RECENT_DAYS - 1L), today);
        Double week = recent == null ? null : recent.ratioFrom(today.minusDays(WEEK - 1L));
        Double month = recent == null ? null : recent.ratio();
        PainTrend.Summary pain = PainTrend.summarize(e, null, d, today, today, today);
        Double change = pain.changePoints();
        return new PatientSummary(e.patientId(), e.programId(), e.startDate(), e.dayNumber(today), week, month,
                pain.baseline(), pain.trailingMean(), change, change != null && change >= 2, 0, null, paused(published, today),
                (int) suggested.stream().filter(x -> x.direction() == ProgressionRules.Direction.PROGRESS).count(),
                (int) suggested.stream().filter(x -> x.direction() == ProgressionRules.Direction.STEP_BACK).count(), suggested,
                Sparklines.adherence(recent, today.minusDays(RECENT_DAYS - 1L), today),
                Sparklines.restingPain(d, e.startDate(), today.minusDays(RECENT_DAYS - 1L), today), null);
    }

    /** Exercises paused in the version in force today (the highest-numbered one that has started). */
    static int paused(List<PrescriptionVersion> published, LocalDate today) {
        PrescriptionVersion inForce = null;
        for (PrescriptionVersion v : published == null ? List.<PrescriptionVersion>of() : published) {
            if (!v.effectiveFrom().isAfter(today) && (inForce == null || v.version() > inForce.version())) {
                inForce = v;
            }
        }
        return inForce == null ? 0 : (int) inForce.items().stream().filter(i -> i.status() == ItemStatus.PAUSED).count();
    }

    private Uni<Facts.Enrollment> enrollment(String patientId) {
        return facts.currentEnrollments(facts.client(), List.of(patientId)).map(all -> all.get(patientId));
    }

    /** The zone the patient's days are counted in: their enrollment's, else the one their facts were kept in. */
    private Uni<ZoneId> zone(String patientId, Facts.Enrollment e) {
        if (e != null) {
            return Uni.createFrom().item(e.zone());
        }
        return facts.states(facts.client(), List.of(patientId)).map(states ->
                states.containsKey(patientId) ? states.get(patientId).zone() : ZoneOffset.UTC);
    }

    private static NavigableMap<LocalDate, PatientDay> of(Map<String, NavigableMap<LocalDate, PatientDay>> all, String patientId) {
        return all.getOrDefault(patientId, new TreeMap<>());
    }
}
