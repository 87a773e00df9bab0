"""The benchmark behind `make bench` (see bench/runner.py)."""
