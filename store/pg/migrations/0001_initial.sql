-- The bot's schema on PostgreSQL (store/pg). Applied once by store/pg/migrations.py.

-- botbuilder state (ConversationState, UserState): jsonpickle text kept verbatim. Not jsonb:
-- jsonb reorders keys (jsonpickle's py/id references depend on order) and rejects \u0000.
CREATE TABLE bot_state (
    key        text PRIMARY KEY,
    e_tag      text NOT NULL,
    state      text NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- One row per customer aggregate (with its iterations); `doc` is the pydantic JSON dump.
-- `json`, not `jsonb`: user text may hold \u0000, which jsonb rejects.
CREATE TABLE customers (
    tenant_id  text   NOT NULL,
    id         text   NOT NULL,
    name_key   text   NOT NULL,  -- the name casefolded: `customers` is ordered by it
    owner_id   text   NOT NULL,
    version    bigint NOT NULL,
    doc        json   NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX customers_by_name ON customers (tenant_id, name_key, id);

CREATE TABLE conversation_references (
    tenant_id       text    NOT NULL,
    conversation_id text    NOT NULL,
    reference       json    NOT NULL,
    stale           boolean NOT NULL DEFAULT false,
    PRIMARY KEY (tenant_id, conversation_id)
);
