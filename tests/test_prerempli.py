"""Next year's dossiers (`campaign template --depuis`, issue 25): one per operator of the
shipped campagne, the unchanging fields filled, the yearly ones empty, the new year's
thresholds, same inputs same bytes, last year's files untouched, the list to mail them, a
formula typed by an operator written as text, and the program's reader taking them back."""

from __future__ import annotations

import contextlib
import csv
import hashlib
import re
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
from chemins import LIVREE, RACINE, copier_campagne_toml_livree

from campaign.cli import main
from campaign.dossier_vierge.prerempli import COLLECTIF_REPRIS, LISTE, PORTEUR_NON_REPRIS
from campaign.formulaire import COLLECTIFS, PORTEUR, PROJET
from campaign.run import pipeline

ANNEE = "2027-2028"
BUDGET_VIDE = "BUDGET-VIDE"  # the charges add up to 0
ANNUELS = {c.cle for c in COLLECTIFS} - set(COLLECTIF_REPRIS)


def _etat(dossier: Path) -> dict[str, tuple[str, int]]:
    return {
        str(p.relative_to(dossier)): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
        for p in sorted(dossier.rglob("*"))
        if p.is_file()
    }


def _template(tmp: Path, depuis: Path, out: Path) -> int:
    with contextlib.chdir(tmp):  # no inputs/2027-2028 here: last year's Caf settings
        return main(["template", "--annee", ANNEE, "--depuis", str(depuis), "--out", str(out)])


def _lu(dossier: Path):
    lectures = pipeline.lire(dossier)
    return pipeline.valider(lectures)


def _valeurs(tables, feuille: str, fichier: str) -> list[dict]:
    v = tables[feuille].valeurs
    return v[v["fichier"] == fichier].sort_values("position").to_dict("records")


@pytest.fixture(scope="module")
def ecrit(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("prerempli")
    avant = _etat(LIVREE)
    assert _template(tmp, LIVREE, tmp / "a") == 0
    assert _template(tmp, LIVREE, tmp / "b") == 0
    return tmp, avant


@pytest.fixture(scope="module")
def liste(ecrit) -> list[dict]:
    with (ecrit[0] / "a" / LISTE).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def relus(ecrit):
    """Last year's tables and the pre-filled dossiers read back by the program's reader."""
    return _lu(LIVREE), _lu(ecrit[0] / "a")


def test_last_years_files_are_read_never_written(ecrit):
    assert _etat(LIVREE) == ecrit[1]


def test_same_inputs_same_bytes(ecrit):
    tmp = ecrit[0]
    assert _etat(tmp / "a").keys() == _etat(tmp / "b").keys()
    for nom in _etat(tmp / "a"):
        assert (tmp / "a" / nom).read_bytes() == (tmp / "b" / nom).read_bytes(), nom


def test_one_dossier_per_operator_and_the_list_to_mail_them(ecrit, liste, relus):
    (tables, _, etats), _ = relus
    sirets = tables["Porteur"].valeurs.set_index("fichier")["siret"]
    repris = [f for f, s in etats.items() if s in ("TRAITE", "INCOMPLET")]
    assert len(liste) == len({sirets[f] for f in repris}) == len(repris) - 1  # one DOUBLON-SIRET
    assert sorted(p.name for p in (ecrit[0] / "a").glob("*.xlsx")) == sorted(r["classeur"] for r in liste)
    for r in liste:
        assert r["classeur"].startswith(r["siret"] + "-")
        assert r["courriel"] == str(
            tables["Porteur"].valeurs.set_index("fichier").at[r["dossier_precedent"], "contact_courriel"]
        )
    doublon = next(r for r in liste if r["remarque"])
    assert doublon["dossier_precedent"] == "defaut_siret_doublon_b.xlsx"
    assert "defaut_siret_doublon_a.xlsx" in doublon["remarque"]


def test_the_unchanging_fields_filled_and_the_yearly_ones_empty(liste, relus):
    (avant, anomalies_avant, etats), (apres, anomalies, _) = relus
    for r in liste:
        source, classeur = r["dossier_precedent"], r["classeur"]
        if etats[source] != "TRAITE":
            continue
        (p0,), (p1,) = _valeurs(avant, "Porteur", source), _valeurs(apres, "Porteur", classeur)
        for c in PORTEUR:
            if c.cle in PORTEUR_NON_REPRIS:
                assert p1[c.cle] is None or p1[c.cle] != p1[c.cle], (classeur, c.cle)  # None or NA
            elif c.cle == "premiere_demande":
                assert p1[c.cle] is False
            else:
                assert str(p1[c.cle]) == str(p0[c.cle]), (classeur, c.cle)
        (j0,), (j1,) = _valeurs(avant, "Projet", source), _valeurs(apres, "Projet", classeur)
        assert {c.cle: j1[c.cle] for c in PROJET} == {c.cle: j0[c.cle] for c in PROJET}
        c0, c1 = _valeurs(avant, "Collectifs", source), _valeurs(apres, "Collectifs", classeur)
        assert [{k: x[k] for k in COLLECTIF_REPRIS} for x in c1] == [
            {k: x[k] for k in COLLECTIF_REPRIS} for x in c0
        ]
        (b1,) = _valeurs(apres, "Budget", classeur)
        assert not any(b1[k] for k in b1 if k not in ("fichier", "position"))
        # the only new anomalies: the yearly fields left empty, and the empty budget
        deja = {(a.code, a.cellule) for a in anomalies_avant if a.fichier == source}
        for a in (a for a in anomalies if a.fichier == classeur and (a.code, a.cellule) not in deja):
            assert a.code in ("VALEUR-MANQUANTE", BUDGET_VIDE), (classeur, a)
            if a.code == "VALEUR-MANQUANTE":
                cle = next(c.cle for c in PORTEUR + COLLECTIFS if c.libelle == a.champ)
                assert cle in ANNUELS | set(PORTEUR_NON_REPRIS), (classeur, a)


def test_the_new_years_thresholds_and_dates(ecrit, liste):
    wb = openpyxl.load_workbook(ecrit[0] / "a" / liste[0]["classeur"])
    mode = " ".join(str(c.value) for c in wb["Mode d'emploi"]["A"] if c.value)
    assert f"année scolaire {ANNEE}" in mode
    assert "du 08/11/2027 au 15/06/2028" in mode  # the new year's default calendar
    assert "2026" not in mode.replace("votre dossier 2026-2027", "")
    assert "prérempli" in mode
    assert wb.properties.title == f"Dossier CLAS {ANNEE}"


def test_a_formula_typed_by_an_operator_is_written_as_text(tmp_path):
    depuis = tmp_path / "2026-2027"
    depuis.mkdir()
    copier_campagne_toml_livree(depuis)
    wb = openpyxl.load_workbook(LIVREE / "dossier_001_centre_social_coluche.xlsx")
    hostile = '=HYPERLINK("http://exemple.invalid/x","cliquez")'
    ligne = next(c.row for c in wb["Porteur"]["A"] if c.value == "Nom de la structure")
    for cell, texte in ((wb["Porteur"].cell(ligne, 2), hostile), (wb["Collectifs"].cell(2, 2), "=1+1")):
        cell.value, cell.data_type = texte, "s"  # a text cell that reads like a formula
    wb["Porteur"].cell(ligne + 1, 2).value = "=[1]Feuil1!A1"  # a real formula, external: read, never copied
    wb.save(depuis / "hostile.xlsx")
    assert _template(tmp_path, depuis, tmp_path / "out") == 0
    (sortie,) = (tmp_path / "out").glob("*.xlsx")
    with zipfile.ZipFile(sortie) as z:
        feuilles = {n: z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/sheet")}
        assert not any("externalLink" in n or "vbaProject" in n for n in z.namelist())
    formules = [f for texte in feuilles.values() for f in re.findall(r"<f>(.*?)</f>", texte)]
    assert formules and not any("HYPERLINK" in f or "Feuil1" in f or f == "1+1" for f in formules)
    assert any("HYPERLINK" in texte for texte in feuilles.values())  # there, as text
    relu = openpyxl.load_workbook(sortie)
    cell = relu["Porteur"].cell(ligne, 2)
    assert (cell.value, cell.data_type) == (hostile, "s")
    assert (relu["Collectifs"].cell(2, 2).value, relu["Collectifs"].cell(2, 2).data_type) == ("=1+1", "s")
    assert relu["Porteur"].cell(ligne + 1, 2).value is None  # no cached value: nothing read
    tables, _, _ = _lu(tmp_path / "out")  # and the reader takes the text back as text
    assert tables["Porteur"].valeurs.at[0, "nom"] == hostile


def test_the_output_never_goes_into_last_years_folder(tmp_path, capsys):
    depuis = tmp_path / "2026-2027"
    depuis.mkdir()
    copier_campagne_toml_livree(depuis)
    avant = _etat(depuis)
    assert _template(tmp_path, depuis, depuis / "suivante") == 2
    assert "jamais écrits" in capsys.readouterr().err
    assert _etat(depuis) == avant and not (depuis / "suivante").exists()


def test_make_template_with_and_without_depuis():
    def commande(*variables: str) -> str:
        sortie = subprocess.run(
            ["make", "-n", "-s", "template", *variables],
            cwd=RACINE,
            capture_output=True,
            text=True,
            check=True,
        )
        return sortie.stdout.strip().splitlines()[-1]

    assert commande().endswith(
        "campaign template --annee 2026-2027 --out outputs/dossier_clas_2026-2027.xlsx"
    )
    assert commande("ANNEE=2027-2028", "DEPUIS=inputs/2026-2027").endswith(
        "campaign template --annee 2027-2028 --depuis inputs/2026-2027 --out outputs/dossiers_clas_2027-2028"
    )
