"""Reminders: their wording, the reminder and renewal commands, and the one-click card actions."""
