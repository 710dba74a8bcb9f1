"""Commit: the statement of work (waterfall, goal loop, forms, input checks) and its agreement."""
