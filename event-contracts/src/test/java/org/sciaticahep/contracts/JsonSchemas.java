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
 * JSON Schemas (2020-12) of the payload records, derived from the records themselves: each component a property,
 * records as {@code $defs}, enums with their values, dates and ids with their formats. The services write every
 * field, null included, so every field of an object type may be null; which must be present is the contract's
 * (SessionEventContract, docs/architecture.md), not the schema's.
 */
final class JsonSchemas {

    static final ObjectMapper JSON = new ObjectMapper();

    private JsonSchemas() {
    }

    static ObjectNode of(EventTypes.Message message) {
        ObjectNode root = JSON.createObjectNode();
        root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        root.put("$id", message.type() + ".json");
        root.put("title", message.payload().getSimpleName());
        root.put("description", "The JSON body of an event of type " + message.type() + " on " + message.topic().name()
                + ", generated from " + message.payload().getName() + ".");
        ObjectNode defs = JSON.createObjectNode();
        describe(message.payload(), root, defs);
        if (!defs.isEmpty()) {
            root.set("$defs", defs);
        }
        return root;
    }

    private static void describe(Class<?> record, ObjectNode into, ObjectNode defs) {
        into.put("type", "object");
        ObjectNode properties = into.putObject("properties");
        ArrayNode required = JSON.createArrayNode();
        for (RecordComponent c : record.getRecordComponents()) {
            properties.set(c.getName(), type(c.getGenericType(), defs));
            if (c.getType().isPrimitive()) {
                required.add(c.getName());
            }
        }
        if (!required.isEmpty()) {
            into.set("required", required);
        }
    }

    private static ObjectNode type(Type t, ObjectNode defs) {
        if (t instanceof ParameterizedType p && p.getRawType() instanceof Class<?> raw && Collection.class.isAssignableFrom(raw)) {
            ObjectNode array = nullable("array");
            array.set("items", type(p.getActualTypeArguments()[0], defs));
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
            return nullable("integer");
        }
        if (c == Boolean.class) {
            return nullable("boolean");
        }
        if (c == Double.class) {
            return nullable("number");
        }
        if (c == String.class) {
            return nullable("string");
        }
        if (c == UUID.class) {
            return nullable("string").put("format", "uuid");
        }
        if (c == OffsetDateTime.class || c == Instant.class) {
            return nullable("string").put("format", "date-time");
        }
        if (c == LocalDate.class) {
            return nullable("string").put("format", "date");
        }
        if (c.isEnum()) {
            ObjectNode e = nullable("string");
            ArrayNode values = e.putArray("enum");
            for (Object constant : c.getEnumConstants()) {
                values.add(((Enum<?>) constant).name());
            }
            values.addNull();
            return e;
        }
        if (c.isRecord()) {
            if (!defs.has(c.getSimpleName())) {
                ObjectNode def = defs.putObject(c.getSimpleName());
                describe(c, def, defs);
            }
            ObjectNode ref = JSON.createObjectNode();
            ArrayNode anyOf = ref.putArray("anyOf");
            anyOf.addObject().put("$ref", "#/$defs/" + c.getSimpleName());
            anyOf.addObject().put("type", "null");
            return ref;
        }
        throw new IllegalArgumentException("no JSON Schema for " + c);
    }

    private static ObjectNode plain(String type) {
        return JSON.createObjectNode().put("type", type);
    }

    private static ObjectNode nullable(String type) {
        ObjectNode node = JSON.createObjectNode();
        node.putArray("type").add(type).add("null");
        return node;
    }
}
