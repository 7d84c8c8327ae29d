"""The Synthèse sheet's charts, each anchored on a rectangle of cells of its own.

A chart anchored at one cell with a size in centimetres covers whatever rows it reaches, so
two of them overlap as soon as a table grows (14 of 26 communes were hidden). Here each chart
spans two cells (`TwoCellAnchor`): its rectangle is chosen in cells, the sheet's layout keeps
the rectangles apart, and `rectangle` reads one back for the tests.
"""

from __future__ import annotations

from dataclasses import dataclass

from openpyxl.chart import BarChart, Reference
from openpyxl.chart.label import DataLabelList
from openpyxl.drawing.spreadsheet_drawing import AnchorMarker, TwoCellAnchor
from openpyxl.worksheet.worksheet import Worksheet


@dataclass(frozen=True)
class Cadre:
    """A chart's rectangle in cells, 1-based and inclusive: columns and rows it covers."""

    colonne: int
    ligne: int
    derniere_colonne: int
    derniere_ligne: int

    def ancre(self) -> TwoCellAnchor:
        ancre = TwoCellAnchor(editAs="oneCell")
        ancre._from = AnchorMarker(col=self.colonne - 1, row=self.ligne - 1)
        ancre.to = AnchorMarker(col=self.derniere_colonne, row=self.derniere_ligne)  # exclusive corner
        return ancre

    def chevauche(self, autre: Cadre) -> bool:
        return not (
            self.derniere_colonne < autre.colonne
            or autre.derniere_colonne < self.colonne
            or self.derniere_ligne < autre.ligne
            or autre.derniere_ligne < self.ligne
        )


def rectangle(graphique) -> Cadre:
    """The cells a chart read back by openpyxl covers (for a two-cell anchor)."""
    ancre = graphique.anchor
    return Cadre(ancre._from.col + 1, ancre._from.row + 1, ancre.to.col, ancre.to.row)


@dataclass(frozen=True)
class Serie:
    """A column of values and the column of their labels, on rows premiere..premiere+n-1."""

    feuille: Worksheet
    valeurs: int
    etiquettes: int
    premiere: int
    n: int


def barres(titre: str, axe: str, serie: Serie, format_: str, cadre: Cadre) -> BarChart:
    """A horizontal bar chart, first row on top, each bar labelled with its value."""
    graphique = BarChart()
    graphique.type = "bar"
    graphique.title = titre
    graphique.legend = None
    graphique.y_axis.title = axe
    graphique.y_axis.numFmt = format_
    graphique.y_axis.majorGridlines = None
    graphique.x_axis.scaling.orientation = "maxMin"  # first row on top
    graphique.x_axis.delete = graphique.y_axis.delete = False
    graphique.x_axis.tickLblSkip = 1  # every category named, none skipped
    fin = serie.premiere + serie.n - 1
    graphique.add_data(
        Reference(serie.feuille, min_col=serie.valeurs, min_row=serie.premiere, max_row=fin),
        titles_from_data=False,
    )
    graphique.set_categories(
        Reference(serie.feuille, min_col=serie.etiquettes, min_row=serie.premiere, max_row=fin)
    )
    graphique.dataLabels = DataLabelList(
        showVal=True,
        showCatName=False,
        showSerName=False,
        showLegendKey=False,
        showPercent=False,
        numFmt=format_,
    )
    graphique.anchor = cadre.ancre()
    return graphique
