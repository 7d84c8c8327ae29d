"""The workbook writer's own guarantees (campaign.ecrire.synthese.xlsx), read back with openpyxl."""

from __future__ import annotations

import datetime as dt
import gc

import openpyxl
import pytest

from campaign.ecrire.synthese.xlsx import Feuille, Page, Styles, fermer, ouvrir, sans_ramasse_miettes

QUAND = dt.datetime(2026, 9, 1)


def _ecrire(chemin, remplir, page=False):
    classeur = ouvrir(QUAND)
    ws = classeur.add_worksheet("F")
    feuille = (Page if page else Feuille)(ws, Styles(classeur))
    remplir(feuille)
    if page:
        feuille.fin()
    fermer(classeur, chemin)
    return openpyxl.load_workbook(chemin)["F"]


def test_hauteurs_et_largeurs_relues_telles_quelles(tmp_path):
    hauteurs = {i: 15 * n + 2 for i, n in enumerate(range(1, 30), start=1)} | {40: 32, 41: 16.5}
    largeurs = {1: 2, 2: 9, 3: 14, 4: 34, 5: 80}

    def remplir(f):
        for j, largeur in largeurs.items():
            f.largeur(j, largeur)
        for i, h in hauteurs.items():
            f.hauteur(i, h)
            f.ecrire(i, 1, "x")

    ws = _ecrire(tmp_path / "a.xlsx", remplir)
    assert {i: ws.row_dimensions[i].height for i in hauteurs} == hauteurs
    assert {j: ws.column_dimensions[chr(64 + j)].width for j in largeurs} == largeurs


def test_une_ligne_deja_ecrite_est_refusee(tmp_path):
    def remplir(f):
        f.ecrire(3, 1, "trois")
        with pytest.raises(ValueError, match="ligne 2 déjà écrite"):
            f.ecrire(2, 1, "deux")

    _ecrire(tmp_path / "a.xlsx", remplir)


def test_une_page_s_ecrit_dans_n_importe_quel_ordre(tmp_path):
    def remplir(p):
        p.ecrire(5, 2, 7, "entier")
        p.ecrire(2, 1, "haut")
        p.ecrire(5, 1, "bas")
        p.styler(5, 1, {"bold": True})

    ws = _ecrire(tmp_path / "a.xlsx", remplir, page=True)
    assert (ws["A2"].value, ws["A5"].value, ws["B5"].value) == ("haut", "bas", 7)
    assert ws["A5"].font.b and not ws["A2"].font.b


def test_textes_toujours_des_chaines_sans_caracteres_illegaux(tmp_path):
    def remplir(f):
        for i, texte in enumerate(["=1+1", "+33 1", "a\x01b\x1fc", "12", "", None, float("nan")], start=1):
            f.ecrire(i, 1, texte)

    ws = _ecrire(tmp_path / "a.xlsx", remplir)
    valeurs = [ws.cell(i, 1) for i in range(1, 8)]
    assert [c.value for c in valeurs] == ["=1+1", "+33 1", "abc", "12", None, None, None]
    assert all(c.data_type == "s" for c in valeurs[:4])


def test_le_ramasse_miettes_revient_comme_il_etait():
    assert gc.isenabled()
    with pytest.raises(RuntimeError), sans_ramasse_miettes():
        assert not gc.isenabled()
        raise RuntimeError
    assert gc.isenabled()
    gc.disable()
    try:
        with sans_ramasse_miettes():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
