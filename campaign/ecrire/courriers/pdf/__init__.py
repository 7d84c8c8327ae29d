"""The PDF engine's adapter: every use of WeasyPrint, pydyf and fontTools."""
