-- Where flag alerts go: a clinician's own targets and the clinic's on-call targets for
-- escalations (registered by an admin). A deleted subscription is kept (deleted_at, its secret and URL blanked) until
-- its delivery log is forgotten, so its pending deliveries are cancelled, not sent.
CREATE TABLE alert_subscription (
    subscription_id UUID        PRIMARY KEY,
    owner           TEXT        NOT NULL,            -- 'clinician:' || clinician id, or 'on-call'
    url             TEXT        NOT NULL,
    min_severity    TEXT        NOT NULL,
    min_rank        SMALLINT    NOT NULL,            -- review_flag.severity_rank of min_severity: reached when rank <= min_rank
    secret          TEXT        NOT NULL,            -- HMAC-SHA256 key of the signature header, shown once at creation; '' once deleted
    created_by      TEXT        NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    deleted_at      TIMESTAMPTZ
);
CREATE INDEX alert_subscription_by_owner ON alert_subscription (owner) WHERE deleted_at IS NULL;

-- One alert to one subscription, queued in the transaction that changed the flag (or escalated it), delivered at
-- least once by AlertSender. The idempotency key (the flag event's id) is what a receiver deduplicates on; here it
-- keeps a flag change from being queued twice for one subscription.
CREATE TABLE alert_delivery (
    delivery_id     UUID        PRIMARY KEY,
    subscription_id UUID        NOT NULL REFERENCES alert_subscription (subscription_id),
    idempotency_key TEXT        NOT NULL,
    type            TEXT        NOT NULL,            -- flag.raised, flag.acknowledged, flag.resolved, flag.withdrawn, flag.escalated
    flag_id         UUID        NOT NULL,
    patient_id      TEXT        NOT NULL,
    severity_rank   SMALLINT    NOT NULL,            -- the flag's (review_flag.severity_rank): the most severe are sent first
    body            TEXT        NOT NULL,            -- the exact JSON posted (and signed): no pain details beyond rule and severity
    status          TEXT        NOT NULL,            -- PENDING, DELIVERED, FAILED (given up), CANCELLED (subscription deleted)
    attempts        INT         NOT NULL DEFAULT 0,
    queued_at       TIMESTAMPTZ NOT NULL,
    next_attempt_at TIMESTAMPTZ NOT NULL,            -- also the lease: a claim moves it past the attempt's deadline
    last_attempt_at TIMESTAMPTZ,
    last_outcome    TEXT,                            -- HTTP status or the error's kind; never the receiver's answer body
    delivered_at    TIMESTAMPTZ,
    UNIQUE (subscription_id, idempotency_key)
);
CREATE INDEX alert_delivery_due ON alert_delivery (next_attempt_at) WHERE status = 'PENDING';
CREATE INDEX alert_delivery_log ON alert_delivery (subscription_id, queued_at DESC, delivery_id);
CREATE INDEX alert_delivery_by_patient ON alert_delivery (patient_id);
CREATE INDEX alert_delivery_by_flag ON alert_delivery (flag_id, subscription_id);
CREATE INDEX alert_delivery_done ON alert_delivery (queued_at) WHERE status <> 'PENDING';

-- When an unacknowledged HIGH or CRITICAL flag went to the on-call targets (once per flag). Flags open for more than a
-- day when this arrives count as escalated already: the first on-call target registered is not paged with weeks of
-- backlog (the review queue and CriticalFlagUnacknowledged show those).
ALTER TABLE review_flag ADD COLUMN escalated_at TIMESTAMPTZ;
UPDATE review_flag SET escalated_at = raised_at
 WHERE status = 'OPEN' AND severity_rank <= 1 AND raised_at < now() - interval '1 day';
CREATE INDEX review_flag_to_escalate ON review_flag (raised_at)
    WHERE status = 'OPEN' AND escalated_at IS NULL AND severity_rank <= 1;
