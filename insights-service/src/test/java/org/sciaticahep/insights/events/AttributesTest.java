package org.sciaticahep.insights.events;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;
import org.sciaticahep.contracts.CloudEventHeaders;

/** A record's attributes read in one pass agree with looking each up: the last of a name counts, one without a value is absent. */
class AttributesTest {

    @Test
    void theLastHeaderOfANameCounts() {
        RecordHeaders headers = new RecordHeaders();
        headers.add(CloudEventHeaders.TYPE, bytes("first"));
        headers.add(CloudEventHeaders.ID, bytes("id-1"));
        headers.add(CloudEventHeaders.TYPE, bytes("second"));
        headers.add(CloudEventHeaders.RECORDED_AT, bytes("2026-12-03T20:20:14Z"));
        headers.add(CloudEventHeaders.ENCRYPTION, bytes(CloudEventHeaders.A256GCM));
        ConsumerRecord<String, String> record = record(headers);
        assertEquals(new SessionEventListener.Attributes("second", CloudEventHeaders.A256GCM, "id-1", "2026-12-03T20:20:14Z"),
                SessionEventListener.Attributes.of(record));
        assertEquals(SessionEventListener.header(record, CloudEventHeaders.TYPE), SessionEventListener.Attributes.of(record).type());
    }

    @Test
    void aLastHeaderWithoutAValueHidesAnEarlierOne() {
        RecordHeaders headers = new RecordHeaders();
        headers.add(CloudEventHeaders.ENCRYPTION, bytes(CloudEventHeaders.A256GCM));
        headers.add(CloudEventHeaders.ENCRYPTION, null);
        ConsumerRecord<String, String> record = record(headers);
        assertEquals(null, SessionEventListener.Attributes.of(record).encryption());
        assertEquals(null, SessionEventListener.header(record, CloudEventHeaders.ENCRYPTION));
    }

    @Test
    void noHeadersNoAttributes() {
        assertEquals(new SessionEventListener.Attributes(null, null, null, null),
                SessionEventListener.Attributes.of(record(new RecordHeaders())));
    }

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    private static ConsumerRecord<String, String> record(RecordHeaders headers) {
        return new ConsumerRecord<>("session-events", 0, 0L, 0L, TimestampType.CREATE_TIME, 0, 0, "p-1", "{}", headers, Optional.empty());
    }
}
