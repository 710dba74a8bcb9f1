-- Reminders, export downloads, user preferences, readiness: what every replica must see.

-- One row per customer with reminders: its next index time (a claimable queue entry) and the
-- conversation where it was last managed. A sweep claims due rows with FOR UPDATE SKIP LOCKED,
-- a claim token and a lease; its completion is fenced by the token (store/pg/reminders.py).
CREATE TABLE reminder_customers (
    tenant_id       text NOT NULL,
    customer_id     text NOT NULL,
    due             timestamptz,
    claim_token     uuid,
    lease_until     timestamptz,
    requested       timestamptz,  -- the earliest time a save asked for while the row was claimed
    conversation_id text,
    PRIMARY KEY (tenant_id, customer_id)
);
CREATE INDEX reminder_customers_due ON reminder_customers (due) WHERE due IS NOT NULL;

-- Delivery records by reminder id (the record itself as JSON; state and due date as columns).
CREATE TABLE reminder_records (
    tenant_id   text NOT NULL,
    customer_id text NOT NULL,
    reminder_id text NOT NULL,
    state       text NOT NULL,
    due_on      date NOT NULL,
    record      json NOT NULL,
    PRIMARY KEY (tenant_id, customer_id, reminder_id)
);

CREATE TABLE user_preferences (
    tenant_id                text    NOT NULL,
    user_id                  text    NOT NULL,
    digest                   boolean NOT NULL DEFAULT false,
    paused_until             date,
    time_zone                text,
    personal_conversation_id text,
    last_conversation_id     text,
    last_digest_on           date,
    PRIMARY KEY (tenant_id, user_id)
);

-- One-time export download links (bot/downloads.py): any replica may receive the GET.
CREATE TABLE downloads (
    token        text        PRIMARY KEY,
    name         text        NOT NULL,
    content_type text        NOT NULL,
    body         bytea       NOT NULL,
    expires      timestamptz NOT NULL
);
CREATE INDEX downloads_expires ON downloads (expires);

-- The organisation's readiness self-assessments (engagement/readiness.py).
CREATE TABLE readiness_assessments (
    tenant_id text        NOT NULL,
    id        text        NOT NULL,
    taken_at  timestamptz NOT NULL,
    doc       json        NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
