"""Bounded work per file (issue 9, defects 5 and 7): any file under 20 MB decided in under
2 s and 300 MB, measured in a child process; bombs made here by streaming deflate."""

from __future__ import annotations

import zipfile

import pytest
from bombes import (
    LIBREOFFICE,
    MO,
    bombe_mensongere,
    cellule_lointaine,
    dimension_lointaine,
    mesurer,
    ods_repetee,
)

SECONDES, MEMOIRE = 2.0, 300
XLSX = LIBREOFFICE / "libreoffice.xlsx"


def _borne(mesure: dict) -> dict:
    assert "erreur" not in mesure, mesure.get("erreur")
    assert mesure["secondes"] < SECONDES and mesure["mo"] < MEMOIRE, mesure
    return mesure


def test_le_dossier_sain_est_lu_dans_les_bornes():
    m = _borne(mesurer(XLSX))
    assert m["statut"] == "LU"


def test_taille_declaree_mensongere_gonflage_arrete_au_budget(tmp_path):
    bombe = bombe_mensongere(XLSX, tmp_path / "bombe.xlsx")
    assert bombe.stat().st_size < 20 * MO
    with zipfile.ZipFile(bombe) as z:
        assert z.getinfo("xl/worksheets/sheet3.xml").file_size == 1024  # the lie
    m = _borne(mesurer(bombe))
    assert m["statut"] == "ILLISIBLE" and m["codes"] == ["ARCHIVE-SUSPECTE"]
    assert "sheet3.xml" in m["messages"][0] and "fichier suspect" in m["messages"][0]


def test_vingt_membres_sous_le_budget_chacun_mais_pas_ensemble(tmp_path):
    cible = tmp_path / "vingt.xlsx"
    with zipfile.ZipFile(XLSX) as zs, zipfile.ZipFile(cible, "w", zipfile.ZIP_DEFLATED) as zc:
        for info in zs.infolist():
            zc.writestr(info.filename, zs.read(info.filename))
        for i in range(20):
            with zc.open(f"xl/media/image{i}.png", "w") as flux:
                for _ in range(7):
                    flux.write(b"\0" * MO)
    m = _borne(mesurer(cible))
    assert m["statut"] == "ILLISIBLE" and m["codes"] == ["ARCHIVE-SUSPECTE"]


@pytest.mark.parametrize("feuilles", [("sheet3",), ("sheet1", "sheet2", "sheet3", "sheet4")])
def test_une_cellule_en_xfd10000(tmp_path, feuilles):
    m = _borne(mesurer(cellule_lointaine(XLSX, tmp_path / "loin.xlsx", "XFD10000", feuilles)))
    assert m["statut"] == "ILLISIBLE" and m["codes"] == ["FEUILLE-TROP-GRANDE"]
    assert "XFD10000" in m["messages"][0] and "supprimez les lignes" in m["messages"][0]


def test_une_cellule_a_la_ligne_cent_mille(tmp_path):
    m = _borne(mesurer(cellule_lointaine(XLSX, tmp_path / "bas.xlsx", "B100000")))
    assert m["codes"] == ["FEUILLE-TROP-GRANDE"] and "B100000" in m["messages"][0]


def test_une_dimension_declaree_immense(tmp_path):
    m = _borne(mesurer(dimension_lointaine(XLSX, tmp_path / "dim.xlsx")))
    assert m["codes"] == ["FEUILLE-TROP-GRANDE"] and "XFD1048576" in m["messages"][0]


def test_ods_de_cellules_repetees(tmp_path):
    cible = ods_repetee(tmp_path / "repete.ods")
    assert cible.stat().st_size < 100 * 1024
    m = _borne(mesurer(cible))
    assert m["statut"] == "ILLISIBLE" and m["codes"] == ["FEUILLE-TROP-GRANDE"]


def test_ods_lignes_repetees_seulement(tmp_path):
    m = _borne(mesurer(ods_repetee(tmp_path / "lignes.ods", colonnes=1, lignes=5_000_000)))
    assert m["codes"] == ["FEUILLE-TROP-GRANDE"]


def test_ods_sain_lu():
    assert _borne(mesurer(LIBREOFFICE / "libreoffice.ods"))["statut"] == "LU"


def test_le_classeur_du_comite_a_droit_a_plus_de_lignes(tmp_path):
    """The committee's workbook lists every collectif of the campagne: 1,500 rows are fine
    there (lire.comite), not in a dossier."""
    from campaign.lire.archive import ArchiveRefusee
    from campaign.lire.classeur import ouvrir
    from campaign.lire.comite import LIGNES_COMITE

    contenu = cellule_lointaine(XLSX, tmp_path / "long.xlsx", "B1500").read_bytes()
    with pytest.raises(ArchiveRefusee, match="B1500"):
        ouvrir(contenu)
    _, _, brutes = ouvrir(contenu, ("Collectifs",), LIGNES_COMITE)
    assert len(brutes["Collectifs"]) == 1500
