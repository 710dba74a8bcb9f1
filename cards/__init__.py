"""Adaptive Cards from jinja2 templates: view data in, card dicts out. Never imports botbuilder."""
