"""Answers written into the blank dossier's answer cells, found by their field (`reperes`):
the demo's operators filling it in (`campaign.demo.saisie`) and next year's dossier pre-filled
from last year's (`prerempli`). Values only: a text that a spreadsheet would take for a
formula (« =HYPERLINK(...) ») is written as text, never as a formula."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from campaign.dossier_vierge.classeur import reperes
from campaign.dossier_vierge.collectifs import LIGNES_COLLECTIFS, PREMIERE_LIGNE
from campaign.dossier_vierge.page import cellule_saisie
from campaign.formulaire import CHAMPS, COLLECTIFS, Champ

LONGUEUR_MAX = 32767  # characters a spreadsheet cell holds


def _telle_quelle(champ: Champ, v: object) -> object:
    return v


def ecrire_valeur(cell, v: object) -> None:
    """`v` in `cell` as a value: a text is cleaned of the characters a workbook cannot hold,
    and one that starts with « = » stays text (openpyxl would write it as a formula)."""
    if isinstance(v, str):
        v = ILLEGAL_CHARACTERS_RE.sub("", v)[:LONGUEUR_MAX]
    cell.value = v
    if isinstance(v, str) and cell.data_type == "f":
        cell.data_type = "s"
        cell.quotePrefix = True  # retyped in the cell, it stays text too


def remplir_reponses(
    wb: Workbook,
    reponses: Mapping,
    val: Callable[[Champ, object], object] = _telle_quelle,
    saut: int | None = None,
) -> None:
    """Write `reponses` into the blank dossier `wb`: « porteur » and « projet » map a field
    key to its value, « collectifs » is a list of such maps (one row each, from the first
    collectif's row; `saut`: an empty row left before the collectif of that rank), « budget »
    maps a line code to its amount. A key left out leaves its cell as it is; `val(champ, v)`
    turns each value before it is written (the demo's messy typing)."""
    cellules = reperes(wb)  # (sheet, key) -> (row, column) of its answer
    for (feuille, cle), (ligne, col) in cellules.items():
        if feuille in ("Porteur", "Projet") and cle in reponses.get(feuille.lower(), {}):
            valeur = val(CHAMPS[(feuille, cle)], reponses[feuille.lower()][cle])
            ecrire_valeur(wb[feuille].cell(ligne, col), valeur)
    collectifs: Sequence[Mapping] = reponses.get("collectifs", ())
    for j, c in enumerate(collectifs):
        ligne = PREMIERE_LIGNE + j + (saut is not None and j >= saut)
        for k, champ in enumerate(COLLECTIFS, start=1):
            cell = wb["Collectifs"].cell(ligne, k)
            if ligne >= PREMIERE_LIGNE + LIGNES_COLLECTIFS:  # past the prepared rows: an answer too
                cellule_saisie(cell, champ)
            if champ.cle in c:
                ecrire_valeur(cell, val(champ, c[champ.cle]))
    for code, montant in reponses.get("budget", {}).items():
        ecrire_valeur(wb["Budget"].cell(*cellules[("Budget", code)]), val(CHAMPS[("Budget", code)], montant))
