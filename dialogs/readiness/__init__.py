"""The organisation's customer-success readiness self-assessment."""
