"""Benchmarks: `python -m bench` (see bench/README.md). Nothing here runs under pytest."""
