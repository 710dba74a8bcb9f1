-- One summary row per customer (engagement/summary.py), written in the transaction that writes
-- the customer: `portfolio`, `kpis`, `customers` and finding a customer by name are queries over
-- it (store/pg/summaries.py), never a read of every customer document.
-- Columns sorted or filtered on are plain columns; name_key and customer_id use COLLATE "C"
-- (codepoint order, as Python sorts casefolded names) so the indexes serve ORDER BY ... LIMIT.
CREATE TABLE customer_summaries (
    tenant_id           text             NOT NULL,
    customer_id         text COLLATE "C" NOT NULL,
    version             bigint           NOT NULL,
    name                text             NOT NULL,
    name_key            text COLLATE "C" NOT NULL,  -- the name casefolded
    owner_id            text             NOT NULL,
    owner_name          text             NOT NULL,
    iteration           integer          NOT NULL,
    phase               text             NOT NULL,
    level               text,
    score               integer,
    band                text             NOT NULL,
    band_rank           smallint         NOT NULL,  -- engagement.portfolio.BAND_RANK: red first
    renewal_date        date,
    last_touch          timestamptz,
    license_utilisation double precision,
    stage               text,
    as_of               timestamptz      NOT NULL,  -- when health was computed
    reviews             json,  -- [[closed_at, csat, nps], ...] of closed iterations, NULL if none
    renewal_outcomes    json,  -- [[at, renewed, reason], ...], NULL if none
    PRIMARY KEY (tenant_id, customer_id)
);
-- portfolio: riskiest first (band, renewal soonest with none last, name, id)
CREATE INDEX customer_summaries_risk
    ON customer_summaries (tenant_id, band_rank, renewal_date, name_key, customer_id);
-- customers: by name
CREATE INDEX customer_summaries_name ON customer_summaries (tenant_id, name_key, customer_id);
-- portfolio mine / kpis mine
CREATE INDEX customer_summaries_owner
    ON customer_summaries (tenant_id, owner_id, band_rank, renewal_date, name_key, customer_id);
