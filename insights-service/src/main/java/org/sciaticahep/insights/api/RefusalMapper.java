package org.sciaticahep.insights.api;

import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.sciaticahep.insights.domain.Refusal;
import org.sciaticahep.support.ProblemException;
import org.sciaticahep.support.ProblemMappers;

/** The domain's refusals as problem+json: 404, 409, or 400 naming each parameter out of bounds. */
public class RefusalMapper {

    @ServerExceptionMapper
    public Response refusal(Refusal r) {
        ProblemException problem;
        if (r instanceof Refusal.Invalid invalid) {
            problem = ProblemException.malformed(invalid.violations(), invalid.getMessage());
        } else if (r instanceof Refusal.Conflict) {
            problem = ProblemException.conflict(r.getMessage());
        } else {
            problem = ProblemException.notFound(r.getMessage());
        }
        return ProblemMappers.respond(problem.problem());
    }
}
