"""A cursor down one band of the Synthèse sheet: blocks of label / value rows."""

from __future__ import annotations

from campaign.ecrire.synthese.style import FOND_TITRE_BLOC, HAUT, POLICE_BLOC, hauteur, style_de
from campaign.ecrire.synthese.xlsx import Page

# column -> width: band 1 (A-C), gap, band 2 (E-H), gap, the chart by commune (J)
LARGEURS = {"A": 50, "B": 13, "C": 15, "D": 2, "E": 56, "F": 11, "G": 11, "H": 18, "I": 2, "J": 54}


class Bande:
    """Blocks written down from `ligne` in the columns from `colonne`: a title row, then rows
    of a label and its values."""

    def __init__(self, feuille: Page, ligne: int, colonne: int):
        self.feuille, self.ligne, self.colonne = feuille, ligne, colonne

    def bloc(self, *titres: str) -> int:
        self.ligne += 1
        for j, titre in enumerate(titres):
            alignement = {
                "align": "left" if j == 0 or j == 3 else "right",
                "text_wrap": j > 0,
                **({"indent": 1} if j == 3 else {}),
            }
            self.feuille.ecrire(
                self.ligne, self.colonne + j, titre, "texte", {**POLICE_BLOC, **FOND_TITRE_BLOC, **alignement}
            )
        self._hauteur([(t, 11) for t in titres[1:]])
        self.ligne += 1
        return self.ligne

    def _hauteur(self, morceaux: list[tuple[str, float]]) -> None:
        h = hauteur(morceaux)
        if h and self.feuille.hauteurs.get(self.ligne, 0) < h:
            self.feuille.hauteur(self.ligne, h)

    def ligne_(self, libelle: str, *valeurs, genres: tuple[str, ...] = ()) -> int:
        """A label and its values: text as text, None as an empty cell, numbers as `genres`
        (else whole numbers)."""
        self.feuille.ecrire(
            self.ligne, self.colonne, libelle, "texte", {"text_wrap": True, **HAUT, "indent": 1}
        )
        self._hauteur([(libelle, LARGEURS[_lettre(self.colonne)] - 2)])
        for j, v in enumerate(valeurs):
            colonne = self.colonne + 1 + j
            if v is None:
                continue
            if isinstance(v, str):
                self.feuille.ecrire(self.ligne, colonne, v, "texte", {**HAUT, "indent": 1})
                continue
            genre = genres[j] if j < len(genres) else "entier"
            self.feuille.ecrire(self.ligne, colonne, v, genre, style_de(genre, HAUT))
        self.ligne += 1
        return self.ligne - 1


def _lettre(colonne: int) -> str:
    return chr(ord("A") + colonne - 1)
