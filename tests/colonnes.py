"""A column's width, outline level and hidden flag as Excel and LibreOffice read them.

A workbook may describe neighbouring columns of the same look with one `<col min max>` range
(Excel and XlsxWriter do); openpyxl files such a range under its first letter only."""

from __future__ import annotations

from openpyxl.utils import column_index_from_string


def dimension(ws, lettre: str):
    """The column dimension covering the column `lettre`."""
    index = column_index_from_string(lettre)
    for d in ws.column_dimensions.values():
        if d.min and d.max and d.min <= index <= d.max:
            return d
    return ws.column_dimensions[lettre]
