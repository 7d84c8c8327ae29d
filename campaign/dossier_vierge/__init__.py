"""The blank dossier (`campaign template`): the workbook operators fill in."""
