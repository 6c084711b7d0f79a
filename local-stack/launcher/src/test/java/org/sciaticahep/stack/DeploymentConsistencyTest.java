package org.sciaticahep.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sciaticahep.stack.ServiceConfigs.ROOT;
import static org.sciaticahep.stack.ServiceConfigs.difference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.StreamSupport;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sciaticahep.contracts.Topics;
import org.sciaticahep.contracts.Topics.TopicSpec;
import org.yaml.snakeyaml.Yaml;

/**
 * deploy/ cannot be applied here (no cluster), so this keeps it honest: every manifest parses and every file a
 * kustomization names exists; each Deployment, with the shared patch applied, has its service's port, the Quarkus
 * health probes, only variables the service reads, and the local stack's JVM options (its sizing, and exiting on an
 * OutOfMemoryError); the Kafka topics are the declared ones; insights-service, the consumer of session-events, never
 * runs more consumers than that topic has partitions; the alert rules pass promtool's checks and unit tests; the
 * dashboard parses.
 */
class DeploymentConsistencyTest {

    static final Path DEPLOY = ROOT.resolve("deploy");
    static final Path BASE = DEPLOY.resolve("k8s/base");
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final Set<String> READ_BY_THE_CONTAINER = Set.of("JAVA_OPTS_APPEND", "MALLOC_ARENA_MAX");
    /** The consumer of session-events, whose instances × consumers the topic's partitions bound. */
    static final LocalStack.Service INSIGHTS = LocalStack.SERVICES.stream().filter(s -> s.name().equals("insights-service"))
            .findFirst().orElseThrow();

    @Test
    void everyManifestParsesAndEveryNamedFileExists() throws IOException {
        for (Path kustomization : List.of(BASE.resolve("kustomization.yaml"), DEPLOY.resolve("k8s/overlays/production/kustomization.yaml"))) {
            JsonNode k = YAML.readTree(kustomization.toFile());
            List<String> files = new ArrayList<>();
            k.path("resources").forEach(r -> files.add(r.asText()));
            k.path("patches").forEach(p -> files.add(p.path("path").asText()));
            for (String file : files) {
                Path named = kustomization.resolveSibling(file).normalize();
                if (Files.isDirectory(named)) {
                    assertTrue(Files.exists(named.resolve("kustomization.yaml")), named + " is no kustomization");
                } else {
                    assertFalse(documents(named).isEmpty(), named + " is empty or missing");
                }
            }
        }
        try (var examples = Files.list(DEPLOY.resolve("k8s/examples"))) {
            for (Path example : examples.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                documents(example).forEach(d -> assertTrue(d.has("kind"), example + " has a document without a kind"));
            }
        }
    }

    @Test
    void eachDeploymentRunsItsServiceAsConfigured() throws IOException {
        Set<String> configured = new HashSet<>();
        for (JsonNode doc : documents(BASE.resolve("config.yaml"))) {
            doc.path("data").fieldNames().forEachRemaining(configured::add);
            doc.path("stringData").fieldNames().forEachRemaining(name -> {
                if (name.equals(name.toUpperCase())) {
                    configured.add(name);
                }
            });
        }
        JsonNode config = documents(BASE.resolve("config.yaml")).get(0).path("data");
        // an OutOfMemoryError may kill one thread (a Kafka client's) and leave the JVM answering: it must exit instead
        assertTrue(ServiceProcess.JVM_OPTIONS.contains(ServiceProcess.EXIT_ON_OUT_OF_MEMORY), "the local stack's JVMs lack it");
        for (String option : ServiceProcess.JVM_OPTIONS) {
            assertTrue(config.path("JAVA_OPTS_APPEND").asText().contains(option), "JAVA_OPTS_APPEND lacks " + option);
        }
        JsonNode defaults = YAML.readTree(BASE.resolve("service-defaults.yaml").toFile());

        for (LocalStack.Service service : LocalStack.SERVICES) {
            List<JsonNode> docs = documents(BASE.resolve(service.name() + ".yaml"));
            JsonNode deployment = apply(defaults, docs.stream().filter(d -> d.path("kind").asText().equals("Deployment")).findFirst().orElseThrow());
            JsonNode container = deployment.path("spec").path("template").path("spec").path("containers").get(0);
            assertEquals(service.port(), container.path("ports").get(0).path("containerPort").asInt(), service.name());
            assertEquals("http", container.path("ports").get(0).path("name").asText());
            // Quarkus' SmallRye Health answers these unless a service moves them
            assertFalse(ServiceConfigs.properties(service).containsKey("quarkus.smallrye-health.root-path"));
            assertEquals("/q/health/ready", container.path("readinessProbe").path("httpGet").path("path").asText());
            assertEquals("/q/health/live", container.path("livenessProbe").path("httpGet").path("path").asText());
            assertEquals("/q/health/started", container.path("startupProbe").path("httpGet").path("path").asText());
            for (String probe : List.of("readinessProbe", "livenessProbe", "startupProbe")) {
                assertEquals("http", container.path(probe).path("httpGet").path("port").asText(), service.name() + " " + probe);
            }
            assertTrue(container.path("resources").path("limits").has("memory"), service.name() + " has no memory limit");

            Set<String> variables = new HashSet<>(configured);
            container.path("env").forEach(e -> variables.add(e.path("name").asText()));
            // JVM options come from the ConfigMap's JAVA_OPTS_APPEND: a Deployment setting its own must keep the flag
            container.path("env").forEach(e -> assertTrue(!e.path("name").asText().startsWith("JAVA_OPTS")
                    || e.path("value").asText().contains(ServiceProcess.EXIT_ON_OUT_OF_MEMORY), service.name() + " " + e));
            assertTrue(container.path("command").isMissingNode() && container.path("args").isMissingNode(),
                    service.name() + " must start through the image's run-java.sh, which reads JAVA_OPTS_APPEND");
            Set<String> known = new HashSet<>(ServiceConfigs.variablesRead(service));
            known.addAll(READ_BY_THE_CONTAINER);
            // Quarkus hands KAFKA_* variables to the Kafka clients as their settings (KAFKA_SSL_TRUSTSTORE_TYPE → ssl.truststore.type)
            known.addAll(Set.of("KAFKA_SSL_TRUSTSTORE_TYPE", "KAFKA_SSL_TRUSTSTORE_LOCATION"));
            assertTrue(known.containsAll(variables), service.name() + " is given variables it never reads: " + difference(variables, known));
            assertTrue(variables.containsAll(Set.of("POSTGRES_HOST", "POSTGRES_USER", "POSTGRES_PASSWORD", "KAFKA_BOOTSTRAP_SERVERS",
                    "KAFKA_USERNAME", "KAFKA_PASSWORD", "JWT_PUBLIC_KEY_LOCATION")), service.name() + " lacks a required variable");
            JsonNode username = StreamSupport.stream(container.path("env").spliterator(), false)
                    .filter(e -> e.path("name").asText().equals("KAFKA_USERNAME")).findFirst().orElseThrow();
            assertEquals(service.name(), username.path("value").asText(), "each service logs in to Kafka as itself");
            JsonNode password = StreamSupport.stream(container.path("env").spliterator(), false)
                    .filter(e -> e.path("name").asText().equals("KAFKA_PASSWORD")).findFirst().orElseThrow();
            assertEquals(service.name(), password.path("valueFrom").path("secretKeyRef").path("name").asText(),
                    "the password is the KafkaUser's Secret, never a literal");
            JsonNode svc = docs.stream().filter(d -> d.path("kind").asText().equals("Service")).findFirst().orElseThrow();
            assertEquals(service.port(), svc.path("spec").path("ports").get(0).path("port").asInt(), service.name() + " Service port");
        }
        assertTrue(config.path("JWT_PUBLIC_KEY_LOCATION").asText().startsWith(
                defaults.findValues("mountPath").get(0).asText()), "the token key is read where the Secret is mounted");
    }

    /** Strimzi's KafkaUsers grant what the local stack's broker grants (KafkaAcls), one user per service. */
    @Test
    void kafkaUsersGrantWhatTheLauncherGrants() throws IOException {
        Set<String> deployed = new HashSet<>();
        for (JsonNode user : documents(BASE.resolve("kafka-users.yaml"))) {
            assertEquals("KafkaUser", user.path("kind").asText());
            assertEquals("scram-sha-512", user.path("spec").path("authentication").path("type").asText());
            String principal = user.path("metadata").path("name").asText();
            for (JsonNode acl : user.path("spec").path("authorization").path("acls")) {
                JsonNode resource = acl.path("resource");
                List<String> ops = new ArrayList<>();
                acl.path("operations").forEach(op -> ops.add(op.asText().toUpperCase(java.util.Locale.ROOT)));
                deployed.add(String.join(" ", principal, resource.path("type").asText(), resource.path("name").asText("kafka-cluster"),
                        resource.path("patternType").asText("literal").replace("prefix", "prefixed"), String.join(",", ops)));
            }
        }
        Set<String> granted = new HashSet<>();
        for (KafkaAcls.Grant g : KafkaAcls.grants()) {
            granted.add(String.join(" ", g.principal(), g.type().name().toLowerCase(java.util.Locale.ROOT), g.name(),
                    g.pattern().name().toLowerCase(java.util.Locale.ROOT),
                    g.operations().stream().map(op -> op.name().replace("_", "")).collect(java.util.stream.Collectors.joining(","))));
        }
        assertEquals(granted, deployed);
        assertTrue(Files.readString(BASE.resolve("kustomization.yaml")).contains("kafka-users.yaml"));
    }

    @Test
    void kafkaTopicsAreTheDeclaredOnes() throws IOException {
        Map<String, JsonNode> topics = new HashMap<>();
        documents(BASE.resolve("kafka-topics.yaml")).forEach(d -> topics.put(d.path("metadata").path("name").asText(), d.path("spec")));
        assertEquals(Topics.ALL.stream().map(TopicSpec::name).collect(java.util.stream.Collectors.toSet()), topics.keySet());
        for (TopicSpec spec : Topics.ALL) {
            JsonNode topic = topics.get(spec.name());
            assertEquals(spec.partitions(), topic.path("partitions").asInt(), spec.name());
            spec.config().forEach((key, value) -> assertEquals(value, topic.path("config").path(key).asText(), spec.name() + " " + key));
            assertEquals(spec.compacted(), "compact".equals(topic.path("config").path("cleanup.policy").asText()), spec.name());
        }
    }

    @Test
    void productionScalesSessionServiceAndSecuresTheDashboardCookie() throws IOException {
        Path production = DEPLOY.resolve("k8s/overlays/production");
        JsonNode hpa = documents(production.resolve("session-service-hpa.yaml")).get(0);
        assertEquals("session-service", hpa.path("spec").path("scaleTargetRef").path("name").asText());
        JsonNode k = YAML.readTree(production.resolve("kustomization.yaml").toFile());
        assertTrue(k.path("configMapGenerator").get(0).path("literals").toString().contains("DASHBOARD_SECURE_COOKIE=true"));
        // how many insights-service instances it may run: insightsConsumersNeverOutnumberThePartitionsOfSessionEvents
    }

    /**
     * The scaling rule of docs/operations.md: insights-service's instances × consumers per instance ≤ the partitions
     * of session-events. All its consumers are in one group, and Kafka gives each partition to one consumer of the
     * group, so consumers beyond the partitions sit idle. Checked for the most instances each deployment may run (a
     * Deployment's replicas after its overlay's, an HPA's maxReplicas, docker-compose's replicas), with the consumers
     * per instance that insights' own configuration gives under that deployment's variables, against the partitions
     * that deployment creates.
     */
    @Test
    void insightsConsumersNeverOutnumberThePartitionsOfSessionEvents() throws IOException {
        String topic = Topics.SESSION_EVENTS.name();
        List<Path> kustomizations = new ArrayList<>(List.of(BASE));
        try (var overlays = Files.list(DEPLOY.resolve("k8s/overlays"))) {
            overlays.filter(Files::isDirectory).sorted().forEach(kustomizations::add);
        }
        for (Path dir : kustomizations) {
            String where = "deploy/" + DEPLOY.relativize(dir);
            Kustomized built = kustomize(dir);
            JsonNode deployment = built.only("Deployment", INSIGHTS.name());
            JsonNode container = deployment.path("spec").path("template").path("spec").path("containers").get(0);
            Integer overlaid = built.replicas().get(INSIGHTS.name());
            int instances = overlaid != null ? overlaid : deployment.path("spec").path("replicas").asInt(1);
            String instancesFrom = overlaid != null ? "replicas in the kustomization" : "the Deployment's replicas";
            for (JsonNode hpa : built.all("HorizontalPodAutoscaler")) {
                JsonNode target = hpa.path("spec").path("scaleTargetRef");
                if (target.path("kind").asText().equals("Deployment") && target.path("name").asText().equals(INSIGHTS.name())) {
                    assertTrue(hpa.path("spec").path("maxReplicas").canConvertToInt(), where + ": insights-service's HPA has no maxReplicas");
                    instances = Math.max(instances, hpa.path("spec").path("maxReplicas").asInt());
                    instancesFrom = "HPA maxReplicas";
                }
            }
            JsonNode partitions = built.only("KafkaTopic", topic).path("spec").path("partitions");
            assertTrue(partitions.canConvertToInt(), where + ": the KafkaTopic " + topic + " declares no partitions");
            assertInsightsScalesWithin(partitions.asInt(), where, instances, instancesFrom, built.environment(container));
        }

        JsonNode compose;
        try (Reader reader = Files.newBufferedReader(ROOT.resolve("docker-compose.yml"))) {
            // SnakeYAML resolves anchors and aliases (&service-environment) as docker compose does
            compose = new ObjectMapper().valueToTree(new Yaml().load(reader));
        }
        JsonNode service = compose.path("services").path(INSIGHTS.name());
        assertTrue(service.isObject(), "docker-compose.yml has no " + INSIGHTS.name());
        JsonNode replicas = service.path("deploy").path("replicas");
        int instances = replicas.isMissingNode() ? service.path("scale").asInt(1) : replicas.asInt();
        Map<String, String> environment = new HashMap<>();
        if (service.path("environment").isArray()) {
            service.path("environment").forEach(e -> environment.put(e.asText().split("=", 2)[0], e.asText().split("=", 2)[1]));
        } else {
            service.path("environment").properties().forEach(e -> environment.put(e.getKey(), e.getValue().asText()));
        }
        String script = compose.path("services").path("kafka-topics").path("command").get(0).asText();
        Matcher created = Pattern.compile("--topic " + Pattern.quote(topic) + "\\s[^\\n]*?--partitions (\\d+)").matcher(script);
        assertTrue(created.find(), "docker-compose.yml's kafka-topics creates no " + topic + " with --partitions");
        assertInsightsScalesWithin(Integer.parseInt(created.group(1)), "docker-compose.yml", instances,
                replicas.isMissingNode() && service.path("scale").isMissingNode() ? "one container" : "its replicas", environment);
    }

    @Test
    void theScalingRuleRefusesIdleConsumers() throws IOException {
        // 3 × 2 = 6 fits 6 partitions; one more instance, or one more consumer each, does not
        assertInsightsScalesWithin(6, "test", 3, "test", Map.of("INSIGHTS_CONSUMERS", "2"));
        assertInsightsScalesWithin(6, "test", 6, "test", Map.of("INSIGHTS_CONSUMERS", "1"));
        AssertionError four = assertThrows(AssertionError.class,
                () -> assertInsightsScalesWithin(6, "test", 4, "HPA maxReplicas", Map.of("INSIGHTS_CONSUMERS", "2")));
        assertTrue(four.getMessage().contains("4 instances (HPA maxReplicas) × 2 consumers each") && four.getMessage().contains("2 would sit idle"),
                four.getMessage());
        assertThrows(AssertionError.class,
                () -> assertInsightsScalesWithin(6, "test", 3, "test", Map.of("INSIGHTS_CONSUMERS", "3")));
    }

    /**
     * Fails, saying what to change, when {@code instances} insights instances, each with the consumers its
     * configuration gives under {@code environment}, are more consumers than {@code partitions}.
     */
    static void assertInsightsScalesWithin(int partitions, String where, int instances, String instancesFrom,
                                           Map<String, String> environment) throws IOException {
        String topic = Topics.SESSION_EVENTS.name();
        Properties props = ServiceConfigs.properties(INSIGHTS);
        List<String> channels = props.stringPropertyNames().stream()
                .filter(key -> key.startsWith("mp.messaging.incoming.") && key.endsWith(".topic") && props.getProperty(key).equals(topic))
                .map(key -> key.substring("mp.messaging.incoming.".length(), key.length() - ".topic".length())).toList();
        assertEquals(1, channels.size(), "insights-service's incoming channels of " + topic + ": " + channels);
        String key = "mp.messaging.incoming." + channels.get(0) + ".concurrency";
        // SmallRye's Kafka connector runs one consumer for a channel unless its concurrency says more
        String concurrency = props.getProperty(key, "1").strip();
        Matcher variable = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*):(\\d+)}").matcher(concurrency);
        int consumers;
        String consumersFrom;
        if (variable.matches()) {
            String set = environment.get(variable.group(1));
            consumers = Integer.parseInt(set != null ? set.strip() : variable.group(2));
            consumersFrom = set != null ? variable.group(1) + "=" + set.strip() : variable.group(1) + " unset: its default in " + key;
        } else {
            assertTrue(concurrency.matches("\\d+"), key + " is neither a number nor ${VARIABLE:default}: " + concurrency);
            consumers = Integer.parseInt(concurrency);
            consumersFrom = key;
        }
        assertTrue(instances >= 1 && consumers >= 1, where + ": " + instances + " instances of " + consumers + " consumers");
        assertTrue(instances * consumers <= partitions, String.format("%s: insights-service may run %d instances (%s) × %d"
                        + " consumers each (%s) = %d consumers, but %s has %d partitions, so %d would sit idle. Keep instances ×"
                        + " consumers per instance ≤ partitions: lower the instances or INSIGHTS_CONSUMERS, or first add partitions"
                        + " to %s (Topics, kafka-topics.yaml, docker-compose.yml; docs/operations.md, Scaling)",
                where, instances, instancesFrom, consumers, consumersFrom, instances * consumers, topic, partitions,
                instances * consumers - partitions, topic));
    }

    /** What a kustomization deploys, as far as these checks need: its documents, replica counts and generated ConfigMap literals. */
    record Kustomized(List<JsonNode> documents, Map<String, Integer> replicas, Map<String, Map<String, String>> generatedConfig) {

        List<JsonNode> all(String kind) {
            return documents.stream().filter(d -> d.path("kind").asText().equals(kind)).toList();
        }

        JsonNode only(String kind, String name) {
            List<JsonNode> named = all(kind).stream().filter(d -> d.path("metadata").path("name").asText().equals(name)).toList();
            assertEquals(1, named.size(), kind + " " + name + " (exactly one)");
            return named.get(0);
        }

        /** A container's variables: those of the ConfigMaps it reads (generated literals merged in), overridden by its env. */
        Map<String, String> environment(JsonNode container) {
            Map<String, String> env = new HashMap<>();
            for (JsonNode from : container.path("envFrom")) {
                String configMap = from.path("configMapRef").path("name").asText("");
                all("ConfigMap").stream().filter(c -> c.path("metadata").path("name").asText().equals(configMap))
                        .forEach(c -> c.path("data").properties().forEach(e -> env.put(e.getKey(), e.getValue().asText())));
                env.putAll(generatedConfig.getOrDefault(configMap, Map.of()));
            }
            container.path("env").forEach(e -> env.put(e.path("name").asText(), e.path("value").asText()));
            return env;
        }
    }

    /**
     * Builds a kustomization as kustomize would, as far as these checks need: the documents of its resources (a
     * directory is a kustomization built first), its JSON patches applied to the Deployments, and its replicas and
     * ConfigMap literals overriding those it builds on.
     */
    static Kustomized kustomize(Path dir) throws IOException {
        JsonNode k = YAML.readTree(dir.resolve("kustomization.yaml").toFile());
        List<JsonNode> docs = new ArrayList<>();
        Map<String, Integer> replicas = new HashMap<>();
        Map<String, Map<String, String>> generated = new HashMap<>();
        for (JsonNode resource : k.path("resources")) {
            Path named = dir.resolve(resource.asText()).normalize();
            if (Files.isDirectory(named)) {
                Kustomized built = kustomize(named);
                docs.addAll(built.documents());
                replicas.putAll(built.replicas());
                built.generatedConfig().forEach((name, literals) -> generated.computeIfAbsent(name, n -> new HashMap<>()).putAll(literals));
            } else {
                docs.addAll(documents(named));
            }
        }
        for (JsonNode patch : k.path("patches")) {
            JsonNode operations = YAML.readTree(dir.resolve(patch.path("path").asText()).toFile());
            if (patch.path("target").path("kind").asText().equals("Deployment") && operations.isArray()) {
                docs = docs.stream().map(d -> d.path("kind").asText().equals("Deployment") ? apply(operations, d) : d).toList();
            }
        }
        k.path("replicas").forEach(r -> replicas.put(r.path("name").asText(), r.path("count").asInt()));
        for (JsonNode generator : k.path("configMapGenerator")) {
            Map<String, String> literals = generated.computeIfAbsent(generator.path("name").asText(), n -> new HashMap<>());
            generator.path("literals").forEach(l -> literals.put(l.asText().split("=", 2)[0], l.asText().split("=", 2)[1]));
        }
        return new Kustomized(docs, replicas, generated);
    }

    @Test
    void alertRulesPassPromtoolAndItsUnitTests(@TempDir Path tmp) throws Exception {
        Path rules = DEPLOY.resolve("prometheus/rules.yml");
        assertEquals(0, promtool(List.of("check", "rules", rules.toString())));
        assertEquals(0, promtool(List.of("test", "rules", DEPLOY.resolve("prometheus/rules.test.yml").toString())));
        // the local stack's Prometheus configuration is one Prometheus itself accepts
        Path config = PrometheusServer.writeConfig(ROOT, tmp, LocalStack.SERVICES, "token");
        assertEquals(0, promtool(List.of("check", "config", config.toString())));
        JsonNode k8s = YAML.readTree(DEPLOY.resolve("prometheus/prometheus.yml").toFile());
        assertEquals("rules.yml", k8s.path("rule_files").get(0).asText());
        JsonNode job = k8s.path("scrape_configs").get(0);
        assertEquals("/q/metrics", job.path("metrics_path").asText());
        assertTrue(job.path("authorization").has("credentials_file"), "metrics need an ops token");
        assertTrue(job.path("relabel_configs").toString().contains("\"target_label\":\"job\""), "job is the service's name");
    }

    @Test
    void grafanaDashboardQueriesPrometheus() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(DEPLOY.resolve("grafana/sciatica-hep.json").toFile());
        assertTrue(dashboard.path("panels").size() >= 6);
        for (JsonNode panel : dashboard.path("panels")) {
            assertFalse(panel.path("targets").isEmpty(), panel.path("title").asText());
            panel.path("targets").forEach(t -> assertFalse(t.path("expr").asText().isBlank(), panel.path("title").asText()));
        }
    }

    static List<JsonNode> documents(Path file) throws IOException {
        try (var parser = YAML.getFactory().createParser(file.toFile())) {
            return YAML.readValues(parser, JsonNode.class).readAll().stream().filter(d -> !d.isNull()).toList();
        }
    }

    /** Applies a JSON patch of {@code add} operations, as kustomize applies service-defaults.yaml to each Deployment. */
    static JsonNode apply(JsonNode patch, JsonNode target) {
        JsonNode copy = target.deepCopy();
        for (JsonNode op : patch) {
            assertEquals("add", op.path("op").asText(), "only add operations are applied here");
            String[] path = op.path("path").asText().substring(1).split("/");
            JsonNode at = copy;
            for (int i = 0; i < path.length - 1; i++) {
                at = at instanceof ArrayNode array ? array.get(Integer.parseInt(path[i])) : at.path(path[i]);
            }
            ((ObjectNode) at).set(path[path.length - 1], op.path("value"));
        }
        return copy;
    }

    private static int promtool(List<String> args) throws Exception {
        Path promtool = Path.of("/usr/bin/promtool");
        assertTrue(Files.isExecutable(promtool), "promtool is needed: run ./test.sh, which installs Debian's prometheus package");
        List<String> command = new ArrayList<>(List.of(promtool.toString()));
        command.addAll(args);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        if (p.exitValue() != 0) {
            System.out.println(output);
        }
        return p.exitValue();
    }
}
