package org.sciaticahep.benchmarks;

import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.sciaticahep.stack.Tokens;

/** The benchmarks call the local stack as its users do: with bearer tokens signed by the stack's key pair. */
final class Credentials {

    private final Tokens tokens = Tokens.inDirectory(Path.of(".stack-data", "jwt"));
    private final Map<String, String> patients = new ConcurrentHashMap<>();
    private final Map<String, String> others = new ConcurrentHashMap<>();

    /** A request by the patient's own app; tokens are minted once per patient, as an app keeps its own. */
    HttpRequest.Builder asPatient(HttpRequest.Builder request, String patientId) {
        return request.header("Authorization", "Bearer " + patientToken(patientId));
    }

    String patientToken(String patientId) {
        return patients.computeIfAbsent(patientId, tokens::patient);
    }

    HttpRequest.Builder asClinician(HttpRequest.Builder request, String clinicianId) {
        return request.header("Authorization", "Bearer " + clinicianToken(clinicianId));
    }

    /** A clinician's token, minted once: the dashboard's and the API's readers all carry the same one. */
    String clinicianToken(String clinicianId) {
        return others.computeIfAbsent("clinician:" + clinicianId, k -> tokens.clinician(clinicianId));
    }

    HttpRequest.Builder asOps(HttpRequest.Builder request) {
        return request.header("Authorization", "Bearer " + others.computeIfAbsent("ops", k -> tokens.ops()));
    }

    /** Maintenance (insights' rebuild) is admin's, not ops'. */
    HttpRequest.Builder asAdmin(HttpRequest.Builder request) {
        return request.header("Authorization", "Bearer " + others.computeIfAbsent("admin", k -> tokens.admin()));
    }
}
