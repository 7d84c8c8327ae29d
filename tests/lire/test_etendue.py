"""The used-range check on a sheet's XML: refused exactly when one cell lies beyond the form,
whatever the letters' case, wherever the cell sits among the others."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from campaign.lire.etendue import COLONNES_MAX, LIGNES_MAX, HorsFormulaire, lettres_colonne, verifier_xlsx


def _feuille(cellules: list[tuple[int, int, bool]]) -> bytes:
    lignes = "".join(
        f'<row r="{ligne}"><c r="{lettres_colonne(colonne).lower() if bas else lettres_colonne(colonne)}'
        f'{ligne}" t="s"><v>0</v></c></row>'
        for colonne, ligne, bas in cellules
    )
    return f"<worksheet><sheetData>{lignes}</sheetData></worksheet>".encode()


cellule = st.tuples(
    st.integers(1, 16384) | st.integers(1, COLONNES_MAX + 3),
    st.integers(1, 1 << 20) | st.integers(1, LIGNES_MAX + 3),
    st.booleans(),
)


@given(st.lists(cellule, min_size=1, max_size=30), st.sampled_from([LIGNES_MAX, 5_000]))
def test_refused_exactly_when_a_cell_is_beyond_the_form(cellules, lignes_max):
    hors = [(c, r) for c, r, _ in cellules if c > COLONNES_MAX or r > lignes_max]
    if not hors:
        verifier_xlsx("Collectifs", _feuille(cellules), lignes_max)
        return
    with pytest.raises(HorsFormulaire) as exc:
        verifier_xlsx("Collectifs", _feuille(cellules), lignes_max)
    colonne, ligne = hors[0]  # the first one in the file is named
    assert exc.value.cellule == f"{lettres_colonne(colonne)}{ligne}"


def test_the_last_column_of_the_form_is_inside():
    derniere = lettres_colonne(COLONNES_MAX)
    verifier_xlsx("Budget", _feuille([(COLONNES_MAX, LIGNES_MAX, False)]))
    with pytest.raises(HorsFormulaire, match=lettres_colonne(COLONNES_MAX + 1)):
        verifier_xlsx("Budget", _feuille([(COLONNES_MAX + 1, 1, False)]))
    assert len(derniere) == 2


@pytest.mark.parametrize(
    "cellule, refusee",
    [
        ('<c r="a0001001">', "A1001"),  # leading zeros: the row is still 1001
        ('<c r="bl1000">', None),  # the last column and row of the form
        ('<c\tr="XFD1">', "XFD1"),
        ('<row r="99999"><c r="A2">', None),  # a row's own number is not a cell
    ],
)
def test_the_quick_look_lets_nothing_beyond_the_form_through(cellule, refusee):
    xml = f"<worksheet><sheetData>{cellule}<v>1</v></c></sheetData></worksheet>".encode()
    if refusee is None:
        verifier_xlsx("Collectifs", xml)
        return
    with pytest.raises(HorsFormulaire) as exc:
        verifier_xlsx("Collectifs", xml)
    assert exc.value.cellule == refusee
