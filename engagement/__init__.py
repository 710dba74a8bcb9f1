"""The domain of the Customer Success Framework: pure Python + pydantic.

Never imports botbuilder, aiohttp, jinja2 or tinydb: tests/engagement/test_boundaries.py
enforces it.
"""
