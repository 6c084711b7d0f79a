package org.sciaticahep.insights.store;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.sciaticahep.insights.domain.FlagReconciler;
import org.sciaticahep.insights.domain.FlagRule;
import org.sciaticahep.insights.domain.FlagRules;
import org.sciaticahep.insights.domain.ProgressionRules;
import org.sciaticahep.insights.domain.Scope;

/** Each rule occurrence and the flag it is evidence of, read and replaced one scope at a time. */
@ApplicationScoped
public class OccurrenceStore {

    @Inject
    FactStore facts;

    /** An occurrence of a patient's, as stored. */
    public record Stored(String patientId, FlagReconciler.Owned owned) {
    }

    /** What is stored of each patient's scope. */
    public Uni<Map<String, List<FlagReconciler.Owned>>> of(SqlClient db, Map<String, Scope> scopes) {
        List<String> everything = new ArrayList<>();
        List<String> patients = new ArrayList<>();
        List<LocalDate> from = new ArrayList<>();
        List<LocalDate> to = new ArrayList<>();
        scopes.forEach((patientId, scope) -> {
            if (scope.everything()) {
                everything.add(patientId);
            } else if (scope.firstDay() != null) {
                patients.add(patientId);
                from.add(scope.firstDay());
                to.add(scope.lastDay());
            }
        });
        Map<String, List<FlagReconciler.Owned>> all = new HashMap<>();
        Uni<Void> whole = everything.isEmpty() ? Uni.createFrom().voidItem() : db.preparedQuery(SELECT + "WHERE o.patient_id = ANY($1)")
                .execute(Tuple.of((Object) everything.toArray(new String[0]))).invoke(rows -> add(rows, scopes, all)).replaceWithVoid();
        // the quiet-spell occurrences (at most two a patient) whatever their day: they are about today
        Uni<Void> windows = patients.isEmpty() ? Uni.createFrom().voidItem() : db.preparedQuery(SELECT + """
                        JOIN unnest($1::text[], $2::date[], $3::date[]) AS w(patient_id, from_day, to_day)
                          ON o.patient_id = w.patient_id AND o.day BETWEEN w.from_day AND w.to_day
                        WHERE o.rule <> '%1$s'
                        UNION ALL
                        %2$s WHERE o.patient_id = ANY($1) AND o.rule = '%1$s'""".formatted(FlagRule.NO_RECENT_ACTIVITY, SELECT))
                .execute(Tuple.of(patients.toArray(new String[0]), from.toArray(new LocalDate[0]), to.toArray(new LocalDate[0])))
                .invoke(rows -> add(rows, scopes, all)).replaceWithVoid();
        return whole.chain(() -> windows).replaceWith(all);
    }

    private static final String SELECT =
            "SELECT o.patient_id, o.rule, o.subject, o.day, o.at, o.evidence, o.detail, o.flag_id, o.severity FROM flag_occurrence o ";

    /** Only the occurrences the scope covers: the day range read is the scope's envelope. */
    private static void add(io.vertx.mutiny.sqlclient.RowSet<Row> rows, Map<String, Scope> scopes,
                            Map<String, List<FlagReconciler.Owned>> all) {
        for (Row r : rows) {
            FlagRule rule = FlagRule.valueOf(r.getString(1));
            LocalDate day = r.getLocalDate(3);
            if (scopes.get(r.getString(0)).covers(rule.family(), day)) {
                all.computeIfAbsent(r.getString(0), k -> new ArrayList<>()).add(new FlagReconciler.Owned(
                        new FlagRules.Occurrence(rule, r.getString(2), day, r.getOffsetDateTime(4).toInstant(), r.getString(5),
                                r.getString(6), FlagRule.Severity.valueOf(r.getString(8))), r.getUUID(7)));
            }
        }
    }

    /**
     * What speaks against building up ({@link ProgressionRules#EVIDENCE}) from each patient's local date on: per rule
     * and exercise the latest day (an index walk over those days; at most rules × exercises rows a patient, however
     * many reports). The exercise is that of a report during or after it; a report at rest names none.
     */
    public Uni<Map<String, List<ProgressionRules.PainEvidence>>> painEvidence(SqlClient db, Map<String, LocalDate> from) {
        Map<String, List<ProgressionRules.PainEvidence>> all = new HashMap<>();
        if (from.isEmpty()) {
            return Uni.createFrom().item(all);
        }
        List<String> patients = new ArrayList<>(from.keySet());
        // the report rules' evidence is a pain report's id: the CASE keeps the cast away from other rules' rows
        return db.preparedQuery("""
                        SELECT o.patient_id, o.rule, CASE WHEN p.context IN ('DURING_EXERCISE', 'AFTER_EXERCISE') THEN p.exercise_id END,
                               max(o.day)
                          FROM unnest($1::text[], $2::date[]) AS w(patient_id, from_day)
                          JOIN flag_occurrence o ON o.patient_id = w.patient_id AND o.day >= w.from_day
                          LEFT JOIN pain_report p ON p.event_id = CASE WHEN o.rule = ANY($4) THEN o.evidence::uuid END
                         WHERE o.rule = ANY($3)
                         GROUP BY 1, 2, 3""")
                .execute(Tuple.of(patients.toArray(new String[0]), patients.stream().map(from::get).toArray(LocalDate[]::new),
                        ProgressionRules.EVIDENCE.stream().map(Enum::name).toArray(String[]::new),
                        REPORT_RULES.stream().map(Enum::name).toArray(String[]::new)))
                .map(rows -> {
                    for (Row r : rows) {
                        all.computeIfAbsent(r.getString(0), k -> new ArrayList<>()).add(new ProgressionRules.PainEvidence(
                                FlagRule.valueOf(r.getString(1)), r.getLocalDate(3), r.getString(2)));
                    }
                    return all;
                });
    }

    /** Rules whose occurrences' evidence is a pain report's id: those about single reports. */
    private static final List<FlagRule> REPORT_RULES = java.util.Arrays.stream(FlagRule.values())
            .filter(r -> r.family() == FlagRule.Family.REPORT).toList();

    public Uni<Void> write(SqlConnection tx, List<Stored> rows) {
        if (rows.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        int n = rows.size();
        LocalDate[] days = new LocalDate[n];
        OffsetDateTime[] at = new OffsetDateTime[n];
        String[] details = new String[n];
        UUID[] flags = new UUID[n];
        String[] severities = new String[n];
        for (int i = 0; i < n; i++) {
            FlagRules.Occurrence o = rows.get(i).owned().occurrence();
            days[i] = o.day();
            at[i] = FactStore.utc(o.at());
            details[i] = o.detail();
            flags[i] = rows.get(i).owned().flagId();
            severities[i] = o.severity().name();
        }
        List<Object> columns = new ArrayList<>(identities(rows));
        columns.addAll(List.of(days, at, details, flags, severities));
        return tx.preparedQuery("""
                        INSERT INTO flag_occurrence (patient_id, rule, subject, evidence, day, at, detail, flag_id, severity)
                        SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::date[], $6::timestamptz[],
                                             $7::text[], $8::uuid[], $9::text[])
                        ON CONFLICT (patient_id, rule, subject, evidence) DO UPDATE
                            SET day = EXCLUDED.day, at = EXCLUDED.at, detail = EXCLUDED.detail, flag_id = EXCLUDED.flag_id,
                                severity = EXCLUDED.severity""")
                .execute(Tuple.tuple(columns)).chain(() -> facts.touch(tx, patients(rows)));
    }

    public Uni<Void> remove(SqlConnection tx, List<Stored> rows) {
        if (rows.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return tx.preparedQuery("""
                        DELETE FROM flag_occurrence o USING unnest($1::text[], $2::text[], $3::text[], $4::text[])
                                                      AS gone(patient_id, rule, subject, evidence)
                        WHERE o.patient_id = gone.patient_id AND o.rule = gone.rule AND o.subject = gone.subject
                          AND o.evidence = gone.evidence""")
                .execute(Tuple.tuple(new ArrayList<>(identities(rows)))).chain(() -> facts.touch(tx, patients(rows)));
    }

    /** Occurrences are evidence of the patient list's suggestions: their patients' revisions move on with them. */
    private static Set<String> patients(List<Stored> rows) {
        Set<String> patients = new HashSet<>();
        rows.forEach(r -> patients.add(r.patientId()));
        return patients;
    }

    /** The key columns of the rows (patient, rule, subject, evidence), as arrays for unnest. */
    private static List<Object> identities(List<Stored> rows) {
        int n = rows.size();
        String[] patients = new String[n];
        String[] rules = new String[n];
        String[] subjects = new String[n];
        String[] evidence = new String[n];
        for (int i = 0; i < n; i++) {
            FlagRules.Occurrence o = rows.get(i).owned().occurrence();
            patients[i] = rows.get(i).patientId();
            rules[i] = o.rule().name();
            subjects[i] = o.subject();
            evidence[i] = o.evidence();
        }
        return List.of(patients, rules, subjects, evidence);
    }
}
