"""`campaign demo` (`make demo`) never removes a file it did not write (issue 23): it writes
into an empty folder or one it wrote, as its inventory (`.campaign-demo`) lists; anything
else there: exit 2, named, nothing removed."""

from __future__ import annotations

import json
import shutil

import pytest
from chemins import LIVREE
from ensembles import etat

from campaign.cli import main
from campaign.demo.inventaire import INVENTAIRE

pytestmark = pytest.mark.lent  # make test-rapide leaves it out


def _demo(out, dossiers: int = 2) -> int:
    return main(["demo", "--out", str(out), "--dossiers", str(dossiers)])


def _refuse(out, capsys, *noms: str) -> str:
    avant = etat(out)
    assert _demo(out) == 2
    err = capsys.readouterr().err
    assert err.startswith("Erreur : ") and err.count("\n") == 1 and "interne" not in err
    assert "rien n'a été écrit ni supprimé" in err
    for nom in noms:
        assert f"« {nom} »" in err
    assert etat(out) == avant  # nothing written, nothing removed
    return err


def test_un_vrai_dossier_depose_dans_la_campagne_livree_n_est_jamais_supprime(tmp_path, capsys):
    """The issue's case: a real dossier copied into inputs/2026-2027 (the README says to drop
    dossiers there), then `make demo`: its campagne.toml says « démonstration », yet the
    dossier stays, named; the demo's own files are not named."""
    out = tmp_path / "2026-2027"
    shutil.copytree(LIVREE, out)
    shutil.copy(LIVREE / "dossier_001_centre_social_coluche.xlsx", out / "asso_du_quartier.xlsx")
    err = _refuse(out, capsys, "asso_du_quartier.xlsx")
    assert "dossier_001" not in err and "campagne.toml" not in err


def test_la_demo_reecrit_son_dossier_et_seulement_ses_fichiers(tmp_path, capsys):
    out = tmp_path / "demo"
    assert _demo(out, 3) == 0
    inventaire = json.loads((out / INVENTAIRE).read_text(encoding="utf-8"))["fichiers"]
    fichiers = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert sorted(inventaire) == [f for f in fichiers if f != INVENTAIRE]
    assert None not in inventaire.values()
    assert any(f.startswith("comite/") for f in inventaire)
    assert _demo(out, 2) == 0  # its own folder: written again, the third dossier gone
    assert len(list(out.glob("dossier_*.xlsx"))) == 2
    capsys.readouterr()


@pytest.mark.parametrize("cas", ["toml modifié", "journal des envois", "fichier dans comite", "dossier vide"])
def test_ce_que_la_demo_n_a_pas_ecrit_arrete_tout(tmp_path, capsys, cas):
    out = tmp_path / "demo"
    assert _demo(out) == 0
    capsys.readouterr()
    if cas == "toml modifié":  # the README's walk-through adds a [[comite]] block
        with (out / "campagne.toml").open("a", encoding="utf-8") as f:
            f.write('\n[[comite]]\ndate = 2027-01-20\navis = "comite/avis-2027-01-20.xlsx"\n')
        nom = "campagne.toml (modifié depuis la démonstration)"
    elif cas == "journal des envois":
        (out / "envois").mkdir()
        (out / "envois" / "journal.csv").write_text("horodatage,fichier\n")
        nom = "envois/journal.csv"
    elif cas == "fichier dans comite":
        (out / "comite" / "avis-2027-03-10.xlsx").write_bytes(b"l'avis d'une vraie seance")
        nom = "comite/avis-2027-03-10.xlsx"
    else:
        (out / "archives").mkdir()
        nom = "archives/"
    _refuse(out, capsys, nom)


def test_un_inventaire_qui_nomme_un_fichier_hors_du_dossier_n_est_pas_suivi(tmp_path, capsys):
    out = tmp_path / "demo"
    out.mkdir()
    (tmp_path / "dehors.txt").write_text("à garder")
    (out / INVENTAIRE).write_text(json.dumps({"fichiers": {"../dehors.txt": None}}), encoding="utf-8")
    _refuse(out, capsys, INVENTAIRE)
    assert (tmp_path / "dehors.txt").read_text() == "à garder"
