package org.sciaticahep.stack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.config.ConfigResource;
import org.sciaticahep.contracts.Topics.TopicSpec;

/**
 * A real single-node KRaft Kafka broker (broker and controller in one process) running in its own JVM from
 * Apache Kafka's jars. Its log directory persists, so a stop and start keeps every topic and record.
 *
 * <p>Nobody talks to it anonymously: its listeners take SASL only (SCRAM-SHA-512 for the services' principals, PLAIN
 * for {@code admin}, which the broker and controller also use between themselves), and the standard KRaft authorizer
 * allows each service what {@link KafkaAcls} grants and nothing else. Each start makes sure the services' users and
 * ACLs exist ({@link KafkaCredentials} keeps the passwords with the data).
 */
public final class KafkaBroker implements AutoCloseable {

    private static final String RESOURCES = "org/sciaticahep/stack/";
    /** KRaft needs a cluster id at format time; fixed so a restart on the same data finds its own cluster. */
    private static final String CLUSTER_ID = "c2NpYXRpY2EtaGVwLWtmYQ";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final Path dataDirectory;
    private final int port;
    private final int controllerPort;
    private final String heap;
    private final KafkaCredentials credentials;
    /** Topics of tests' own that a service may write besides its own ({@link #allowWrites}); kept across restarts. */
    private volatile PatientKeyStore patientKeys;
    private final List<KafkaAcls.Grant> extraGrants = new java.util.concurrent.CopyOnWriteArrayList<>();

    public KafkaBroker(Path dataDirectory, int port, int controllerPort, String heap) {
        this.dataDirectory = dataDirectory;
        this.port = port;
        this.controllerPort = controllerPort;
        this.heap = heap;
        this.credentials = KafkaCredentials.inDirectory(dataDirectory);
    }

    public KafkaCredentials credentials() {
        return credentials;
    }

    /** The keys its session-events records are sealed with: a {@link TopicReader} of this broker opens them. */
    public KafkaBroker withPatientKeys(PatientKeyStore keys) {
        this.patientKeys = keys;
        return this;
    }

    public PatientKeyStore patientKeys() {
        return patientKeys;
    }

    /** A client's configuration as {@code principal}: bootstrap servers and its SASL login. */
    public Map<String, Object> clientConfig(String principal) {
        Map<String, Object> config = new HashMap<>(credentials.client(principal));
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return config;
    }

    /** A client's configuration as the operator ({@code admin}): what tests read and inject with. */
    public Map<String, Object> clientConfig() {
        return clientConfig(KafkaCredentials.ADMIN);
    }

    /** What a service is started with to reach this broker as its own principal. */
    public Map<String, String> serviceEnvironment(String service) {
        Map<String, String> env = new HashMap<>(credentials.serviceEnvironment(service));
        env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers());
        return env;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public int controllerPort() {
        return controllerPort;
    }

    /** Whether the broker of this data directory runs, whoever started it (its pid is kept in the directory). */
    public boolean isRunning() {
        return process().map(ProcessHandle::isAlive).orElse(false);
    }

    /** Formats the storage on first use, starts the broker and waits until it answers. */
    public synchronized KafkaBroker start() {
        if (isRunning()) {
            ensurePrincipals(); // a start that failed after the broker came up left them unfinished
            return this;
        }
        if (Ports.listening("127.0.0.1", port)) {
            // otherwise readiness could be answered by whatever already listens there
            throw new IllegalStateException("port " + port + " is in use: is another stack or broker still running?");
        }
        try {
            // the broker's data is the patients' events: this machine's user only
            Files.createDirectories(dataDirectory, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
            Files.setPosixFilePermissions(dataDirectory, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
            Path config = writeConfig();
            Path logConfig = copyResource("kafka-log4j2.properties");
            if (!Files.exists(dataDirectory.resolve("log").resolve("meta.properties"))) {
                run(List.of("kafka.tools.StorageTool", "format", "-t", CLUSTER_ID, "-c", config.toString(),
                        "--ignore-formatted"), logConfig);
            }
            List<String> command = javaCommand(logConfig);
            command.add("-Dstack.parent.pid=" + ProcessHandle.current().pid());
            command.add("org.sciaticahep.stack.broker.BrokerMain");
            command.add(config.toString());
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dataDirectory.resolve("broker.out").toFile()))
                    .start();
            Files.writeString(pidFile(), String.valueOf(process.pid()));
            awaitReady(process);
            ensurePrincipals();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException("Kafka broker did not start", e);
        }
    }

    /** Graceful stop (SIGTERM): the broker flushes and closes its logs. */
    public synchronized void stop() {
        halt(false);
    }

    /** SIGKILL: the broker gets no chance to flush, as when a machine dies. */
    public synchronized void kill() {
        halt(true);
    }

    private void halt(boolean forcibly) {
        Optional<ProcessHandle> process = process();
        if (process.isEmpty()) {
            return;
        }
        ProcessHandle broker = process.get();
        if (forcibly) {
            broker.destroyForcibly();
        } else {
            broker.destroy();
        }
        try {
            broker.onExit().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            broker.destroyForcibly();
        }
        awaitPortClosed();
    }

    private Optional<ProcessHandle> process() {
        try {
            if (!Files.exists(pidFile())) {
                return Optional.empty();
            }
            return ProcessHandle.of(Long.parseLong(Files.readString(pidFile()).trim())).filter(ProcessHandle::isAlive);
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private Path pidFile() {
        return dataDirectory.resolve("broker.pid");
    }

    @Override
    public void close() {
        stop();
    }

    /** Creates the topics that do not exist yet, with their partitions and settings; sets those of existing ones. */
    public void createTopics(List<TopicSpec> topics) {
        try (Admin admin = admin()) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = topics.stream()
                    .filter(t -> !existing.contains(t.name()))
                    .map(t -> new NewTopic(t.name(), t.partitions(), (short) 1).configs(t.config()))
                    .collect(Collectors.toList());
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
            }
            // topics made by an older version of this list get today's settings
            Map<ConfigResource, Collection<AlterConfigOp>> settings = new HashMap<>();
            topics.stream().filter(t -> existing.contains(t.name()) && !t.config().isEmpty()).forEach(t -> settings.put(
                    new ConfigResource(ConfigResource.Type.TOPIC, t.name()),
                    t.config().entrySet().stream().map(e -> new AlterConfigOp(new ConfigEntry(e.getKey(), e.getValue()),
                            AlterConfigOp.OpType.SET)).toList()));
            if (!settings.isEmpty()) {
                admin.incrementalAlterConfigs(settings).all().get(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not create topics on " + bootstrapServers(), e);
        }
    }

    /**
     * The services' SCRAM users (their passwords as kept, so a changed password takes effect) and exactly the ACLs
     * {@link KafkaAcls} grants them: grants no longer there are taken away. Waits until the broker applies both, so a
     * client that logs in right after is not refused.
     */
    private void ensurePrincipals() {
        try (Admin admin = admin()) {
            List<UserScramCredentialAlteration> users = KafkaCredentials.SERVICES.stream()
                    .<UserScramCredentialAlteration>map(user -> new UserScramCredentialUpsertion(user,
                            new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), credentials.password(user)))
                    .toList();
            admin.alterUserScramCredentials(users).all().get(30, TimeUnit.SECONDS);
            List<KafkaAcls.Grant> grants = new ArrayList<>(KafkaAcls.grants());
            grants.addAll(extraGrants);
            List<AclBinding> wanted = KafkaAcls.bindings(grants);
            List<AclBindingFilter> stale = admin.describeAcls(AclBindingFilter.ANY).values().get(30, TimeUnit.SECONDS).stream()
                    .filter(b -> !wanted.contains(b)).map(AclBinding::toFilter).toList();
            if (!stale.isEmpty()) {
                admin.deleteAcls(stale).all().get(30, TimeUnit.SECONDS);
            }
            admin.createAcls(wanted).all().get(30, TimeUnit.SECONDS);
            Instant deadline = Instant.now().plusSeconds(30);
            while (!applied(admin, wanted) && Instant.now().isBefore(deadline)) {
                Ports.pause(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not create the Kafka principals and ACLs on " + bootstrapServers(), e);
        }
    }

    private static boolean applied(Admin admin, List<AclBinding> wanted) throws InterruptedException, ExecutionException, TimeoutException {
        boolean users = admin.describeUserScramCredentials(KafkaCredentials.SERVICES).all().get(10, TimeUnit.SECONDS).size()
                == KafkaCredentials.SERVICES.size();
        return users && admin.describeAcls(AclBindingFilter.ANY).values().get(10, TimeUnit.SECONDS).containsAll(wanted);
    }

    /** Lets {@code principal} write a topic of a test's own, as {@link KafkaAcls} lets each service write its topics. */
    public synchronized void allowWrites(String principal, String topic) {
        extraGrants.add(KafkaAcls.write(principal, topic));
        ensurePrincipals();
    }

    public Admin admin() {
        Properties props = new Properties();
        props.putAll(clientConfig());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000);
        return Admin.create(props);
    }

    private void awaitReady(Process process) {
        Instant deadline = Instant.now().plus(READY_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Kafka broker exited with " + process.exitValue() + "; see "
                        + dataDirectory.resolve("broker.out"));
            }
            if (Ports.listening("127.0.0.1", port)) {
                try (Admin admin = admin()) {
                    admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
                    return;
                } catch (ExecutionException | TimeoutException e) {
                    // not ready yet: the listener opens before the controller has elected itself
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
            Ports.pause(200);
        }
        throw new IllegalStateException("Kafka broker not ready within " + READY_TIMEOUT);
    }

    private void awaitPortClosed() {
        Instant deadline = Instant.now().plusSeconds(30);
        while (Ports.listening("127.0.0.1", port) && Instant.now().isBefore(deadline)) {
            Ports.pause(100);
        }
    }

    private Path writeConfig() throws IOException {
        String properties = String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "listeners=SASL_PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=SASL_PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=SASL_PLAINTEXT",
                "listener.security.protocol.map=CONTROLLER:SASL_PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT",
                // services log in with SCRAM (users kept in the cluster's metadata); admin with PLAIN, which needs no
                // metadata: it is how the broker reaches its controller, and how the first users and ACLs are made
                "sasl.enabled.mechanisms=SCRAM-SHA-512,PLAIN",
                "sasl.mechanism.inter.broker.protocol=PLAIN",
                "sasl.mechanism.controller.protocol=PLAIN",
                "listener.name.controller.sasl.enabled.mechanisms=PLAIN",
                "listener.name.controller.plain.sasl.jaas.config=" + credentials.brokerPlainJaas(),
                "listener.name.sasl_plaintext.plain.sasl.jaas.config=" + credentials.brokerPlainJaas(),
                "listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;",
                "authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer",
                "super.users=User:" + KafkaCredentials.ADMIN,
                "allow.everyone.if.no.acl.found=false",
                "log.dirs=" + dataDirectory.resolve("log"),
                "num.partitions=1",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=6",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                // the default 128 MiB dedupe buffer does not fit the small heap: the broker dies at start without this
                "log.cleaner.dedupe.buffer.size=16777216",
                "");
        Path config = dataDirectory.resolve("server.properties");
        // it holds the admin's password: written to a file only this user can read, then moved into place
        Path fresh = Files.createTempFile(dataDirectory, "server", ".properties");
        Files.writeString(fresh, properties, StandardCharsets.UTF_8);
        Files.move(fresh, config, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return config;
    }

    private void run(List<String> mainAndArgs, Path logConfig) throws IOException {
        List<String> command = javaCommand(logConfig);
        command.addAll(mainAndArgs);
        Process tool = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dataDirectory.resolve("broker.out").toFile()))
                .start();
        try {
            if (!tool.waitFor(60, TimeUnit.SECONDS) || tool.exitValue() != 0) {
                throw new IllegalStateException(mainAndArgs.get(0) + " failed; see " + dataDirectory.resolve("broker.out"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private List<String> javaCommand(Path logConfig) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xms" + heap);
        command.add("-Xmx" + heap);
        command.add("-XX:+UseSerialGC");
        command.add("-Djava.awt.headless=true");
        command.add("-Dlog4j2.configurationFile=" + logConfig);
        command.add("-Dkafka.logs.dir=" + dataDirectory);
        command.add("-cp");
        command.add(brokerClasspath());
        return command;
    }

    /** The broker's jars as resolved by Maven when the kafka-broker module was built, plus that module itself. */
    private static String brokerClasspath() throws IOException {
        URL listing = resource("kafka-broker.classpath");
        String jars;
        try (InputStream in = listing.openStream()) {
            jars = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        }
        return moduleRoot(listing) + java.io.File.pathSeparator + jars;
    }

    private static String moduleRoot(URL listing) {
        String url = listing.toString();
        try {
            if (url.startsWith("jar:")) {
                String jar = url.substring("jar:".length(), url.indexOf("!/"));
                return Path.of(new URL(jar).toURI()).toString();
            }
            Path file = Path.of(listing.toURI());
            // .../target/classes/org/sciaticahep/stack/kafka-broker.classpath -> .../target/classes
            return file.getParent().getParent().getParent().getParent().toString();
        } catch (URISyntaxException | IOException e) {
            throw new IllegalStateException("cannot locate the kafka-broker module from " + url, e);
        }
    }

    private Path copyResource(String name) throws IOException {
        Path target = dataDirectory.resolve(name);
        try (InputStream in = resource(name).openStream()) {
            Files.write(target, in.readAllBytes());
        }
        return target;
    }

    private static URL resource(String name) {
        URL url = KafkaBroker.class.getClassLoader().getResource(RESOURCES + name);
        if (url == null) {
            throw new IllegalStateException(RESOURCES + name + " is missing: build the kafka-broker module first");
        }
        return url;
    }
}
