package org.sciaticahep.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sciaticahep.stack.ServiceConfigs.ROOT;
import static org.sciaticahep.stack.ServiceConfigs.difference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import org.sciaticahep.contracts.Topics;
import org.sciaticahep.contracts.Topics.TopicSpec;

/**
 * docker-compose.yml cannot run on machines without a Docker engine, so this keeps it honest instead: the same
 * ports, environment variable names and topics as the services' configuration and the local launcher, and every
 * service JVM exits on an OutOfMemoryError as in the local stack and deploy/.
 */
class DockerComposeConsistencyTest {

    final JsonNode compose;

    DockerComposeConsistencyTest() throws IOException {
        // SnakeYAML resolves anchors and aliases (&service-environment) as docker compose does
        try (Reader reader = Files.newBufferedReader(ROOT.resolve("docker-compose.yml"))) {
            compose = new ObjectMapper().valueToTree(new Yaml().load(reader));
        }
    }

    @Test
    void everyServiceHasItsPortAndOnlyKnownVariables() throws IOException {
        for (LocalStack.Service service : LocalStack.SERVICES) {
            Properties props = ServiceConfigs.properties(service);
            assertEquals(String.valueOf(service.port()), props.getProperty("quarkus.http.port"), service.name());
            assertEquals(service.database(), props.getProperty("service.database"), service.name());

            JsonNode composed = compose.path("services").path(service.name());
            assertTrue(composed.isObject(), service.name() + " missing from docker-compose.yml");
            assertEquals(service.port() + ":" + service.port(), composed.path("ports").get(0).asText());
            assertTrue(Files.readString(ROOT.resolve(service.name()).resolve("src/main/docker/Dockerfile.jvm"))
                    .contains("EXPOSE " + service.port()), service.name() + " Dockerfile exposes another port");

            Set<String> known = ServiceConfigs.variablesRead(service);
            Set<String> composeVariables = new HashSet<>();
            composed.path("environment").fieldNames().forEachRemaining(composeVariables::add);
            assertTrue(known.containsAll(composeVariables),
                    service.name() + " sets variables the service never reads: " + difference(composeVariables, known));
            Set<String> launcherVariables = new HashSet<>(PostgresServer.running("db", 5432).serviceEnvironment("x").keySet());
            launcherVariables.add("KAFKA_BOOTSTRAP_SERVERS");
            launcherVariables.add("KAFKA_USERNAME");
            launcherVariables.add("KAFKA_PASSWORD");
            launcherVariables.add("JWT_PUBLIC_KEY_LOCATION");
            assertTrue(known.containsAll(launcherVariables), "the launcher sets unknown variables: "
                    + difference(launcherVariables, known));
            Set<String> required = new HashSet<>(launcherVariables);
            required.remove("POSTGRES_DB"); // defaults to the service's own database
            assertTrue(composeVariables.containsAll(required),
                    service.name() + " in docker-compose.yml lacks " + difference(required, composeVariables));
        }
    }

    @Test
    void everyServiceJvmExitsOnOutOfMemory() throws IOException {
        for (LocalStack.Service service : LocalStack.SERVICES) {
            // the image's run-java.sh passes JAVA_OPTS_APPEND to the JVM; compose builds the image and sets no JVM options
            String dockerfile = Files.readString(ROOT.resolve(service.name()).resolve("src/main/docker/Dockerfile.jvm"));
            Matcher options = Pattern.compile("(?m)^ENV JAVA_OPTS_APPEND=\"([^\"]*)\"").matcher(dockerfile);
            assertTrue(options.find(), service.name() + " Dockerfile sets no JAVA_OPTS_APPEND");
            assertTrue(options.group(1).contains(ServiceProcess.EXIT_ON_OUT_OF_MEMORY),
                    service.name() + " Dockerfile's JAVA_OPTS_APPEND lacks " + ServiceProcess.EXIT_ON_OUT_OF_MEMORY);
            assertTrue(dockerfile.contains("run-java.sh"), service.name() + " Dockerfile does not start through run-java.sh");

            JsonNode composed = compose.path("services").path(service.name());
            composed.path("environment").properties().forEach(e -> assertTrue(!e.getKey().startsWith("JAVA_OPTS")
                    || e.getValue().asText().contains(ServiceProcess.EXIT_ON_OUT_OF_MEMORY), service.name() + " " + e.getKey()));
            assertTrue(composed.path("entrypoint").isMissingNode() && composed.path("command").isMissingNode(),
                    service.name() + " must start as its image does");
            assertEquals("unless-stopped", composed.path("restart").asText(), service.name() + ": a JVM that exited is restarted");
        }
    }

    @Test
    void composeCreatesEveryTopicAsDeclared() {
        String script = compose.path("services").path("kafka-topics").path("command").get(0).asText();
        Map<String, String> lines = new HashMap<>();
        Matcher topic = Pattern.compile("--topic (\\S+)(.*)").matcher(script);
        while (topic.find()) {
            lines.put(topic.group(1), topic.group(2));
        }
        assertEquals(Topics.ALL.stream().map(TopicSpec::name).collect(java.util.stream.Collectors.toSet()), lines.keySet());
        for (TopicSpec spec : Topics.ALL) {
            String line = lines.get(spec.name());
            assertTrue(line.contains("--partitions " + spec.partitions()), spec.name() + ": " + line);
            Map<String, String> config = new HashMap<>();
            Matcher setting = Pattern.compile("--config (\\S+)=(\\S+)").matcher(line);
            while (setting.find()) {
                config.put(setting.group(1), setting.group(2));
            }
            assertEquals(spec.config(), config, spec.name() + ": " + line);
        }
    }

    /** Each service logs in as itself, with the password compose reads from the env file, never a literal. */
    @Test
    void everyServiceHasItsOwnKafkaPrincipal() {
        for (String service : KafkaCredentials.SERVICES) {
            JsonNode env = compose.path("services").path(service).path("environment");
            assertEquals(service, env.path("KAFKA_USERNAME").asText());
            assertEquals("${" + KafkaCredentials.variable(service) + "}", env.path("KAFKA_PASSWORD").asText());
        }
    }

    /** The users and ACLs compose makes are the ones the launcher's broker has (KafkaAcls). */
    @Test
    void composeGrantsWhatTheLauncherGrants() {
        String script = compose.path("services").path("kafka-topics").path("command").get(0).asText();
        Set<String> composed = new HashSet<>();
        Matcher acl = Pattern.compile("(?m)^acl (\\S+) (topic|group|cluster) (\\S+) (literal|prefixed) (\\S+)$").matcher(script);
        while (acl.find()) {
            composed.add(String.join(" ", acl.group(1), acl.group(2), acl.group(3), acl.group(4), acl.group(5)));
        }
        Set<String> granted = new HashSet<>();
        for (KafkaAcls.Grant g : KafkaAcls.grants()) {
            String ops = g.operations().stream().map(op -> {
                StringBuilder name = new StringBuilder();
                for (String word : op.name().split("_")) {
                    name.append(word.charAt(0)).append(word.substring(1).toLowerCase(java.util.Locale.ROOT));
                }
                return name.toString();
            }).collect(java.util.stream.Collectors.joining(","));
            granted.add(String.join(" ", g.principal(), g.type().name().toLowerCase(java.util.Locale.ROOT), g.name(),
                    g.pattern().name().toLowerCase(java.util.Locale.ROOT), ops));
        }
        assertEquals(granted, composed);
        for (String service : KafkaCredentials.SERVICES) {
            assertTrue(script.contains("user " + service + " \""), service + " has no SCRAM user in docker-compose.yml");
        }
    }

    @Test
    void servicesUseOnlyDeclaredTopics() throws IOException {
        Set<String> declared = new HashSet<>();
        Topics.ALL.forEach(t -> declared.add(t.name()));
        for (LocalStack.Service service : LocalStack.SERVICES) {
            Properties props = ServiceConfigs.properties(service);
            for (String key : props.stringPropertyNames()) {
                String value = props.getProperty(key);
                if ((key.endsWith(".topic") || key.contains(".topics.")) && !value.startsWith("${")) {
                    assertTrue(declared.contains(value), service.name() + " " + key + "=" + value + " is not in Topics.ALL");
                }
            }
        }
    }

}
