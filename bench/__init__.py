"""Benchmarks that print their figures; see bench/__main__.py and bench/run."""
