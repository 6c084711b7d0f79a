package org.sciaticahep.stack;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.sciaticahep.contracts.Topics;

/**
 * What each service may do on the broker, and nothing more: it writes only the topics it owns, reads only the topics
 * it consumes, with its own consumer groups. deploy/k8s's Strimzi KafkaUsers grant the same (a test compares them).
 */
public final class KafkaAcls {

    /** One grant: a principal may do these operations on a topic, a consumer group (literal or prefix) or the cluster. */
    public record Grant(String principal, ResourceType type, String name, PatternType pattern, List<AclOperation> operations) {
    }

    private KafkaAcls() {
    }

    public static List<Grant> grants() {
        List<Grant> all = new ArrayList<>();
        for (Topics.TopicSpec catalog : List.of(Topics.EXERCISE_CATALOG, Topics.PROGRAM_CATALOG)) {
            all.add(write(KafkaCredentials.CATALOG, catalog.name()));
            all.add(read(KafkaCredentials.SESSION, catalog.name()));
            all.add(read(KafkaCredentials.INSIGHTS, catalog.name()));
        }
        all.add(write(KafkaCredentials.SESSION, Topics.SESSION_EVENTS.name()));
        all.add(read(KafkaCredentials.INSIGHTS, Topics.SESSION_EVENTS.name()));
        all.add(write(KafkaCredentials.INSIGHTS, Topics.REVIEW_FLAGS.name()));
        all.add(write(KafkaCredentials.INSIGHTS, Topics.SESSION_EVENTS_DEAD_LETTERS.name()));
        // insights' consumer group of session-events; each instance's catalog copy reads with a group of its own
        all.add(group(KafkaCredentials.INSIGHTS, "insights-service", PatternType.LITERAL));
        all.add(group(KafkaCredentials.SESSION, "session-service-catalog-", PatternType.PREFIXED));
        all.add(group(KafkaCredentials.INSIGHTS, "insights-service-catalog-", PatternType.PREFIXED));
        // no cluster-wide IdempotentWrite: since Kafka 3.0 a topic's WRITE lets its idempotent producer start
        return all;
    }

    /** Grants as the broker's ACL bindings (allow, from any host). */
    public static List<AclBinding> bindings(List<Grant> grants) {
        List<AclBinding> bindings = new ArrayList<>();
        for (Grant g : grants) {
            for (AclOperation op : g.operations()) {
                bindings.add(new AclBinding(new ResourcePattern(g.type(), g.name(), g.pattern()),
                        new AccessControlEntry("User:" + g.principal(), "*", op, AclPermissionType.ALLOW)));
            }
        }
        return bindings;
    }

    static Grant write(String principal, String topic) {
        return new Grant(principal, ResourceType.TOPIC, topic, PatternType.LITERAL, List.of(AclOperation.WRITE, AclOperation.DESCRIBE));
    }

    private static Grant read(String principal, String topic) {
        return new Grant(principal, ResourceType.TOPIC, topic, PatternType.LITERAL, List.of(AclOperation.READ, AclOperation.DESCRIBE));
    }

    private static Grant group(String principal, String name, PatternType pattern) {
        return new Grant(principal, ResourceType.GROUP, name, pattern, List.of(AclOperation.READ));
    }
}
