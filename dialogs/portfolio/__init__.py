"""The book of customers: portfolio, health, KPIs, export and import."""
