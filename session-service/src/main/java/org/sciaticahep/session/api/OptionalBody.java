package org.sciaticahep.session.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A body that may be left out (ending an enrollment, pausing an exercise): no body is no fields, whatever the content
 * type says. What is sent is read as strictly as any other body.
 */
final class OptionalBody {

    private OptionalBody() {
    }

    static <T> T read(ObjectMapper json, String body, Class<T> type) throws JsonProcessingException {
        return body == null || body.isBlank() ? null : json.readValue(body, type);
    }
}
