package org.sciaticahep.support;

import java.util.List;

/** Ends a request with a problem+json answer; thrown from domain code, mapped once in {@link ProblemMappers}. */
public class ProblemException extends RuntimeException {

    private final transient Problem problem;

    public ProblemException(Problem problem) {
        super(problem.title() + ": " + problem.detail(), null, false, false);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }

    public static ProblemException invalid(List<Violation> violations) {
        return new ProblemException(new Problem("urn:problem:invalid-request", "Invalid request", 422,
                violations.size() + " field(s) are invalid", List.copyOf(violations)));
    }

    public static ProblemException malformed(List<Violation> violations, String detail) {
        return new ProblemException(new Problem("urn:problem:malformed-request", "Malformed request", 400,
                detail, List.copyOf(violations)));
    }

    public static ProblemException notFound(String detail) {
        return new ProblemException(new Problem("urn:problem:not-found", "Not found", 404, detail, List.of()));
    }

    public static ProblemException forbidden(String detail) {
        return new ProblemException(new Problem("urn:problem:forbidden", "Forbidden", 403, detail, List.of()));
    }

    /** Busy for a moment: the client tries again (503; the mapper adds Retry-After). */
    public static ProblemException unavailable(String detail) {
        return new ProblemException(new Problem("urn:problem:unavailable", "Service Unavailable", 503, detail, List.of()));
    }

    public static ProblemException conflict(String detail) {
        return new ProblemException(new Problem("urn:problem:conflict", "Conflict", 409, detail, List.of()));
    }
}
