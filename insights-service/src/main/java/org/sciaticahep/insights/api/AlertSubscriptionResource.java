package org.sciaticahep.insights.api;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.sciaticahep.insights.domain.AlertRules;
import org.sciaticahep.insights.domain.AlertSubscription;
import org.sciaticahep.insights.domain.Alerts;
import org.sciaticahep.insights.domain.FlagRule;
import org.sciaticahep.support.ProblemException;
import org.sciaticahep.support.Roles;
import org.sciaticahep.support.Violation;
import org.sciaticahep.support.Violations;
import org.sciaticahep.support.Page;

/**
 * Where flag alerts go. A clinician manages their own targets (alerts about their patients); an admin manages
 * the clinic's on-call targets (escalations, and flags of patients nobody treats any more). Nobody sees or
 * changes another's: someone else's subscription is 404, exactly like one that does not exist.
 */
@Path("/notification-subscriptions")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.CLINICIAN, Roles.ADMIN})
public class AlertSubscriptionResource {

    /** A target for alerts of flags of {@code minSeverity} (LOW, MEDIUM, HIGH, CRITICAL) and above. */
    public record SubscriptionRequest(String url, String minSeverity) {
    }

    @Inject
    Alerts alerts;

    @Inject
    SecurityIdentity caller;

    @ConfigProperty(name = "insights.alerts.allow-loopback-http")
    boolean allowLoopbackHttp;

    @POST
    @Operation(summary = "Registers a target for the caller's alerts (an admin's: the on-call target); the answer shows "
            + "the signing secret, this once")
    public Uni<Response> subscribe(
            @RequestBody(content = @Content(mediaType = "application/json", examples = @ExampleObject(name = "the clinic's pager gateway", value = "{\"url\":\"https://pager.clinic.example/hooks/hep\",\"minSeverity\":\"HIGH\"}")))
            SubscriptionRequest request) {
        Violations v = Violations.collect();
        String refused = request == null ? "is required" : AlertRules.refusedTarget(request.url(), allowLoopbackHttp);
        if (refused != null) {
            v.add("url", refused);
        }
        FlagRule.Severity minSeverity = request == null ? null : severity(request.minSeverity());
        v.check(minSeverity != null, "minSeverity", "must be one of LOW, MEDIUM, HIGH, CRITICAL");
        if (!v.isEmpty()) {
            throw ProblemException.invalid(v.list());
        }
        return alerts.subscribe(owner(), caller.getPrincipal().getName(), request.url(), minSeverity)
                // the secret is in this answer only: no cache along the way may keep it
                .map(made -> Response.created(URI.create("/notification-subscriptions/" + made.subscriptionId()))
                        .header("Cache-Control", "no-store").entity(made).build());
    }

    @GET
    @Operation(summary = "The caller's alert targets (an admin's: the on-call targets), without their secrets")
    public Uni<List<AlertSubscription>> subscriptions() {
        return alerts.subscriptions(owner());
    }

    @DELETE
    @Path("{subscriptionId}")
    @Operation(summary = "Stops alerts to this target; what it was not sent yet is cancelled")
    public Uni<Response> unsubscribe(@PathParam("subscriptionId") String subscriptionId) {
        return alerts.unsubscribe(owner(), id(subscriptionId)).map(done -> Response.noContent().build());
    }

    @GET
    @Path("{subscriptionId}/deliveries")
    @Operation(summary = "What was sent to this target and how it went, newest first; one page (page from 0, size 1-500, "
            + "default 100) with the total")
    public Uni<Page<AlertSubscription.Delivery>> deliveries(@PathParam("subscriptionId") String subscriptionId,
                                                            @QueryParam("page") @DefaultValue("0") int page,
                                                            @QueryParam("size") @DefaultValue("100") int size) {
        long offset = Page.offset(page, size, "page", "size");
        return alerts.deliveries(owner(), id(subscriptionId), size, offset)
                .map(log -> new Page<>(page, size, log.total(), log.items()));
    }

    /** A clinician's subscriptions are their own; an admin's are the clinic's on-call targets. */
    private String owner() {
        return caller.hasRole(Roles.CLINICIAN) ? Alerts.clinician(caller.getPrincipal().getName()) : Alerts.ON_CALL;
    }

    private static FlagRule.Severity severity(String name) {
        for (FlagRule.Severity s : FlagRule.Severity.values()) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        return null;
    }

    private static UUID id(String subscriptionId) {
        try {
            return UUID.fromString(subscriptionId);
        } catch (IllegalArgumentException e) {
            throw ProblemException.malformed(List.of(Violation.of("subscriptionId", "must be a UUID")),
                    "subscriptionId is not a UUID");
        }
    }
}
