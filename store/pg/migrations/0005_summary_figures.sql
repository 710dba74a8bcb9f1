-- `portfolio` page 1 and `kpis` read the reviews and renewal outcomes of the customers that have
-- any (store/pg/kpi_queries.py): partial indexes, so those queries skip everyone else.
CREATE INDEX customer_summaries_reviewed ON customer_summaries (tenant_id)
    WHERE reviews IS NOT NULL;
CREATE INDEX customer_summaries_renewal_outcomes ON customer_summaries (tenant_id)
    WHERE renewal_outcomes IS NOT NULL;
