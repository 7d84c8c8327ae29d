"""The run's machinery: the worker pool, the caches, the output folder, the lock, the rerun record."""
