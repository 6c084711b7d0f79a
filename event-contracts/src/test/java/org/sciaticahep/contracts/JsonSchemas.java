package org.sciaticahep.contracts;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.Set;
import java.util.UUID;

/**
 * JSON Schemas (draft-07, what AsyncAPI 3.0 tooling reads) of the payload records, derived from the records
 * themselves: each component a property, records as {@code definitions}, enums with their values, dates and ids
 * with their formats. The services write every field, null included, so every field of an object type may be null
 * (the elements of a list never are); which must be present is the contract's (SessionEventContract,
 * docs/architecture.md), not the schema's.
 */
final class JsonSchemas {

    static final ObjectMapper JSON = new ObjectMapper();

    private JsonSchemas() {
    }

    static ObjectNode of(EventTypes.Message message) {
        ObjectNode root = JSON.createObjectNode();
        root.put("$schema", "http://json-schema.org/draft-07/schema#");
        root.put("$id", message.type() + ".json");
        root.put("title", message.payload().getSimpleName());
        root.put("description", "The JSON body of an event of type " + message.type() + " on " + message.topic().name()
                + ", generated from " + message.payload().getName() + ".");
        ObjectNode defs = JSON.createObjectNode();
        describe(message.payload(), root, defs);
        if (!defs.isEmpty()) {
            root.set("definitions", defs);
        }
        return root;
    }

    private static void describe(Class<?> record, ObjectNode into, ObjectNode defs) {
        into.put("type", "object");
        ObjectNode properties = into.putObject("properties");
        ArrayNode required = JSON.createArrayNode();
        for (RecordComponent c : record.getRecordComponents()) {
            properties.set(c.getName(), type(c.getGenericType(), true, defs));
            if (c.getType().isPrimitive()) {
                required.add(c.getName());
            }
        }
        if (!required.isEmpty()) {
            into.set("required", required);
        }
    }

    /** {@code orNull}: a field (the services write null for a missing one), not a list's element. */
    private static ObjectNode type(Type t, boolean orNull, ObjectNode defs) {
        if (t instanceof ParameterizedType p && p.getRawType() instanceof Class<?> raw && Collection.class.isAssignableFrom(raw)) {
            ObjectNode array = maybeNull("array", orNull);
            array.set("items", type(p.getActualTypeArguments()[0], false, defs));
            if (Set.class.isAssignableFrom(raw)) {
                array.put("uniqueItems", true);
            }
            return array;
        }
        if (!(t instanceof Class<?> c)) {
            throw new IllegalArgumentException("no JSON Schema for " + t);
        }
        if (c == int.class || c == long.class) {
            return plain("integer");
        }
        if (c == boolean.class) {
            return plain("boolean");
        }
        if (c == double.class) {
            return plain("number");
        }
        if (c == Integer.class || c == Long.class) {
            return maybeNull("integer", orNull);
        }
        if (c == Boolean.class) {
            return maybeNull("boolean", orNull);
        }
        if (c == Double.class) {
            return maybeNull("number", orNull);
        }
        if (c == String.class) {
            return maybeNull("string", orNull);
        }
        if (c == UUID.class) {
            return maybeNull("string", orNull).put("format", "uuid");
        }
        if (c == OffsetDateTime.class || c == Instant.class) {
            return maybeNull("string", orNull).put("format", "date-time");
        }
        if (c == LocalDate.class) {
            return maybeNull("string", orNull).put("format", "date");
        }
        if (c.isEnum()) {
            ObjectNode e = maybeNull("string", orNull);
            ArrayNode values = e.putArray("enum");
            for (Object constant : c.getEnumConstants()) {
                values.add(((Enum<?>) constant).name());
            }
            if (orNull) {
                values.addNull();
            }
            return e;
        }
        if (c.isRecord()) {
            if (!defs.has(c.getSimpleName())) {
                ObjectNode def = defs.putObject(c.getSimpleName());
                describe(c, def, defs);
            }
            ObjectNode ref = JSON.createObjectNode().put("$ref", "#/definitions/" + c.getSimpleName());
            if (!orNull) {
                return ref;
            }
            ObjectNode either = JSON.createObjectNode();
            ArrayNode anyOf = either.putArray("anyOf");
            anyOf.add(ref);
            anyOf.addObject().put("type", "null");
            return either;
        }
        throw new IllegalArgumentException("no JSON Schema for " + c);
    }

    private static ObjectNode plain(String type) {
        return JSON.createObjectNode().put("type", type);
    }

    private static ObjectNode maybeNull(String type, boolean orNull) {
        if (!orNull) {
            return plain(type);
        }
        ObjectNode node = JSON.createObjectNode();
        node.putArray("type").add(type).add("null");
        return node;
    }
}
