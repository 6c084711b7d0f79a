package org.sciaticahep.support;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Turns every client error into {@code application/problem+json}, naming the field where there is one. */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        return respond(e.problem());
    }

    // Listed one by one: Quarkus has its own mappers for the specific Jackson types, and the most specific wins.
    @ServerExceptionMapper({JsonProcessingException.class, JsonParseException.class, MismatchedInputException.class,
            InvalidFormatException.class, UnrecognizedPropertyException.class, ValueInstantiationException.class})
    public Response unreadableJson(JsonProcessingException e) {
        List<JsonMappingException.Reference> path = e instanceof JsonMappingException mapping ? mapping.getPath() : List.of();
        String reason = e instanceof UnrecognizedPropertyException ? "is not a known field"
                : e instanceof JsonMappingException ? "has the wrong type or format"
                : "is not valid JSON";
        // in a batch (a JSON array) the first step of the path is the item's index
        Integer index = !path.isEmpty() && path.get(0).getFieldName() == null && path.get(0).getIndex() >= 0
                ? path.get(0).getIndex() : null;
        String field = jsonPath(index == null ? path : path.subList(1, path.size()));
        // a field name is the caller's text: bounded, never a way to make the answer as large as the request
        if (field.length() > MAX_FIELD) {
            field = field.substring(0, MAX_FIELD) + "...";
        }
        Violation violation = new Violation(index, field.isEmpty() ? "body" : field, reason);
        // Jackson's own message quotes the request's content, which an answer never echoes
        String detail = field.isEmpty() ? "the body " + reason : field + " " + reason;
        return respond(ProblemException.malformed(List.of(violation), detail).problem());
    }

    /** A valid token without the role an endpoint needs. */
    @ServerExceptionMapper
    public Response forbidden(io.quarkus.security.ForbiddenException e) {
        return respond(ProblemException.forbidden("the token's role may not do this").problem());
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        if (e.getCause() instanceof JsonProcessingException json) {
            return unreadableJson(json);
        }
        int status = e.getResponse().getStatus();
        Response.Status known = Response.Status.fromStatusCode(status);
        String title = known == null ? "HTTP " + status : known.getReasonPhrase();
        return respond(new Problem("about:blank", title, status, e.getMessage(), List.of()));
    }

    /**
     * Anything else: the database out of reach is 503 with Retry-After (a client tries again with the same ids and
     * loses nothing); a fault of ours is 500, logged here with its stack, answered without it.
     */
    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        if (Unavailable.database(e)) {
            return respond(new Problem("urn:problem:unavailable", "Service Unavailable", 503,
                    "the database is out of reach; try again shortly with the same request", List.of()), 5);
        }
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            String state = c instanceof io.vertx.pgclient.PgException pg ? pg.getSqlState()
                    : c instanceof java.sql.SQLException sql ? sql.getSQLState() : null; // through Hibernate Reactive
            if (state != null && state.startsWith("22")) {
                return respond(ProblemException.malformed(List.of(Violation.of("request", "holds a value the store cannot take")),
                        "a value of the request is not acceptable text or number").problem());
            }
        }
        LOG.error("request failed", e);
        return respond(new Problem("urn:problem:internal", "Internal Server Error", 500, "an unexpected failure", List.of()));
    }

    static final int MAX_FIELD = 100;

    /** The problem as an answer; a 503 tells the client to try again in a second. */
    public static Response respond(Problem problem) {
        return respond(problem, 1);
    }

    /** The problem as an answer; a 503 tells the client to try again after {@code retryAfterSeconds}. */
    public static Response respond(Problem problem, int retryAfterSeconds) {
        Response.ResponseBuilder answer = Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem);
        if (problem.status() == 503) {
            answer.header("Retry-After", String.valueOf(retryAfterSeconds));
        }
        return answer.build();
    }

    /** {@code dosage.reps.min} or {@code [3].score}: the path a client sees in its own JSON. */
    static String jsonPath(List<JsonMappingException.Reference> references) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : references) {
            if (ref.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }
}
