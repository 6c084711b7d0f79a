package org.sciaticahep.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Signs bearer tokens (RS256 JWTs) the way the clinic's identity provider would, for the local stack and the tests.
 * The key pair lives in one directory: {@code private-key.pem} never leaves it, {@code public-key.pem} is what the
 * services verify with ({@code JWT_PUBLIC_KEY_LOCATION}).
 *
 * <p>Command line ({@code ./token.sh}): {@code ROLE [SUBJECT] [--hours N]}, e.g. {@code patient p-001}.
 */
public final class Tokens {

    /** What the services expect by default (service-support's configuration: JWT_ISSUER, JWT_AUDIENCE). */
    public static final String ISSUER = "https://sciatica-hep.local/issuer";
    public static final String AUDIENCE = "sciatica-hep";

    public static final String PATIENT = "patient";
    public static final String CLINICIAN = "clinician";
    public static final String CATALOG_EDITOR = "catalog-editor";
    public static final String OPS = "ops";
    public static final String ADMIN = "admin";

    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private final Path directory;
    private final PrivateKey signingKey;

    private Tokens(Path directory, PrivateKey signingKey) {
        this.directory = directory;
        this.signingKey = signingKey;
    }

    /** The key pair in {@code directory}, made on first use. */
    public static synchronized Tokens inDirectory(Path directory) {
        Path privatePem = directory.resolve("private-key.pem");
        try {
            if (!Files.exists(privatePem)) {
                Files.createDirectories(directory);
                KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(2048);
                KeyPair pair = generator.generateKeyPair();
                Path tmp = Files.createTempFile(directory, "private-key", ".tmp",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(tmp, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
                Files.writeString(directory.resolve("public-key.pem"), pem("PUBLIC KEY", pair.getPublic().getEncoded()));
                // the private key appears last and whole: a concurrent reader sees both files or neither
                Files.move(tmp, privatePem);
            }
            String base64 = Files.readString(privatePem).replaceAll("-----[A-Z ]+-----|\\s", "");
            PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
            return new Tokens(directory, key);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read or make the token keys in " + directory, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not read or make the token keys in " + directory, e);
        }
    }

    /** The key the services verify with: {@code JWT_PUBLIC_KEY_LOCATION}. */
    public Path publicKey() {
        return directory.resolve("public-key.pem");
    }

    public String patient(String patientId) {
        return mint(PATIENT, patientId, Duration.ofHours(1));
    }

    public String clinician(String clinicianId) {
        return mint(CLINICIAN, clinicianId, Duration.ofHours(1));
    }

    public String catalogEditor() {
        return mint(CATALOG_EDITOR, CATALOG_EDITOR + "-1", Duration.ofHours(1));
    }

    public String ops() {
        return mint(OPS, OPS + "-1", Duration.ofHours(1));
    }

    public String admin() {
        return mint(ADMIN, ADMIN + "-1", Duration.ofHours(1));
    }

    /** A token for {@code subject} in {@code role}, valid from now for {@code lifetime} (negative: already expired). */
    public String mint(String role, String subject, Duration lifetime) {
        return sign(claims(role, subject, lifetime));
    }

    /** The claims {@link #mint} signs, for tests that change one of them. */
    public static Map<String, Object> claims(String role, String subject, Duration lifetime) {
        Instant now = Instant.now();
        Instant expires = now.plus(lifetime);
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", ISSUER);
        claims.put("aud", AUDIENCE);
        claims.put("sub", subject);
        claims.put("upn", subject);
        claims.put("groups", List.of(role));
        claims.put("iat", (expires.isBefore(now) ? expires.minusSeconds(3600) : now).getEpochSecond());
        claims.put("exp", expires.getEpochSecond());
        claims.put("jti", UUID.randomUUID().toString());
        return claims;
    }

    /** Signs any claims with this directory's key. */
    public String sign(Map<String, Object> claims) {
        String header = BASE64URL.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String payload = BASE64URL.encodeToString(json(claims).getBytes(StandardCharsets.UTF_8));
        try {
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initSign(signingKey);
            rs256.update((header + "." + payload).getBytes(StandardCharsets.US_ASCII));
            return header + "." + payload + "." + BASE64URL.encodeToString(rs256.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String json(Object value) {
        if (value instanceof Map<?, ?> map) {
            return map.entrySet().stream().map(e -> json(e.getKey()) + ":" + json(e.getValue()))
                    .collect(Collectors.joining(",", "{", "}"));
        }
        if (value instanceof List<?> list) {
            return list.stream().map(Tokens::json).collect(Collectors.joining(",", "[", "]"));
        }
        if (value instanceof Number) {
            return value.toString();
        }
        return "\"" + value.toString().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    public static void main(String[] args) {
        Path root = Path.of(".");
        long hours = 8;
        List<String> words = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--root" -> root = Path.of(args[++i]);
                case "--hours" -> hours = Long.parseLong(args[++i]);
                default -> words.add(args[i]);
            }
        }
        List<String> roles = List.of(PATIENT, CLINICIAN, CATALOG_EDITOR, OPS, ADMIN);
        if (words.isEmpty() || !roles.contains(words.get(0)) || words.size() > 2
                || (words.size() == 1 && (PATIENT.equals(words.get(0)) || CLINICIAN.equals(words.get(0))))) {
            System.err.println("usage: ./token.sh ROLE [SUBJECT] [--hours N]   ROLE: " + String.join(", ", roles)
                    + "; SUBJECT: the patient or clinician id, e.g. ./token.sh patient p-001");
            System.exit(2);
        }
        String role = words.get(0);
        String subject = words.size() == 2 ? words.get(1) : role + "-1";
        Path stack = root.toAbsolutePath().normalize();
        System.out.println(inDirectory(LocalStack.keyDirectory(stack)).mint(role, subject, Duration.ofHours(hours)));
        // the Kafka principals' passwords too, which ./stack.sh would make on its first start: docker compose reads them
        KafkaCredentials.inDirectory(LocalStack.kafkaDirectory(stack));
        // and the master key of the patients' data keys
        PatientKeyStore.inDirectory(LocalStack.patientKeyDirectory(stack), null, PatientKeyStore.DATABASE);
    }
}
