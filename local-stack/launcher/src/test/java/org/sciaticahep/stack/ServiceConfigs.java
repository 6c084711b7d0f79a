package org.sciaticahep.stack;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The services' own configuration, read from the sources, for the tests that keep deployment files honest. */
final class ServiceConfigs {

    static final Path ROOT = Path.of("../..").toAbsolutePath().normalize();
    private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)");

    private ServiceConfigs() {
    }

    static Properties properties(LocalStack.Service service) throws IOException {
        Properties props = new Properties();
        try (Reader reader = Files.newBufferedReader(ROOT.resolve(service.name()).resolve("src/main/resources/application.properties"))) {
            props.load(reader);
        }
        return props;
    }

    /** The environment variables a service reads: its own configuration's and the shared defaults'. */
    static Set<String> variablesRead(LocalStack.Service service) throws IOException {
        Set<String> names = new HashSet<>();
        for (Path config : new Path[] {ROOT.resolve(service.name()).resolve("src/main/resources/application.properties"),
                ROOT.resolve("service-support/src/main/resources/META-INF/microprofile-config.properties")}) {
            Matcher m = ENV_REFERENCE.matcher(Files.readString(config));
            while (m.find()) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    static Set<String> difference(Set<String> a, Set<String> b) {
        Set<String> d = new HashSet<>(a);
        d.removeAll(b);
        return d;
    }
}
