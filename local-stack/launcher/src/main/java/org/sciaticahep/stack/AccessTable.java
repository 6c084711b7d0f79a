package org.sciaticahep.stack;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.ArrayList;
import java.util.List;

/**
 * The security tests' tables: a header line naming the callers (see {@link As#caller}), then one line per endpoint
 * with the status each caller gets. Lines starting with {@code #} are comments.
 *
 * <pre>
 *   endpoint             | none | expired:p-1 | patient:p-1 | ops
 *   GET /exercises       | 401  | 401         | 200         | 200
 * </pre>
 */
public final class AccessTable {

    /** One cell: an endpoint called by one caller, and the status it must get. */
    public record Case(String method, String path, String caller, int status) {
        @Override
        public String toString() {
            return method + " " + path + " as " + caller + " → " + status;
        }
    }

    private AccessTable() {
    }

    public static List<Case> parse(String table) {
        List<String[]> rows = new ArrayList<>();
        for (String line : table.strip().split("\n")) {
            if (!line.isBlank() && !line.strip().startsWith("#")) {
                rows.add(line.split("\\|"));
            }
        }
        String[] callers = rows.get(0);
        List<Case> cases = new ArrayList<>();
        for (String[] row : rows.subList(1, rows.size())) {
            if (row.length != callers.length) {
                throw new IllegalArgumentException("row has " + row.length + " cells, header " + callers.length + ": " + String.join("|", row));
            }
            String[] endpoint = row[0].strip().split("\\s+", 2);
            for (int i = 1; i < row.length; i++) {
                cases.add(new Case(endpoint[0], endpoint[1], callers[i].strip(), Integer.parseInt(row[i].strip())));
            }
        }
        return cases;
    }

    /** Calls the endpoint as the case's caller, with a JSON body when one is given; redirects are answers too. */
    public static Response call(Case c, Object body) {
        RequestSpecification request = As.caller(c.caller()).redirects().follow(false);
        if (body != null) {
            request = request.contentType(ContentType.JSON).body(body);
        }
        return request.request(c.method(), c.path());
    }
}
