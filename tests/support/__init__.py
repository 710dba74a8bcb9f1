"""Test helpers: the fake connector, activity builders, conversation drivers."""
