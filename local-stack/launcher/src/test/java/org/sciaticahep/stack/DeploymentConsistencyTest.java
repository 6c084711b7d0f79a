package org.sciaticahep.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sciaticahep.stack.ServiceConfigs.ROOT;
import static org.sciaticahep.stack.ServiceConfigs.difference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sciaticahep.contracts.Topics;
import org.sciaticahep.contracts.Topics.TopicSpec;

/**
 * deploy/ cannot be applied here (no cluster), so this keeps it honest: every manifest parses and every file a
 * kustomization names exists; each Deployment, with the shared patch applied, has its service's port, the Quarkus
 * health probes, only variables the service reads, and the local stack's JVM options (its sizing, and exiting on an
 * OutOfMemoryError); the Kafka topics are the declared ones; the alert rules pass promtool's checks and unit tests;
 * the dashboard parses.
 */
class DeploymentConsistencyTest {

    static final Path DEPLOY = ROOT.resolve("deploy");
    static final Path BASE = DEPLOY.resolve("k8s/base");
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final Set<String> READ_BY_THE_CONTAINER = Set.of("JAVA_OPTS_APPEND", "MALLOC_ARENA_MAX");

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
            assertTrue(known.containsAll(variables), service.name() + " is given variables it never reads: " + difference(variables, known));
            assertTrue(variables.containsAll(Set.of("POSTGRES_HOST", "POSTGRES_USER", "POSTGRES_PASSWORD", "KAFKA_BOOTSTRAP_SERVERS",
                    "JWT_PUBLIC_KEY_LOCATION")), service.name() + " lacks a required variable");
            JsonNode svc = docs.stream().filter(d -> d.path("kind").asText().equals("Service")).findFirst().orElseThrow();
            assertEquals(service.port(), svc.path("spec").path("ports").get(0).path("port").asInt(), service.name() + " Service port");
        }
        assertTrue(config.path("JWT_PUBLIC_KEY_LOCATION").asText().startsWith(
                defaults.findValues("mountPath").get(0).asText()), "the token key is read where the Secret is mounted");
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
        k.path("replicas").forEach(r -> {
            if (r.path("name").asText().equals("insights-service")) {
                assertTrue(r.path("count").asInt() <= Topics.SESSION_EVENTS.partitions(), "more insights instances than partitions idle");
            }
        });
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
