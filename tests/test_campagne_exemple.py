"""End to end on the contract's example folder, and the run's promises (exit codes,
nothing written on a bad start, identical reruns, every file listed)."""

import csv
import shutil
import zipfile
from pathlib import Path

import pytest
from chemins import ATTENDU, EXEMPLE

from campaign.cli import main


def lignes(chemin: Path) -> list[dict]:
    with chemin.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def sortie(tmp_path_factory):
    out = tmp_path_factory.mktemp("sortie") / "2026-2027"
    code = main(["run", str(EXEMPLE), "--out", str(out), "--sans-courriers"])
    return code, out


def test_decisions_conformes_au_contrat(sortie):
    code, out = sortie
    assert code == 1  # some dossiers are INCOMPLET or ILLISIBLE
    assert lignes(out / "decisions.csv") == lignes(ATTENDU / "decisions.csv")


def test_dossiers_conformes_au_contrat(sortie):
    _, out = sortie
    attendu = lignes(ATTENDU / "dossiers.csv")
    obtenu = {r["fichier"]: r for r in lignes(out / "dossiers.csv")}
    assert set(obtenu) == {r["fichier"] for r in attendu}  # every file, nothing more
    for r in attendu:
        assert {k: obtenu[r["fichier"]][k] for k in r} == r
    noms = [r["fichier"] for r in lignes(out / "dossiers.csv")]
    assert noms == sorted(noms)


def test_anomalies_du_contrat(sortie):
    _, out = sortie
    anomalies = {(a["fichier"], a["feuille"], a["cellule"], a["code"]) for a in lignes(out / "anomalies.csv")}
    assert {
        ("dates_fausses_26726082351230.xlsx", "Collectifs", "F2", "ENTIER-INVALIDE"),
        ("dates_fausses_26726082351230.xlsx", "Collectifs", "N2", "DATE-INVALIDE"),
        ("sans_budget_70989136245908.xlsx", "Budget", "", "FEUILLE-MANQUANTE"),
        ("siret_faux.xlsx", "PORTEUR", "B2", "SIRET-INVALIDE"),
        ("doublon_a.xlsx", "Porteur", "B2", "DOUBLON-SIRET"),
        ("doublon_b.xlsx", "PORTEUR", "B2", "DOUBLON-SIRET"),
        ("illisible.xlsx", "", "", "FICHIER-ILLISIBLE"),
        ("tronque.xlsx", "", "", "FICHIER-ILLISIBLE"),
    } <= anomalies


def test_deux_executions_donnent_les_memes_octets(sortie, tmp_path):
    _, out = sortie
    main(["run", str(EXEMPLE), "--out", str(tmp_path / "bis"), "--sans-courriers"])
    for nom in ("dossiers.csv", "decisions.csv", "anomalies.csv", "manifest.json"):
        assert (tmp_path / "bis" / nom).read_bytes() == (out / nom).read_bytes(), nom


def test_manifest(sortie):
    import json

    _, out = sortie
    m = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert m["parametres"]["plafond_ps"] == {
        **m["parametres"]["plafond_ps"],
        "valeur": "2563.00",
        "confirme": False,
    }
    assert m["parametres_non_confirmes"] == ["plafond_ps"]
    assert m["entrees"]["illisible.xlsx"] and len(m["entrees"]) == 18
    assert 'annee = "2026-2027"' in m["campagne_toml"]
    assert m["comptes"]["traite"] == 10 and m["comptes"]["total_centimes"] == 1_594_765


def _campagne(tmp_path: Path) -> Path:
    dossier = tmp_path / "campagne"
    shutil.copytree(EXEMPLE, dossier)
    return dossier


@pytest.mark.parametrize(
    "toml, mot",
    [
        (None, "campagne.toml"),
        ('annee = "2026-2027"\n[caf\n', "TOML"),
        ("annee = 2026\n", "annee"),
        ('annee = "2026-2028"\n', "annee"),
        ("datetime", "regles.date_debut_preconisee"),
        ("seuil", "regles.seuil_part_caf"),
    ],
)
def test_campagne_toml_absent_ou_malforme(tmp_path, capsys, toml, mot):
    dossier = _campagne(tmp_path)
    texte = (dossier / "campagne.toml").read_text(encoding="utf-8")
    (dossier / "campagne.toml").unlink()
    if toml == "datetime":
        toml = texte.replace(
            "date_debut_preconisee = 2026-11-02", "date_debut_preconisee = 2026-11-02T08:00:00"
        )
    elif toml == "seuil":
        toml = texte.replace("seuil_part_caf = 0.80", "seuil_part_caf = 80")
    if toml is not None:
        (dossier / "campagne.toml").write_text(toml, encoding="utf-8")
    out = tmp_path / "sortie"
    assert main(["run", str(dossier), "--out", str(out)]) == 2
    erreur = capsys.readouterr().err.strip()
    assert erreur.startswith("Erreur : ") and mot in erreur and "Traceback" not in erreur
    assert len(erreur.splitlines()) == 1
    assert not out.exists()


def test_cle_manquante_nommee(tmp_path, capsys):
    dossier = _campagne(tmp_path)
    texte = (dossier / "campagne.toml").read_text(encoding="utf-8").replace("acompte = 0.70\n", "")
    (dossier / "campagne.toml").write_text(texte, encoding="utf-8")
    assert main(["run", str(dossier), "--out", str(tmp_path / "s")]) == 2
    assert "budget.acompte" in capsys.readouterr().err


def _bombe(chemin: Path, taille: int = 2 << 30) -> None:
    """A zip bomb: 2 GB of zeros once inflated, ~9 MB on disk."""
    with zipfile.ZipFile(chemin, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            bloc = bytes(64 << 20)
            for _ in range(taille // len(bloc)):
                f.write(bloc)


def test_bombe_zip_refusee_sans_rien_decompresser(tmp_path, monkeypatch):
    dossier = _campagne(tmp_path)
    _bombe(dossier / "bombe.xlsx")
    journal = tmp_path / "ouvertures.txt"  # a file: the workbook is written by a forked process
    vrai_open = zipfile.ZipFile.open

    def open_espion(self, nom, *a, **k):
        info = nom if isinstance(nom, zipfile.ZipInfo) else self.getinfo(nom)
        with journal.open("a", encoding="utf-8") as f:
            f.write(f"{info.file_size}\n")
        return vrai_open(self, nom, *a, **k)

    monkeypatch.setattr(zipfile.ZipFile, "open", open_espion)
    out = tmp_path / "sortie"
    assert main(["run", str(dossier), "--out", str(out), "--sans-courriers"]) == 1
    # the bomb's content was never inflated, the other dossiers were decided
    ouvertures = [int(n) for n in journal.read_text(encoding="utf-8").split()]
    assert ouvertures and max(ouvertures) < 1 << 20
    dossiers = {r["fichier"]: r for r in lignes(out / "dossiers.csv")}
    assert dossiers["bombe.xlsx"]["statut"] == "ILLISIBLE"
    assert dossiers["dossier_005_72991734491593.xlsx"]["statut"] == "TRAITE"
    (a,) = [a for a in lignes(out / "anomalies.csv") if a["fichier"] == "bombe.xlsx"]
    assert a["code"] == "ARCHIVE-SUSPECTE" and "Mo" in a["message"]


def test_fichier_verrou_cache_et_autres_formats_listes(tmp_path):
    dossier = _campagne(tmp_path)
    (dossier / ".DS_Store").write_bytes(b"\0\1")
    (dossier / "lisez-moi.pdf").write_bytes(b"%PDF-1.4")
    out = tmp_path / "sortie"
    main(["run", str(dossier), "--out", str(out), "--sans-courriers"])
    statuts = {r["fichier"]: r["statut"] for r in lignes(out / "dossiers.csv")}
    assert statuts[".DS_Store"] == "IGNORE" and statuts["~$dossier_000.xlsx"] == "IGNORE"
    assert statuts["lisez-moi.pdf"] == "ILLISIBLE"
    assert len(statuts) == len(list(dossier.iterdir())) - 1  # campagne.toml is not listed


def test_sortie_remplacee_en_entier(tmp_path):
    out = tmp_path / "sortie"
    main(["run", str(EXEMPLE), "--out", str(out), "--sans-courriers"])
    (out / "decisions.csv").write_text("périmé")  # a file of the previous set, changed
    (out / "vieux.csv").write_text("périmé")  # a file no run wrote: kept, the run refused (issue 23)
    assert main(["run", str(EXEMPLE), "--out", str(out), "--sans-courriers"]) == 2
    assert (out / "vieux.csv").read_text() == "périmé"
    (out / "vieux.csv").unlink()
    main(["run", str(EXEMPLE), "--out", str(out), "--sans-courriers"])
    assert (out / "decisions.csv").read_text() != "périmé"
    # the output path is a link to the one version left: nothing else aside but the cache
    assert sorted(p.name for p in tmp_path.iterdir()) == [".cache", ".sortie.v2", "sortie"]


def test_erreur_interne_une_phrase_sans_trace_sauf_verbose(tmp_path, capsys, monkeypatch):
    import campaign.run.pipeline

    def panne(*a, **k):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(campaign.run.pipeline, "valider", panne)
    out = tmp_path / "s"
    assert main(["run", str(EXEMPLE), "--out", str(out)]) == 2
    erreur = capsys.readouterr().err
    assert "Erreur interne" in erreur and "Traceback" not in erreur and not out.exists()
    assert main(["run", str(EXEMPLE), "--out", str(out), "--verbose"]) == 2
    assert "Traceback" in capsys.readouterr().err
