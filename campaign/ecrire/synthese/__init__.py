"""The committee's workbook, synthese.xlsx."""
