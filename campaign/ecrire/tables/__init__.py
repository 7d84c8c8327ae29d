"""The CSV outputs and the manifest."""
