"""Developer tools, outside the wheel: the bench, the hostile files, the fonts."""
