"""What an unreadable file is, in the operator's words (dossier.md §7): never a library's or an
exception's name, « mot de passe » only for a protected workbook; a valid .xls is never called
damaged; a workbook holding none of the form's sheets is PAS-UN-DOSSIER; sheets outside the
form are neither read nor bounded, in every format."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from classeurs import ecrire_classeur

from campaign.erreurs import CampaignError
from campaign.lire.comite import lire_comite
from campaign.lire.lecture import lire_fichier
from campaign.lire.seances import Seance

POI = Path(__file__).parents[1] / "fixtures" / "poi"  # Apache POI's test files (LISEZMOI.md)
# a library's or exception's name: by name, or in CamelCase between brackets
BIBLIOTHEQUES = re.compile(
    r"(?i:calamine|zipfile|badzip|error\b|exception|openpyxl|panic)|\([A-Z][a-z]+[A-Z]\w*\)"
)


@pytest.mark.parametrize(
    "nom, statut, code, mots",
    [
        ("1900DateWindowing.xls", "ILLISIBLE", "PAS-UN-DOSSIER", "pas un dossier CLAS"),
        ("testEXCEL_95.xls", "ILLISIBLE", "PAS-UN-DOSSIER", "pas un dossier CLAS"),
        ("xor-encryption-abc.xls", "ILLISIBLE", "FICHIER-PROTEGE", "mot de passe"),
        ("xlmmacro.xlsm", "ILLISIBLE", "FICHIER-ILLISIBLE", "macros Excel 4.0"),
        ("poc-xmlbomb.xlsx", "ILLISIBLE", "ARCHIVE-SUSPECTE", "entités"),
        ("60825.xlsx", "ILLISIBLE", "FICHIER-ILLISIBLE", "endommagé"),
        ("testEXCEL_4.xls", "ILLISIBLE", "FICHIER-ILLISIBLE", "Excel 4"),
    ],
)
def test_chaque_fichier_dit_ce_qu_il_est(nom, statut, code, mots):
    lecture = lire_fichier(POI / nom)
    assert lecture.statut == statut and [a.code for a in lecture.anomalies] == [code], lecture.anomalies
    message = lecture.anomalies[0].message
    assert mots in message and not BIBLIOTHEQUES.search(message), message
    assert ("mot de passe" in message) == (code == "FICHIER-PROTEGE"), message


@pytest.mark.parametrize(
    "octets, mots",
    [
        (b"%PDF-1.7\n", "un document PDF"),
        (b"nom;siret\nasso;123\n", "un fichier texte"),
        (b"<html><table><tr><td>1</td></tr></table></html>", "une page web"),
        (b"PK\x03\x04abime", "endommagé"),
        (b"", "vide"),
    ],
)
def test_ce_qui_n_est_pas_un_classeur(tmp_path, octets, mots):
    (tmp_path / "d.xlsx").write_bytes(octets)
    lecture = lire_fichier(tmp_path / "d.xlsx")
    message = lecture.anomalies[0].message
    assert lecture.statut == "ILLISIBLE" and mots in message and not BIBLIOTHEQUES.search(message), message
    assert "mot de passe" not in message


def test_un_classeur_sans_aucune_feuille_du_formulaire_une_seule_anomalie(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.title = "Communes"
    wb.save(tmp_path / "autre.xlsx")
    lecture = lire_fichier(tmp_path / "autre.xlsx")
    assert [(a.code, a.gravite) for a in lecture.anomalies] == [("PAS-UN-DOSSIER", "BLOQUANT")]
    assert "aucune des feuilles Porteur, Projet, Collectifs, Budget" in lecture.anomalies[0].message


def test_un_fichier_du_comite_lien_symbolique_est_refuse(tmp_path):
    (tmp_path / "comite").mkdir()
    ecrire_classeur(tmp_path / "vrai.xlsx")
    (tmp_path / "comite" / "avis.xlsx").symlink_to(tmp_path / "vrai.xlsx")
    seance = Seance.__new__(Seance)
    object.__setattr__(seance, "avis", "comite/avis.xlsx")
    with pytest.raises(CampaignError, match="lien symbolique"):
        lire_comite(tmp_path, seance)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is needed")
@pytest.mark.parametrize("format_", ["xls", "ods"])
def test_une_feuille_hors_formulaire_n_est_ni_lue_ni_bornee(tmp_path, format_):
    """A 1,500-row « Communes » sheet with a value at IV65536 beside the form: the dossier reads as
    its .xlsx does, and the reader never allocates that sheet."""
    source = ecrire_classeur(tmp_path / "d.xlsx")
    wb = openpyxl.load_workbook(source)
    ws = wb.create_sheet("Communes")
    for i in range(1, 1501):
        ws.cell(i, 1, f"commune {i}")
    ws["IV65536"] = 1
    wb.save(source)
    subprocess.run(
        ["soffice", "--headless", "--convert-to", format_, "--outdir", str(tmp_path / format_), str(source)],
        check=True,
        capture_output=True,
        timeout=180,
    )
    xlsx, autre = lire_fichier(source), lire_fichier(tmp_path / format_ / f"d.{format_}")
    assert autre.statut == "LU" and autre.anomalies == xlsx.anomalies == []
    assert autre.feuilles["Porteur"][0]["siret"][0] == xlsx.feuilles["Porteur"][0]["siret"][0]


BORNES = """
import resource, sys
from pathlib import Path
resource.setrlimit(resource.RLIMIT_AS, (768 * 1024 * 1024, 768 * 1024 * 1024))
resource.setrlimit(resource.RLIMIT_CPU, (60, 60))
from campaign.lire.lecture import lire_fichier
for chemin in sys.argv[1:]:
    print(chemin, lire_fichier(Path(chemin)).statut)
"""


def test_les_fichiers_reels_se_lisent_dans_des_bornes_de_memoire_et_de_calcul():
    """Each real-world file is read within 768 MB of address space and 60 s of CPU (limits set
    on a process of its own, not a measured duration): a file that blew up either is killed."""
    fichiers = sorted(str(p) for p in POI.iterdir() if p.suffix in (".xls", ".xlsx", ".xlsm"))
    assert len(fichiers) == 7
    import sys

    fait = subprocess.run(
        [sys.executable, "-c", BORNES, *fichiers], capture_output=True, text=True, timeout=600
    )
    assert fait.returncode == 0, fait.stderr[-2000:]
    assert [ligne.split()[-1] for ligne in fait.stdout.splitlines()] == ["ILLISIBLE"] * 7
