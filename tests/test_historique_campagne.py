"""Last year beside this one, end to end (arbitrage.md §3): last year's outputs made by the
program itself from the shipped campagne, then this year's campagne run beside them with a
dossier gone and an operator whose SIRET last year did not have. Every operator of both years
is accounted for in synthese.xlsx: matched (Total N-1, Évolution), « nouveau », or listed
« sans dossier cette année »; the same inputs give the same bytes; a change in last year's
files is noticed by the next run."""

from __future__ import annotations

import csv
import hashlib
import json
import shutil
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from chemins import LIVREE, retirer_tables
from comite_classeur import remplir

from campaign.cli import main

pytestmark = pytest.mark.lent  # make test-rapide leaves it out

RETIRE = "dossier_046_association_rencontres_nord_sud.xlsx"  # funded last year, no dossier now
SIRET_NOUVEAU = "12292002802477"  # Mairie de Montélimar: another SIRET last year
SIRET_ANCIEN = "99999999999999"
SIRET_ILLISIBLE = "69350351802076"  # Association Trait d'Union: no SIRET read last year
CSV = ("dossiers.csv", "decisions.csv", "decisions_finales.csv", "anomalies.csv")


def lignes(chemin: Path) -> list[dict]:
    with chemin.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def centimes(montant: str) -> int:
    return int(Decimal(montant) * 100)


def run(campagne: Path, sortie: Path) -> int:
    return main(["run", str(campagne), "--out", str(sortie), "--sans-courriers"])


def changer_siret(dossier: Path, avant: str, apres: str) -> None:
    """Last year's files, as if the operator had had another SIRET then (or none: '')."""
    for nom in ("dossiers.csv", "decisions.csv", "decisions_finales.csv"):
        chemin = dossier / nom
        chemin.write_bytes(chemin.read_bytes().replace(f",{avant},".encode(), f",{apres},".encode()))


@pytest.fixture(scope="module")
def annees(tmp_path_factory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("historique")
    campagne = base / "2026-2027"
    shutil.copytree(LIVREE, campagne)
    retirer_tables(campagne / "campagne.toml", "historique")  # the demo's: this test makes its own
    assert run(campagne, base / "precedente") == 1  # INCOMPLET and ILLISIBLE files, on purpose
    precedente = (base / "precedente").resolve()  # the version folder the run switched to
    changer_siret(precedente, SIRET_NOUVEAU, SIRET_ANCIEN)
    changer_siret(precedente, SIRET_ILLISIBLE, "")
    # last year's outputs say so (a campagne's own outputs are refused as its last year)
    manifest = precedente / "manifest.json"
    manifest.write_text(
        manifest.read_text(encoding="utf-8").replace('"2026-2027"', '"2025-2026"'), encoding="utf-8"
    )
    (campagne / RETIRE).unlink()
    with (campagne / "campagne.toml").open("a", encoding="utf-8") as f:
        f.write('\n[historique]\nprecedente = "../precedente"\n')
    assert run(campagne, base / "s1") == 1
    assert run(campagne, base / "s2") == 1
    return {
        "base": base,
        "campagne": campagne,
        "precedente": precedente,
        "s1": base / "s1",
        "s2": base / "s2",
    }


def _feuille(synthese: Path, nom: str) -> tuple[list[str], list[tuple]]:
    ws = openpyxl.load_workbook(synthese)[nom]
    rangs = list(ws.iter_rows(values_only=True))
    return list(rangs[0]), [r for r in rangs[1:] if any(v is not None for v in r)]


def _n1(precedente: Path) -> dict[str, int]:
    """SIRET -> last year's total, computed here from the CSVs (no session: decisions.csv)."""
    totaux: dict[str, int] = {}
    for r in lignes(precedente / "dossiers.csv"):
        if r["siret"]:
            totaux.setdefault(r["siret"], 0)
    for r in lignes(precedente / "decisions.csv"):
        if r["siret"]:
            totaux[r["siret"]] += centimes(r["total"])
    return totaux


def _projetes(sortie: Path) -> dict[str, int]:
    """SIRET -> this year's projected total of its TRAITE dossiers."""
    sirets = {r["fichier"]: r["siret"] for r in lignes(sortie / "dossiers.csv") if r["statut"] == "TRAITE"}
    totaux: dict[str, int] = {}
    for r in lignes(sortie / "decisions_finales.csv"):
        totaux[sirets[r["fichier"]]] = totaux.get(sirets[r["fichier"]], 0) + centimes(r["total"])
    return totaux


def test_chaque_porteur_des_deux_annees_est_compte(annees):
    n1, projetes = _n1(annees["precedente"]), _projetes(annees["s1"])
    entetes, rangs = _feuille(annees["s1"] / "synthese.xlsx", "Porteurs")
    col = {titre: j for j, titre in enumerate(entetes)}
    assert entetes.index("Total N-1") + 3 == entetes.index("Total final")  # just before it
    vus, nouveaux = set(), []
    for r in rangs:
        siret = r[col["SIRET"]]
        total, evolution, taux = r[col["Total N-1"]], r[col["Évolution"]], r[col["Évolution (%)"]]
        if siret in vus:  # an operator's figures on its first row only
            assert (total, evolution, taux) == (None, None, None)
            continue
        vus.add(siret)
        if siret not in n1:
            assert (total, evolution, taux) == (None, "nouveau", None)
            nouveaux.append(siret)
            continue
        assert round(total * 100) == n1[siret]
        if siret not in projetes:  # INCOMPLET this year: nothing decided to compare
            assert (evolution, taux) == (None, None)
            continue
        assert round(evolution * 100) == projetes[siret] - n1[siret]
        if n1[siret]:
            assert taux == pytest.approx((projetes[siret] - n1[siret]) / n1[siret])
        else:
            assert taux is None
    assert sorted(nouveaux) == sorted([SIRET_NOUVEAU, SIRET_ILLISIBLE])
    # every operator funded last year: with a dossier this year, or listed on the Synthèse sheet
    absents = {s: t for s, t in n1.items() if t and s not in vus}
    noms = {r["siret"]: r["nom"] for r in lignes(annees["precedente"] / "dossiers.csv")}
    assert sorted(noms[s] for s in absents) == [
        "Association Rencontres Nord-Sud",
        "Mairie de Montélimar – service enfance",
    ]
    synthese = openpyxl.load_workbook(annees["s1"] / "synthese.xlsx")["Synthèse"]
    cellules = [[c.value for c in rang] for rang in synthese.iter_rows(max_col=3)]
    (titre,) = [
        i for i, r in enumerate(cellules) if r[0] == "Financés l'an dernier, sans dossier cette année"
    ]
    listes = {r[0]: round(r[1] * 100) for r in cellules[titre + 1 : titre + 1 + len(absents)]}
    assert listes == {noms[s]: t for s, t in absents.items()}
    compte = {r[0]: r[1:] for r in cellules if r[0]}
    assert compte["dont sans dossier cette année (ci-dessous)"][0] == 2
    assert compte["Nouveaux porteurs (absents l'an dernier)"][0] == 2
    assert compte["Porteurs financés l'an dernier"][0] == sum(1 for t in n1.values() if t)
    # last year's funded dossier without a SIRET: not matched, counted with its amount
    sans_siret = sum(
        centimes(r["total"]) for r in lignes(annees["precedente"] / "decisions.csv") if not r["siret"]
    )
    n, total = compte["Dossiers financés sans SIRET (non rapprochés)"]
    assert (n, round(total * 100)) == (1, sans_siret) and sans_siret > 0


def test_la_feuille_collectifs_une_fois_par_porteur(annees):
    n1 = _n1(annees["precedente"])
    entetes, rangs = _feuille(annees["s1"] / "synthese.xlsx", "Collectifs")
    col = {titre: j for j, titre in enumerate(entetes)}
    assert entetes.index("Évolution (%)") + 1 == entetes.index("Décision finale")
    premiers: dict[str, float | None] = {}
    for r in rangs:
        siret, total = r[col["SIRET"]], r[col["Total N-1"]]
        if siret in premiers:
            assert total is None and r[col["Évolution"]] is None
        else:
            premiers[siret] = total
    # summed in Excel, the column gives each operator's total N-1 once
    assert sum(round(t * 100) for t in premiers.values() if t is not None) == sum(
        n1.get(s, 0) for s in premiers
    )
    assert premiers[SIRET_NOUVEAU] is None


def test_memes_entrees_memes_octets(annees):
    for nom in ("synthese.xlsx", *CSV):
        assert (annees["s1"] / nom).read_bytes() == (annees["s2"] / nom).read_bytes(), nom
    m1, m2 = (json.loads((annees[s] / "manifest.json").read_text(encoding="utf-8")) for s in ("s1", "s2"))
    assert m1["historique"] == m2["historique"]
    assert m1["historique"]["source"] == "decisions.csv"
    assert 'precedente = "../precedente"' in m1["campagne_toml"]  # the folder, as written
    assert str(annees["base"]) not in json.dumps(m1)  # no absolute path: the same bytes anywhere
    assert m1["historique"]["fichiers"] == {
        nom: hashlib.sha256((annees["precedente"] / nom).read_bytes()).hexdigest()
        for nom in ("decisions.csv", "decisions_finales.csv", "dossiers.csv")
    }


def test_sans_historique_rien_ne_change(annees):
    entetes, _ = _feuille(annees["base"] / "precedente" / "synthese.xlsx", "Porteurs")
    assert "Total N-1" not in entetes
    manifest = json.loads((annees["base"] / "precedente" / "manifest.json").read_text(encoding="utf-8"))
    assert "historique" not in manifest


def test_un_fichier_de_l_an_dernier_modifie_est_vu(annees, tmp_path, capsys):
    """The rerun check looks at last year's files too: changed, the run is made again."""
    campagne, precedente = tmp_path / "2026-2027", tmp_path / "precedente"
    shutil.copytree(annees["campagne"], campagne)
    shutil.copytree(annees["precedente"], precedente)
    sortie = tmp_path / "s"
    assert run(campagne, sortie) == 1
    capsys.readouterr()
    assert run(campagne, sortie) == 1
    assert "Rien n'a changé" in capsys.readouterr().out
    decisions = precedente / "decisions.csv"  # one collectif of last year 100.00 € higher
    texte = decisions.read_text(encoding="utf-8").splitlines(keepends=True)
    valeurs = texte[1].rstrip("\r\n").split(",")
    siret, valeurs[-1] = valeurs[1], f"{Decimal(valeurs[-1]) + 100:.2f}"
    decisions.write_text("".join([texte[0], ",".join(valeurs) + "\r\n", *texte[2:]]), encoding="utf-8")
    assert run(campagne, sortie) == 1
    sortie_console = capsys.readouterr().out
    assert "Rien n'a changé" not in sortie_console
    assert "Sorties de la campagne précédente modifiées." in sortie_console
    entetes, rangs = _feuille(sortie / "synthese.xlsx", "Porteurs")
    col = {titre: j for j, titre in enumerate(entetes)}
    (total,) = [
        r[col["Total N-1"]] for r in rangs if r[col["SIRET"]] == siret and r[col["Total N-1"]] is not None
    ]
    assert round(total * 100) == _n1(precedente)[siret]


def test_le_classeur_rempli_par_le_comite_se_relit(annees, tmp_path):
    """The committee fills the workbook with its N-1 columns: its avis are read and applied,
    and the evolution follows the projected total after the session."""
    campagne = tmp_path / "2026-2027"
    shutil.copytree(annees["campagne"], campagne)
    shutil.copytree(annees["precedente"], tmp_path / "precedente")
    collectifs = lignes(annees["s1"] / "decisions.csv")
    refuse = next(r for r in collectifs if r["decision"] == "ACCORD" and r["siret"] != SIRET_NOUVEAU)
    remplir(
        annees["s1"] / "synthese.xlsx",
        campagne / "comite" / "avis-2027-01-20.xlsx",
        {(refuse["fichier"], refuse["code_collectif"]): ("Défavorable", "Projet déjà financé ailleurs")},
    )
    with (campagne / "campagne.toml").open("a", encoding="utf-8") as f:
        f.write('\n[[comite]]\ndate = 2027-01-20\navis = "comite/avis-2027-01-20.xlsx"\n')
    sortie = tmp_path / "s"
    assert run(campagne, sortie) == 1
    (final,) = [
        r
        for r in lignes(sortie / "decisions_finales.csv")
        if (r["fichier"], r["code_collectif"]) == (refuse["fichier"], refuse["code_collectif"])
    ]
    assert (final["avis"], final["decision"]) == ("Défavorable", "REFUS")
    entetes, rangs = _feuille(sortie / "synthese.xlsx", "Porteurs")
    col = {titre: j for j, titre in enumerate(entetes)}
    (evolution,) = [
        r[col["Évolution"]]
        for r in rangs
        if r[col["SIRET"]] == refuse["siret"] and r[col["Total N-1"]] is not None
    ]
    n1 = _n1(annees["precedente"])[refuse["siret"]]
    assert round(evolution * 100) == _projetes(sortie)[refuse["siret"]] - n1
    assert _projetes(sortie)[refuse["siret"]] < _projetes(annees["s1"])[refuse["siret"]]


def test_les_sorties_de_l_an_dernier_dans_le_dossier_de_campagne_ne_sont_pas_un_dossier(tmp_path):
    """The demo keeps last year's outputs beside its dossiers (sorties-2025-2026/): the run reads
    them as last year's, and does not report them as a subfolder it could not read."""
    campagne = tmp_path / "2026-2027"
    shutil.copytree(LIVREE, campagne)
    assert run(campagne, tmp_path / "s") == 1
    anomalies = (tmp_path / "s" / "anomalies.csv").read_text(encoding="utf-8")
    assert "sorties-2025-2026" not in anomalies and "SOUS-DOSSIER" not in anomalies
