"""The sheet Enveloppe of synthese.xlsx (arbitrage.md §1): the envelope, the total and the
margin on every run; over the envelope, each mode's figures are those the run gives when that
mode is chosen in campagne.toml (decisions_finales.csv, decisions.csv, manifest.json).

The shipped demo campagne, its envelope lowered below its total, run end to end without letters.
"""

from __future__ import annotations

import csv
import dataclasses
import json
import re
import shutil
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from chemins import EXEMPLE, LIVREE, retirer_tables

from campaign.cli import main
from campaign.decider.arbitrage import MODES
from campaign.ecrire.synthese import enveloppe as e
from campaign.ecrire.synthese.classeur import ONGLETS, ecrire_synthese
from campaign.lire.campagne import charger_campagne
from campaign.run import pipeline

ENVELOPPE = "250000.00"  # below the demo's total (285 320,01 €): every mode reduces


def _executer(dossier: Path, out: Path) -> Path:
    assert main(["run", str(dossier), "--out", str(out), "--sans-courriers"]) in (0, 1)  # 1: incomplets
    return out


def _centimes(valeur) -> int:
    return round(Decimal(str(valeur)) * 100)


def _par_fichier(chemin: Path) -> dict[str, int]:
    """A decisions CSV's total per fichier, in cents."""
    totaux: dict[str, int] = defaultdict(int)
    with chemin.open(encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            totaux[r["fichier"]] += _centimes(r["total"])
    return dict(totaux)


@dataclasses.dataclass
class Lue:
    """The sheet read back: the bilan (label -> value), each mode's block (label -> (value,
    name)) and title, its list of reduced dossiers, and the printed layout."""

    bilan: dict = dataclasses.field(default_factory=dict)
    blocs: dict = dataclasses.field(default_factory=lambda: defaultdict(dict))
    titres: dict = dataclasses.field(default_factory=dict)
    listes: dict = dataclasses.field(default_factory=lambda: defaultdict(list))
    textes: list = dataclasses.field(default_factory=list)
    haut: list = dataclasses.field(default_factory=list)  # above the bilan: the texts, in order
    entete: int | None = None
    ws: object = None


def _mode(texte: str) -> str | None:
    return next(
        (
            code
            for code, m in MODES.items()
            if texte == m.libelle or texte.startswith((f"{m.libelle} —", f"{m.libelle} :"))
        ),
        None,
    )


def _lire(chemin: Path) -> Lue:
    ws = openpyxl.load_workbook(chemin)["Enveloppe"]
    lue, partie, mode = Lue(ws=ws), "haut", None
    for n, (a, b, c, d, pct, fichier) in enumerate(ws.iter_rows(max_col=6, values_only=True), start=1):
        if partie == "haut":
            lue.haut += [t for t in (a, b) if isinstance(t, str)]
        if not isinstance(a, str):
            continue
        lue.textes.append(a)
        if a == "L'enveloppe et le total retenu":
            partie = "bilan"
        elif a == e.TITRE_LISTES:
            partie = "listes"
        elif partie == "listes" and a == "Porteur":
            lue.entete = n
        elif partie != "haut" and _mode(a):
            mode = _mode(a)
            if partie == "listes":
                lue.titres[mode, "liste"] = a
            else:
                partie, lue.titres[mode] = "bloc", a
        elif partie == "bilan":
            lue.bilan[a] = b
        elif partie == "bloc":
            lue.blocs[mode][a] = (b, c)
        elif partie == "listes":
            lue.listes[mode].append((a, _centimes(b), _centimes(c), _centimes(d), pct, fichier))
    return lue


@pytest.fixture(scope="module")
def depasse(tmp_path_factory) -> tuple[Path, Lue]:
    """The demo campagne over its envelope, no mode chosen: its folder and its sheet."""
    dossier = tmp_path_factory.mktemp("depasse") / "campagne"
    shutil.copytree(LIVREE, dossier)
    toml = dossier / "campagne.toml"
    texte, n = re.subn(r"(?m)^enveloppe = .*$", f"enveloppe = {ENVELOPPE}", toml.read_text(encoding="utf-8"))
    assert n == 1
    toml.write_text(texte, encoding="utf-8")
    retirer_tables(toml, "arbitrage")  # the demo's mode: each test chooses its own
    out = _executer(dossier, dossier.parent / "sortie")
    return dossier, _lire(out / "synthese.xlsx")


def test_enveloppe_total_et_depassement(depasse):
    dossier, lue = depasse
    propose = sum(_par_fichier(dossier.parent / "sortie" / "decisions.csv").values())
    assert _centimes(lue.bilan["Enveloppe de la campagne"]) == 25_000_000
    assert _centimes(lue.bilan["Total proposé"]) == propose
    assert _centimes(lue.bilan["Dépassement de l'enveloppe"]) == propose - 25_000_000 > 0
    assert "Reste disponible sur l'enveloppe" not in lue.bilan
    assert any("rien n'est réduit" in t for t in lue.textes)
    assert set(lue.titres) == {*MODES, *((m, "liste") for m in MODES)}
    assert not any(e.APPLIQUE in t for t in lue.titres.values())  # no mode chosen
    haut = " ".join(lue.haut)  # the sentences at the top, their lines joined
    for code, m in MODES.items():  # what each mode does, in words, and its key
        assert f'{m.libelle} {m.regle[:1].upper()}{m.regle[1:]} (mode = "{code}").' in haut, code
    assert "la section [arbitrage] du fichier campagne.toml" in haut


def test_impression_entete_des_listes_repete(depasse):
    _, lue = depasse
    ws = lue.ws
    assert lue.entete and ws.print_title_rows == f"${lue.entete}:${lue.entete}"
    assert ws.page_setup.orientation == "landscape" and ws.sheet_properties.pageSetUpPr.fitToPage
    # a page break above the lists' title, and above each mode's list after the first
    debuts = {b.id + 1 for b in ws.row_breaks.brk}
    titres = [n for n in range(1, ws.max_row + 1) if ws.cell(n, 1).value in lue.titres.values()]
    listes = [n for n in titres if n > lue.entete]
    assert len(listes) == len(MODES) and debuts == {lue.entete - 1, *listes[1:]}


@pytest.mark.parametrize("code", list(MODES))
def test_chiffres_du_mode_egaux_a_son_execution(depasse, tmp_path, code):
    dossier, lue = depasse
    bloc, liste = lue.blocs[code], lue.listes[code]
    choisi = tmp_path / "campagne"
    shutil.copytree(dossier, choisi)
    with (choisi / "campagne.toml").open("a", encoding="utf-8") as f:
        f.write(f'\n[arbitrage]\nmode = "{code}"\n')
    out = _executer(choisi, tmp_path / "sortie")
    avant, apres = _par_fichier(out / "decisions.csv"), _par_fichier(out / "decisions_finales.csv")
    arbitrage = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["arbitrage"]

    total_apres = _centimes(bloc[e.TOTAL_APRES][0])
    assert total_apres == sum(apres.values()) == arbitrage["total_apres_centimes"] <= 25_000_000
    assert arbitrage["applique"] and arbitrage["mode"] == code
    assert bloc[e.REDUITS][0] == len(liste) == arbitrage["dossiers_reduits"] > 0
    if code == "plafond_porteur":
        assert _centimes(bloc[e.PLAFOND][0]) == arbitrage["plafond_centimes"]
        assert e.COEFFICIENT not in bloc
    else:
        pourcent = f"{Decimal(str(bloc[e.COEFFICIENT][0])) * 100:.2f}".replace(".", ",") + "\u00a0%"
        assert pourcent == arbitrage["coefficient_pourcent"]
        assert e.PLAFOND not in bloc
    for nom, total_avant, total_apres_dossier, ecart, part, fichier in liste:
        assert (total_avant, total_apres_dossier) == (avant[fichier], apres[fichier]), fichier
        assert ecart == total_avant - total_apres_dossier > 0
        assert part == pytest.approx(ecart / total_avant)
        assert nom and nom != fichier  # the operator's name, from dossiers.csv
    reduits = {f for f in avant if apres.get(f, 0) < avant[f]}
    assert {r[5] for r in liste} == reduits  # every dossier reduced, none other
    ecarts = [r[3] for r in liste]
    assert ecarts == sorted(ecarts, reverse=True)  # largest reduction first
    assert (_centimes(bloc[e.PLUS_FORTE_EUROS][0]), bloc[e.PLUS_FORTE_EUROS][1]) == (liste[0][3], liste[0][0])
    assert bloc[e.PLUS_FORTE_PART][0] == pytest.approx(max(r[4] for r in liste))

    applique = _lire(out / "synthese.xlsx")  # the run that applied it says so
    assert applique.titres[code].endswith(e.APPLIQUE)
    assert _centimes(applique.bilan["Total après arbitrage"]) == total_apres
    assert _centimes(applique.bilan["Total proposé, avant arbitrage"]) == sum(avant.values())
    assert applique.blocs[code] == bloc and applique.listes[code] == liste  # the same scenario
    # decisions.csv stays the rules' proposition, byte for byte; every reduced collectif says it
    assert (out / "decisions.csv").read_bytes() == (dossier.parent / "sortie" / "decisions.csv").read_bytes()
    with (out / "decisions_finales.csv").open(encoding="utf-8", newline="") as f:
        finales = list(csv.DictReader(f))
    with (out / "decisions.csv").open(encoding="utf-8", newline="") as f:
        proposees = {(r["fichier"], r["code_collectif"]): r for r in csv.DictReader(f)}
    for r in finales:
        baisse = _centimes(r["total"]) < _centimes(proposees[(r["fichier"], r["code_collectif"])]["total"])
        assert ("F-ENVELOPPE" in r["avertissements"].split("|")) == baisse, r
    if code != "plafond_porteur":
        assert total_apres == 25_000_000  # a prorata reaches the envelope to the cent


def test_apres_une_seance_le_total_projete(depasse, tmp_path):
    """After a session the retained total is the projected one, named as the Synthèse names it."""
    dossier, _ = depasse
    seance = tmp_path / "campagne"
    shutil.copytree(dossier, seance)
    with (seance / "campagne.toml").open("a", encoding="utf-8") as f:  # the demo's session file
        f.write('\n[[comite]]\ndate = 2027-01-20\navis = "comite/avis-2027-01-20.xlsx"\n')
        f.write('\n[arbitrage]\nmode = "prorata"\n')
    out = _executer(seance, tmp_path / "sortie")
    arbitrage = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["arbitrage"]
    lue = _lire(out / "synthese.xlsx")
    projete = _centimes(lue.bilan["Total projeté (décisions et propositions), avant arbitrage"])
    assert projete == arbitrage["total_retenu_centimes"] != sum(_par_fichier(out / "decisions.csv").values())
    assert _centimes(lue.bilan["Total après arbitrage"]) == arbitrage["total_apres_centimes"]
    assert not any(t.startswith("Total proposé") for t in lue.bilan)


def test_dans_l_enveloppe_ni_mode_ni_liste(tmp_path):
    dossier = tmp_path / "campagne"  # the demo with an envelope above its requests
    shutil.copytree(LIVREE, dossier)
    toml = dossier / "campagne.toml"
    texte = re.sub(r"(?m)^enveloppe = .*$", "enveloppe = 300000.00", toml.read_text(encoding="utf-8"))
    toml.write_text(texte, encoding="utf-8")
    retirer_tables(toml, "arbitrage")
    out = _executer(dossier, tmp_path / "sortie")
    lue = _lire(out / "synthese.xlsx")
    propose = sum(_par_fichier(out / "decisions.csv").values())
    enveloppe = _centimes(lue.bilan["Enveloppe de la campagne"])
    assert enveloppe == int(charger_campagne(dossier).enveloppe * 100) > propose
    assert _centimes(lue.bilan["Total proposé"]) == propose
    assert _centimes(lue.bilan["Reste disponible sur l'enveloppe"]) == enveloppe - propose
    assert "Dépassement de l'enveloppe" not in lue.bilan
    assert not lue.titres and not lue.blocs and not lue.listes and lue.entete is None
    assert any("tient dans l'enveloppe" in t for t in lue.textes)
    assert lue.ws.print_title_rows  # printable as the other sheets


def _resultat(dossier: Path):
    lectures = pipeline.lire(dossier)
    tables, anomalies, etats = pipeline.valider(lectures)
    return pipeline.decider(charger_campagne(dossier), lectures, tables, anomalies, etats)


def test_sans_arbitrage_une_phrase_et_des_octets_reproductibles(tmp_path):
    resultat = _resultat(EXEMPLE)
    assert ONGLETS[:2] == ("Synthèse", "Enveloppe")
    sans = dataclasses.replace(resultat, comite=dataclasses.replace(resultat.comite, arbitrage=None))
    ecrire_synthese(sans, tmp_path / "sans.xlsx")
    lignes = list(openpyxl.load_workbook(tmp_path / "sans.xlsx")["Enveloppe"].values)
    assert len(lignes) == 2 and lignes[1][0].startswith("Aucune enveloppe")
    ecrire_synthese(resultat, tmp_path / "a.xlsx")
    ecrire_synthese(resultat, tmp_path / "b.xlsx")
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()
