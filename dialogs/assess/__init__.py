"""Assess: the full questionnaire (waterfall and question loop) and the one-card quick check."""
