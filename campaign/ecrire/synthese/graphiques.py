"""The Synthèse sheet's charts, each on a rectangle of cells of its own.

A chart placed at one cell with a size of its own covers whatever rows it reaches, so two of
them overlap as soon as a table grows (14 of 26 communes were hidden). Here each chart is
given the size of its rectangle of cells (`Cadre`), so that its two-cell anchor lands on the
rectangle's corners; the sheet's layout keeps the rectangles apart, and `rectangle` reads one
back (from openpyxl) for the tests.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from campaign.ecrire.synthese.xlsx import PIXELS_PAR_CARACTERE, Page, pixels

HAUTEUR_PAR_DEFAUT = 15  # points: a row of one line


@dataclass(frozen=True)
class Cadre:
    """A chart's rectangle in cells, 1-based and inclusive: columns and rows it covers."""

    colonne: int
    ligne: int
    derniere_colonne: int
    derniere_ligne: int

    def pixels(self, page: Page) -> tuple[int, int]:
        """(width, height) of the rectangle on `page`. XlsxWriter sizes a chart in whole pixels
        and a row of 32 points is 42.67: the height is rounded up by half a pixel to a pixel and
        a half, so that the chart always reaches the rectangle's last row (and no further)."""
        largeur = sum(
            round(page.largeurs[k] * PIXELS_PAR_CARACTERE)
            for k in range(self.colonne, self.derniere_colonne + 1)
        )
        hauteur = sum(
            pixels(page.hauteurs.get(k) or HAUTEUR_PAR_DEFAUT)
            for k in range(self.ligne, self.derniere_ligne + 1)
        )
        return largeur, math.ceil(hauteur + 0.5)

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
    """A column of values and the column of their labels, on rows premiere..premiere+n-1 of
    the sheet named `feuille`."""

    feuille: str
    valeurs: int
    etiquettes: int
    premiere: int
    n: int

    def plage(self, colonne: int) -> list:
        """XlsxWriter's [sheet, first row, column, last row, column], 0-based."""
        return [self.feuille, self.premiere - 1, colonne - 1, self.premiere + self.n - 2, colonne - 1]


def barres(page: Page, titre: str, axe: str, serie: Serie, format_: str, cadre: Cadre) -> None:
    """A horizontal bar chart on `cadre`, first row on top, each bar labelled with its value."""
    graphique = page.classeur.add_chart({"type": "bar"})
    graphique.add_series(
        {
            "values": serie.plage(serie.valeurs),
            "categories": serie.plage(serie.etiquettes),
            "data_labels": {"value": True, "num_format": format_},
        }
    )
    graphique.set_title({"name": titre})
    graphique.set_legend({"none": True})
    # a bar chart's x axis is the values' (horizontal), its y axis the categories'
    graphique.set_x_axis({"name": axe, "num_format": format_, "major_gridlines": {"visible": False}})
    graphique.set_y_axis({"reverse": True, "interval_unit": 1})  # first row on top, every name shown
    largeur, hauteur = cadre.pixels(page)
    graphique.set_size({"width": largeur, "height": hauteur})
    # object_position 2: moves with its cells, keeps its size (editAs="oneCell")
    page.ws.insert_chart(cadre.ligne - 1, cadre.colonne - 1, graphique, {"object_position": 2})
