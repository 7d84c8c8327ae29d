"""`run` never removes a file it did not write (issue 23): an output folder holding the user's
files is left as it is, exit 2, the strangers named; what `run` and `envoyer` wrote is replaced."""

from __future__ import annotations

import os
import shutil

import pytest
from ensembles import complet, etat

from campaign.cli import main
from campaign.run import sortie as dossier_sortie


def _run(campagne, out) -> int:
    return main(["run", str(campagne), "--out", str(out), "--sans-courriers"])


def _refuse(campagne, out, tmp_path, capsys, *etrangers: str) -> str:
    (campagne / "nouveau.txt").write_text("un changement : un run complet serait fait")
    avant = etat(tmp_path)
    assert _run(campagne, out) == 2
    err = capsys.readouterr().err
    assert err.startswith("Erreur : ") and err.count("\n") == 1 and "interne" not in err
    assert "n'y a pas écrits" in err and "rien n'a été touché" in err
    for nom in etrangers:
        assert f"« {nom} »" in err
    assert etat(tmp_path) == avant  # nothing moved, nothing written, nothing removed
    return err


@pytest.mark.parametrize("ou", ["racine", "courriers"])
def test_des_notes_dans_le_dossier_lie_ne_sont_jamais_supprimees(tmp_path, campagne, capsys, ou):
    out = tmp_path / "sortie"
    assert _run(campagne, out) == 1
    assert out.is_symlink()
    chemin = out / "mes_notes.txt" if ou == "racine" else out / "comite" / "mes_notes.txt"
    chemin.parent.mkdir(exist_ok=True)
    chemin.write_text("mes notes du comité")
    _refuse(campagne, out, tmp_path, capsys, chemin.relative_to(out).as_posix())
    assert chemin.read_text() == "mes notes du comité"


def test_une_copie_du_dossier_de_sortie_avec_des_notes_n_est_pas_remplacee(tmp_path, campagne, capsys):
    """The issue's case: the link replaced by a copy of its folder, mes_notes.txt added."""
    out = tmp_path / "sortie"
    assert _run(campagne, out) == 1
    version = out.resolve()
    out.unlink()
    shutil.copytree(version, out)
    (out / "mes_notes.txt").write_text("à garder")
    (out / "a_moi.csv").write_text("x")
    err = _refuse(campagne, out, tmp_path, capsys, "mes_notes.txt", "a_moi.csv")
    assert "dossiers.csv" not in err  # the run's own files are not strangers
    assert (out / "mes_notes.txt").read_text() == "à garder"
    (out / "mes_notes.txt").unlink()
    (out / "a_moi.csv").unlink()
    assert _run(campagne, out) == 1  # once moved away: replaced as before
    assert out.is_symlink() and complet(out)


def test_les_fichiers_du_run_et_les_apercus_d_envoyer_sont_remplaces(tmp_path, campagne):
    """Changed or removed outputs, links and empty folders, and envoyer's previews (envoi/) are
    not the user's: the run replaces them."""
    out = tmp_path / "sortie"
    assert _run(campagne, out) == 1
    (out / "envoi" / "apercu").mkdir(parents=True)
    (out / "envoi" / "apercu" / "12345678900011_asso.eml").write_bytes(b"From: x")
    (out / "envoi" / "a_poster.pdf").write_bytes(b"%PDF")
    (out / "envoi" / "a_poster.csv").write_text("fichier\n")
    (out / "decisions.csv").write_text("modifié à la main")
    (out / "anomalies.csv").unlink()
    (out / "lien").symlink_to(tmp_path)
    (out / "vide").mkdir()
    (campagne / "nouveau.txt").write_text("un changement")
    assert _run(campagne, out) == 1
    assert complet(out) and not (out / "envoi").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == [".cache", ".sortie.v2", "campagne", "sortie"]


def test_un_manifeste_illisible_laisse_reconnaitre_les_fichiers_du_run(tmp_path, campagne, capsys):
    """manifest.json removed: the files at the places a run writes are still the run's, any
    other file still the user's."""
    out = tmp_path / "sortie"
    assert _run(campagne, out) == 1
    (out / "manifest.json").unlink()
    (out / "lettre.docx").write_bytes(b"mon courrier")
    _refuse(campagne, out, tmp_path, capsys, "lettre.docx")
    (out / "lettre.docx").unlink()
    assert _run(campagne, out) == 1 and complet(out)


def test_etrangers_liste_les_fichiers_que_le_manifeste_ne_nomme_pas(tmp_path, campagne):
    out = tmp_path / "sortie"
    assert _run(campagne, out) == 1
    assert dossier_sortie.etrangers(out.resolve()) == []
    (out / "courriers").mkdir(exist_ok=True)
    (out / "courriers" / "lettre_a_moi.pdf").write_bytes(b"%PDF")  # a letter's place, not listed
    os.mkfifo(out / "tube")  # not a file's contents: removing it loses nothing
    assert dossier_sortie.etrangers(out.resolve()) == ["courriers/lettre_a_moi.pdf"]
