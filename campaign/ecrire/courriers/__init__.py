"""The letters: their views, their HTML, their PDF, their mailing list."""
