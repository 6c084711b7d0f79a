package org.sciaticahep.insights.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;
import org.sciaticahep.contracts.session.SessionEventContract;
import org.sciaticahep.insights.domain.CareTeam;
import org.sciaticahep.insights.domain.FlagReview;
import org.sciaticahep.insights.domain.FlagRule;
import org.sciaticahep.insights.domain.Refusal;
import org.sciaticahep.insights.domain.ReviewFlag;
import org.sciaticahep.support.ProblemException;
import org.sciaticahep.support.Roles;
import org.sciaticahep.support.Violation;
import org.sciaticahep.support.Page;
import org.sciaticahep.support.Paged;
import org.sciaticahep.insights.domain.PatientOrder;
import org.sciaticahep.insights.domain.QueueFilter;
import java.util.UUID;

/**
 * The clinician dashboard: server-rendered pages that need nothing from the internet. A clinician signs in by
 * pasting their bearer token once; it is kept in an HttpOnly, SameSite=Strict cookie that expires with the token,
 * which smallrye-jwt verifies on every request like the Authorization header (see application.properties).
 *
 * <p>Every form that changes something carries a CSRF token, derived from the signed-in clinician's own bearer token
 * ({@link #csrfToken}): stateless, so any instance checks it, and out of reach of another site's page, which can
 * neither read the HttpOnly cookie nor this page. A post without it, or with another, is 403 and changes nothing.
 */
@Path("/")
public class Dashboard {

    private static final Logger LOG = Logger.getLogger(Dashboard.class);

    /** Rows per page of the review queue and of the patient list. */
    static final int PAGE_SIZE = 50;
    static final String COOKIE = "hep_clinician";
    /** The hidden field every form posts its CSRF token in. */
    static final String CSRF_FIELD = "csrf";

    @Inject
    Template index;

    @Inject
    Template patient;

    @Inject
    Template patientRow;

    @Inject
    Template flagRow;

    /**
     * Rows of both lists as HTML, by all they show: a patient's figures (the same for whichever of the patient's
     * clinicians), or a flag with its age as shown, the session's CSRF token and the page to come back to. Most of
     * the home page's work was rendering the same rows again on every look (JFR). Weighed as UTF-16 with their
     * keys, some 8 MB at most; kept no longer than the figures are ({@link Kept#LIFETIME}).
     */
    private final Cache<Object, String> renderedRows = Caffeine.newBuilder().maximumWeight(8_000_000)
            .weigher((Object row, String html) -> 2 * html.length() + ROW_KEY_BYTES).expireAfterWrite(Kept.LIFETIME).build();
    /** About what a row's key holds (a patient row's figures, a flag's fields), in bytes as the HTML is weighed. */
    private static final int ROW_KEY_BYTES = 2_000;

    /** All a flag's row shows (flagRow.html reads nothing else): its key among the rendered rows. */
    private record FlagRow(UUID flagId, ReviewFlag.Status status, FlagRule.Severity severity, FlagRule rule, String patientId,
                           String subject, String detail, java.time.Instant raisedAt, String acknowledgedBy,
                           String ago, String csrf, String back) {

        FlagRow(ReviewFlag f, String ago, String csrf, String back) {
            this(f.flagId(), f.status(), f.severity(), f.rule(), f.patientId(), f.subject(), f.detail(), f.raisedAt(),
                    f.acknowledgedBy(), ago, csrf, back);
        }
    }

    @Inject
    Template login;

    @Inject
    Template problem;

    @Inject
    @RestClient
    SessionService sessionService;


    @Inject
    PatientViews views;

    @Inject
    FlagReview review;

    @Inject
    CareTeam access;

    @Inject
    JWTParser tokens;

    /** The caller's verified token (from the cookie, or the Authorization header): the CSRF token derives from it. */
    @Inject
    JsonWebToken caller;

    @ConfigProperty(name = "insights.dashboard.secure-cookie")
    boolean secureCookie;

    @GET
    @Produces(MediaType.TEXT_HTML)
    public Uni<Response> home(@QueryParam("queuePage") @DefaultValue("0") int queuePage,
                              @QueryParam("patientPage") @DefaultValue("0") int patientPage,
                              @QueryParam("severity") String severity, @QueryParam("rule") String rule,
                              @QueryParam("status") String status, @QueryParam("search") String search,
                              @QueryParam("sort") String sort, @QueryParam("order") String order, @QueryParam("care") String care) {
        long queueOffset = Page.offset(queuePage, PAGE_SIZE, "queuePage", "size");
        long patientOffset = Page.offset(patientPage, PAGE_SIZE, "patientPage", "size");
        return page(clinician -> {
            // checked once signed in: a visitor who is not goes to the sign-in page, whatever the query
            QueueFilter filter = ReviewResource.filter(severity, rule, status);
            PatientListResource.ListQuery list = PatientListResource.ListQuery.of(search, sort, order, care);
            String prefix = list.search();
            String csrf = csrf(); // read while the request is the one being answered, before any waiting
            return views.queue(clinician, filter, PAGE_SIZE, queueOffset)
                .chain(queue -> patients(clinician, list, patientOffset).map(shown -> {
                    Pages pages = new Pages(queuePage, patientPage, PAGE_SIZE, filter, shown.list(), shown.rows().total());
                    return index
                        .data("queue", Page.of(queuePage, PAGE_SIZE, queue))
                        .data("queueRows", rendered(queue.items(), csrf, pages.queue(queuePage)))
                        .data("patients", Page.of(patientPage, PAGE_SIZE, shown.rows()))
                        .data("patientRows", shown.list().ended() ? List.of() : rendered(shown.rows().items()))
                        .data("pages", pages)
                        .data("sortRefused", shown.list() == list ? null : list.sort().parameter())
                        .data("sortLimit", PatientOrder.IN_MEMORY_LIMIT)
                        .data("list", shown.list())
                        .data("filter", filter).data("search", prefix == null ? "" : prefix)
                        .data("severities", FlagRule.Severity.values()).data("rules", FlagRule.values())
                        .data("statuses", List.of(ReviewFlag.Status.OPEN, ReviewFlag.Status.ACKNOWLEDGED))
                        .data("fmt", new Charts.Format())
                        .data("clinician", clinician);
                }));
        });
    }

    private List<String> rendered(List<PatientViews.PatientSummary> rows) {
        Charts.Format fmt = new Charts.Format();
        return rows.stream().map(row -> renderedRows.get(row, key -> patientRow.data("row", row).data("fmt", fmt).render())).toList();
    }

    private List<String> rendered(List<ReviewFlag> flags, String csrf, String back) {
        Charts.Format fmt = new Charts.Format();
        return flags.stream().map(f -> {
            String ago = fmt.ago(f.raisedAt());
            return renderedRows.get(new FlagRow(f, ago, csrf, back), key -> flagRow.data("f", f).data("ago", ago).data("csrf", csrf)
                    .data("back", back).data("fmt", fmt).render());
        }).toList();
    }

    /** A page of the patient list and the query it answers. */
    record Shown(PatientListResource.ListQuery list, Paged<PatientViews.PatientSummary> rows) {
    }

    /**
     * The page of the list asked for; sorted by a figure over a caseload too large for it, the page in patient order
     * instead (the page says so) rather than a problem in place of the dashboard.
     */
    private Uni<Shown> patients(String clinician, PatientListResource.ListQuery list, long offset) {
        Uni<Shown> asked = views.patients(clinician, list.search(), list.ended(), list.sort(), list.descending(), PAGE_SIZE, offset)
                .map(rows -> new Shown(list, rows));
        if (list.sort().byDatabase()) {
            return asked;
        }
        PatientListResource.ListQuery byPatient = new PatientListResource.ListQuery(list.search(), PatientOrder.PATIENT, false, list.ended());
        return asked.onFailure(PatientViews.TooManyToSort.class).recoverWithUni(() -> views.patients(clinician, list.search(),
                list.ended(), PatientOrder.PATIENT, false, PAGE_SIZE, offset).map(rows -> new Shown(byPatient, rows)));
    }

    /**
     * Links to the neighbouring pages of either list, keeping the other list where it is and the filters, the search,
     * the patient list's order and care as they are; and to the patient list sorted another way or of the other care.
     */
    public record Pages(int queuePage, int patientPage, int size, QueueFilter filter, PatientListResource.ListQuery list,
                        long patientTotal) {
        /** A next page exists and may be asked for (paging stops at {@value Page#MAX_OFFSET} rows). */
        public boolean hasMore(Page<?> page) {
            long next = (long) (page.page() + 1) * size;
            return next < page.total() && next <= Page.MAX_OFFSET;
        }

        public String queue(int page) {
            return "/?queuePage=" + page + "&patientPage=" + patientPage + filters();
        }

        public String patients(int page) {
            return "/?queuePage=" + queuePage + "&patientPage=" + page + filters();
        }

        /** The list's first page sorted by {@code column}: the other way round when it is sorted by it already. */
        public String sorted(String column) {
            boolean flip = list.sort().parameter().equals(column) && !list.descending();
            return with(new PatientListResource.ListQuery(list.search(), order(column), flip, list.ended()));
        }

        /** Whether the list can be sorted by the column: a figure's order takes the whole caseload, up to a size. */
        public boolean sortable(String column) {
            return order(column).byDatabase() || (!list.ended() && patientTotal <= PatientOrder.IN_MEMORY_LIMIT);
        }

        /**
         * The column's aria-sort: how the list is sorted by it, if it is. The flags' ascending order puts the worst
         * first, which is the severity's descending one.
         */
        public String ariaSort(String column) {
            if (!list.sort().parameter().equals(column)) {
                return "none";
            }
            return list.descending() != (list.sort() == PatientOrder.FLAGS) ? "descending" : "ascending";
        }

        /** The list's first page of current ({@code ended} false) or ended care, in the same order if it has it. */
        public String care(boolean ended) {
            boolean kept = !ended || list.sort().byDatabase();
            return with(new PatientListResource.ListQuery(list.search(), kept ? list.sort() : PatientOrder.PATIENT,
                    kept && list.descending(), ended));
        }

        /** The order the dashboard's template names: a name it does not know is the template's mistake. */
        private static PatientOrder order(String column) {
            return Objects.requireNonNull(PatientOrder.of(column), () -> "no patient list order " + column);
        }

        private String with(PatientListResource.ListQuery other) {
            return new Pages(queuePage, 0, size, filter, other, patientTotal).patients(0);
        }

        /** Only names of enum constants and the characters of an id: nothing to escape. */
        private String filters() {
            StringBuilder query = new StringBuilder();
            if (filter.severity() != null) {
                query.append("&severity=").append(filter.severity().name());
            }
            if (filter.rule() != null) {
                query.append("&rule=").append(filter.rule().name());
            }
            if (filter.status() != null) {
                query.append("&status=").append(filter.status().name());
            }
            if (list.search() != null) {
                query.append("&search=").append(list.search());
            }
            if (list.sort() != PatientOrder.PATIENT || list.descending()) {
                query.append("&sort=").append(list.sort().parameter()).append("&order=").append(list.descending() ? "desc" : "asc");
            }
            if (list.ended()) {
                query.append("&care=ended");
            }
            return query.toString();
        }
    }

    @GET
    @Path("dashboard/patients/{patientId}")
    @Produces(MediaType.TEXT_HTML)
    public Uni<Response> patientPage(@PathParam("patientId") String patientId, @QueryParam("range") String range) {
        PatientInsightsResource.checkPatientId(patientId);
        PatientViews.ChartRange chartRange = PatientViews.ChartRange.of(range).orElseThrow(() -> ProblemException.malformed(
                List.of(Violation.of("range", "must be 28, 84 or all")), "range is not a chart range"));
        return page(clinician -> access.requireClinician(patientId).chain(() -> views.page(patientId, chartRange)).map(p -> patient
                .data("p", p).data("pain", p.pain()).data("adherence", p.adherence())
                .data("range", chartRange).data("ranges", PatientViews.ChartRange.values())
                .data("adherenceChart", p.adherence() == null ? null : Charts.adherenceBars(p.adherence()))
                .data("painChart", Charts.painChart(p.pain(), p.from(), p.today()))
                .data("flags", p.flags())
                .data("fmt", new Charts.Format())
                .data("clinician", clinician)));
    }

    @POST
    @Path("dashboard/flags/{flagId}/acknowledge")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> acknowledge(@PathParam("flagId") String flagId, @FormParam("note") String note,
                                     @FormParam("back") String back, @FormParam(CSRF_FIELD) String csrf) {
        return act(clinician -> {
            requireCsrf(csrf);
            String checked = ReviewResource.note(note == null || note.isBlank() ? null : note, false);
            return access.requireClinicianOfFlag(ReviewResource.id(flagId))
                    .chain(id -> review.acknowledge(id, clinician, checked)).map(f -> backTo(back));
        });
    }

    /**
     * Acknowledges the flags ticked in the queue, one after the other, with one note. A flag someone acknowledged
     * meanwhile, or one that is not (any more) of the clinician's patients, is left as it is.
     */
    @POST
    @Path("dashboard/flags/acknowledge")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> acknowledgeAll(@FormParam("flagId") List<String> flagIds, @FormParam("note") String note,
                                        @FormParam("back") String back, @FormParam(CSRF_FIELD) String csrf) {
        return act(clinician -> {
            requireCsrf(csrf);
            if (flagIds == null || flagIds.isEmpty() || flagIds.size() > PAGE_SIZE) {
                throw ProblemException.malformed(List.of(Violation.of("flagId", "tick 1 to " + PAGE_SIZE + " flags")),
                        "no flags, or more than a page of them");
            }
            String checked = ReviewResource.note(note == null || note.isBlank() ? null : note, false);
            Uni<Void> done = Uni.createFrom().voidItem();
            for (UUID flagId : flagIds.stream().map(ReviewResource::id).distinct().toList()) {
                done = done.chain(() -> access.requireClinicianOfFlag(flagId).chain(id -> review.acknowledge(id, clinician, checked))
                        .replaceWithVoid()
                        .onFailure(f -> f instanceof Refusal.NotFound || f instanceof Refusal.Conflict).recoverWithNull());
            }
            return done.map(nothing -> backTo(back));
        });
    }

    @POST
    @Path("dashboard/flags/{flagId}/resolve")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> resolve(@PathParam("flagId") String flagId, @FormParam("note") String note,
                                 @FormParam("back") String back, @FormParam(CSRF_FIELD) String csrf) {
        return act(clinician -> {
            requireCsrf(csrf);
            String checked = ReviewResource.note(note, true);
            return access.requireClinicianOfFlag(ReviewResource.id(flagId))
                    .chain(id -> review.resolve(id, clinician, checked)).map(f -> backTo(back));
        });
    }

    /**
     * "Pause this exercise" on an exercise-worsens-pain flag: the article says to stop an exercise that worsens pain
     * at once, so the item is paused from today at session-service (with the clinician's own token), then the flag
     * is acknowledged with a note saying so (if nobody has yet).
     */
    @POST
    @Path("dashboard/flags/{flagId}/pause-exercise")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> pauseFromFlag(@PathParam("flagId") String flagId, @FormParam(CSRF_FIELD) String csrf) {
        return act(clinician -> {
            requireCsrf(csrf);
            return access.requireClinicianOfFlag(ReviewResource.id(flagId)).chain(review::flag).chain(flag -> {
                if (flag.rule() != FlagRule.EXERCISE_WORSENS_PAIN) {
                    throw new Refusal.Invalid(List.of(Violation.of("flagId", "only an exercise-worsens-pain flag pauses an exercise")),
                            "not an exercise-worsens-pain flag");
                }
                Map<String, Object> change = Map.of("reason", "Pain rose by 2 or more points with this exercise (review flag)");
                return session(flag.patientId(), s -> s.changeItem(bearer(), flag.patientId(), flag.subject(), "pause", change),
                        // the pause is what matters: a flag acknowledged by someone else meanwhile stays as they left it
                        done -> flag.status() != ReviewFlag.Status.OPEN ? Uni.createFrom().item(done)
                                : review.acknowledge(flag.flagId(), clinician, "Paused " + flag.subject() + " from "
                                        + done.path("effectiveFrom").asText()).replaceWith(done)
                                        .onFailure(Refusal.Conflict.class).recoverWithItem(done));
            });
        });
    }

    /** Pause, resume or stop one exercise of the patient's prescription, from today, with the clinician's reason. */
    @POST
    @Path("dashboard/patients/{patientId}/prescription/items/{exerciseId}/{action: pause|resume|stop}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> changeItem(@PathParam("patientId") String patientId, @PathParam("exerciseId") String exerciseId,
                                    @PathParam("action") String action, @FormParam("reason") String reason,
                                    @FormParam(CSRF_FIELD) String csrf) {
        PatientInsightsResource.checkPatientId(patientId);
        checkExerciseId(exerciseId);
        return act(clinician -> {
            requireCsrf(csrf);
            Map<String, Object> change = new HashMap<>();
            if (reason != null && !reason.isBlank()) {
                change.put("reason", reason.strip());
            }
            return session(patientId, s -> s.changeItem(bearer(), patientId, exerciseId, action, change), Uni.createFrom()::item);
        });
    }

    /**
     * A new dosage of one exercise, from today or from a later local date (a suggestion is applied from tomorrow): the
     * prescription as session-service has it now, with that item's dosage changed, written as the next version
     * ({@code expectedVersion}: the version the page showed, so a change made meanwhile by someone else is refused,
     * not overwritten).
     */
    @POST
    @Path("dashboard/patients/{patientId}/prescription/items/{exerciseId}/dosage")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> changeDosage(@PathParam("patientId") String patientId, @PathParam("exerciseId") String exerciseId,
                                      @FormParam("sets") Integer sets, @FormParam("repsMin") Integer repsMin,
                                      @FormParam("repsMax") Integer repsMax, @FormParam("holdMin") Integer holdMin,
                                      @FormParam("holdMax") Integer holdMax, @FormParam("noHold") boolean noHold,
                                      @FormParam("reason") String reason,
                                      @FormParam("effectiveFrom") String effectiveFrom,
                                      @FormParam("expectedVersion") Integer expectedVersion, @FormParam(CSRF_FIELD) String csrf) {
        PatientInsightsResource.checkPatientId(patientId);
        checkExerciseId(exerciseId);
        PrescriptionForms.DosageChange change = new PrescriptionForms.DosageChange(sets, repsMin, repsMax, holdMin, holdMax, noHold, reason);
        return act(clinician -> {
            requireCsrf(csrf);
            return session(patientId, s -> s.prescription(bearer(), patientId).chain(current ->
                    s.prescribe(bearer(), patientId, PrescriptionForms.withDosage(current, exerciseId, change, expectedVersion, effectiveFrom))),
                    Uni.createFrom()::item);
        });
    }

    /** End of care: the reason, the last day of care and a note, at session-service. */
    @POST
    @Path("dashboard/patients/{patientId}/enrollments/{enrollmentId}/end")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> endCare(@PathParam("patientId") String patientId, @PathParam("enrollmentId") String enrollmentId,
                                 @FormParam("reason") String reason, @FormParam("endDate") String endDate,
                                 @FormParam("note") String note, @FormParam(CSRF_FIELD) String csrf) {
        PatientInsightsResource.checkPatientId(patientId);
        checkEnrollmentId(enrollmentId);
        return act(clinician -> {
            requireCsrf(csrf);
            Map<String, Object> ending = new HashMap<>();
            ending.put("reason", reason);
            if (endDate != null && !endDate.isBlank()) {
                ending.put("endDate", endDate);
            }
            if (note != null && !note.isBlank()) {
                ending.put("note", note);
            }
            return session(patientId, s -> s.endCare(bearer(), patientId, enrollmentId, ending), Uni.createFrom()::item);
        });
    }

    /**
     * Calls session-service for a patient the caller treats, then {@code after}; back to the patient's page, or a page
     * that says what session-service refused (its problem's detail and fields), with the status it answered.
     */
    private Uni<Response> session(String patientId, Function<SessionService, Uni<JsonNode>> call,
                                  Function<JsonNode, Uni<JsonNode>> after) {
        return access.requireClinician(patientId).chain(() -> call.apply(sessionService)).chain(node -> after.apply(node))
                .map(done -> backTo("/dashboard/patients/" + patientId))
                .onFailure(WebApplicationException.class).recoverWithItem(failure -> {
                    Response refused = ((WebApplicationException) failure).getResponse();
                    return problemPage(patientId, refused.getStatus(), PrescriptionForms.problem(refused));
                })
                // unreachable or too slow: the change may or may not have been made, and the clinician is told so
                .onFailure(ProcessingException.class).recoverWithItem(failure -> {
                    LOG.warnf("session-service did not answer the dashboard (%s)", failure.getClass().getSimpleName());
                    return problemPage(patientId, 503, new PrescriptionForms.Problem(503, "session-service did not answer",
                            "the change may or may not have been made; reload the patient's page to see", List.of()));
                });
    }

    private Response problemPage(String patientId, int status, PrescriptionForms.Problem shown) {
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE)
                .entity(problem.data("patientId", patientId).data("problem", shown).render()).build();
    }

    private static void checkEnrollmentId(String enrollmentId) {
        try {
            java.util.UUID.fromString(enrollmentId);
        } catch (IllegalArgumentException e) {
            throw ProblemException.malformed(List.of(Violation.of("enrollmentId", "must be a UUID")), "enrollmentId is not a UUID");
        }
    }

    /** An exercise id is checked here, so nothing depends on how the client encodes a path. */
    private static void checkExerciseId(String exerciseId) {
        if (!SessionEventContract.validId(exerciseId)) {
            throw ProblemException.malformed(List.of(Violation.of("exerciseId", "must be 1-64 letters, digits, '.', '_' or '-'")),
                    "exerciseId is not a valid id");
        }
    }

    private String bearer() {
        return "Bearer " + caller.getRawToken();
    }

    @GET
    @Path("login")
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance loginPage() {
        return login.data("error", null);
    }

    @POST
    @Path("login")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Response signIn(@FormParam("token") String token) {
        JsonWebToken jwt;
        try {
            jwt = tokens.parse(token == null ? "" : token.strip());
        } catch (ParseException e) {
            return Response.status(Response.Status.UNAUTHORIZED)
                    .entity(login.data("error", "That token is not valid here (expired, or signed by someone else).")).build();
        }
        if (!jwt.getGroups().contains(Roles.CLINICIAN)) {
            return Response.status(Response.Status.FORBIDDEN)
                    .entity(login.data("error", "The dashboard is for clinicians; that token is not a clinician's.")).build();
        }
        long seconds = Math.max(0, jwt.getExpirationTime() - Instant.now().getEpochSecond());
        return Response.seeOther(URI.create("/")).header("Set-Cookie", cookie(jwt.getRawToken(), seconds)).build();
    }

    @POST
    @Path("logout")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response signOut(@FormParam(CSRF_FIELD) String csrf) {
        if (!access.isClinician()) {
            // nobody signed in: nothing to sign out of, and no other site's page may clear a cookie here
            return Response.seeOther(URI.create("/login")).build();
        }
        requireCsrf(csrf);
        return Response.seeOther(URI.create("/login")).header("Set-Cookie", cookie("", 0)).build();
    }

    /**
     * The CSRF token of a signed-in session: base64url(SHA-256("csrf|" + the bearer token)). Only who holds the
     * token can compute it; pages put it in their forms' hidden {@code csrf} field.
     */
    public static String csrfToken(String rawToken) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(("csrf|" + rawToken).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** This request's CSRF token (the caller is a signed-in clinician). */
    private String csrf() {
        return csrfToken(caller.getRawToken());
    }

    /** A form post without this session's CSRF token (another site's page made it) is refused: 403, nothing done. */
    private void requireCsrf(String given) {
        // constant time: how much of a guess matched does not show in the answer's timing
        if (given == null || !MessageDigest.isEqual(csrf().getBytes(StandardCharsets.US_ASCII),
                given.getBytes(StandardCharsets.US_ASCII))) {
            throw ProblemException.forbidden("the form's CSRF token is missing or not this session's; reload the page");
        }
    }

    private String cookie(String value, long maxAgeSeconds) {
        // HttpOnly: no script reads it; SameSite=Strict: no other site's form posts with it; Secure behind TLS
        return COOKIE + "=" + value + "; Path=/; Max-Age=" + maxAgeSeconds + "; HttpOnly; SameSite=Strict"
                + (secureCookie ? "; Secure" : "");
    }

    /** A page for the signed-in clinician, its forms with the CSRF token; anyone else is sent to the login page. */
    private Uni<Response> page(Function<String, Uni<TemplateInstance>> render) {
        return act(clinician -> {
            String csrf = csrf();
            return render.apply(clinician).map(page -> page.data(CSRF_FIELD, csrf)).chain(TemplateInstance::createUni)
                    .map(html -> Response.ok(html, MediaType.TEXT_HTML_TYPE).build());
        });
    }

    private Uni<Response> act(Function<String, Uni<Response>> work) {
        if (!access.isClinician()) {
            return Uni.createFrom().item(Response.seeOther(URI.create("/login")).build());
        }
        return work.apply(access.callerId());
    }

    /** Back to the page the form was on; only this dashboard's own pages, never another site. */
    private static Response backTo(String back) {
        String target = back != null && back.matches("/(dashboard/patients/[A-Za-z0-9._-]{1,64}|\\?queuePage=\\d{1,5}&patientPage=\\d{1,5}"
                + "(&severity=[A-Z]{1,10})?(&rule=[A-Z_]{1,40})?(&status=[A-Z]{1,15})?(&search=[A-Za-z0-9._-]{1,64})?"
                + "(&sort=[a-z0-9-]{1,20}&order=(asc|desc))?(&care=ended)?)?") ? back : "/";
        return Response.seeOther(URI.create(target)).build();
    }
}
