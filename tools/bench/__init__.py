"""`make bench`: the run's times, measured (python -m tools.bench)."""
