package org.sciaticahep.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the reliability tests share in one JVM: the running system (started once, stopped when the JVM ends) and
 * the report, printed and written to target/reliability.md as each scenario ends.
 */
final class Reliability {

    static final Path REPORT = Path.of("target/reliability.md");
    private static final List<String> ROWS = new ArrayList<>();
    private static WholeSystem system;

    private Reliability() {
    }

    static synchronized WholeSystem system() throws IOException {
        if (system == null) {
            system = WholeSystem.start();
            Runtime.getRuntime().addShutdownHook(new Thread(system::close, "stop-the-system"));
        }
        return system;
    }

    static synchronized void report(Tally tally) {
        ROWS.add(tally.row());
        String table = Tally.HEADER + "\n" + String.join("\n", ROWS) + "\n";
        System.out.println("\n" + table);
        try {
            Files.writeString(REPORT, table);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
