"""What changed since the previous run: the analyst reruns the campagne many times in a
season (a corrected file arrives, a setting is changed, the committee gives its avis) and
wants to see, in a few lines, which inputs changed and which decisions and amounts moved."""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import TypeVar

from campaign import formats

LISTE_MAX = 5  # names shown in one sentence; the rest counted

Ligne = dict[str, str]
K = TypeVar("K")


def _lire(chemin: Path, cle: Callable[[Ligne], K]) -> dict[K, Ligne]:
    if not chemin.is_file():
        return {}
    with chemin.open(encoding="utf-8", newline="") as f:
        return {cle(r): r for r in csv.DictReader(f)}


def _manifest(dossier: Path) -> dict:
    chemin = dossier / "manifest.json"
    return json.loads(chemin.read_text(encoding="utf-8")) if chemin.is_file() else {}


def comparer(avant: Path, apres: Path) -> list[str]:
    """French sentences describing the differences between two output folders."""
    try:
        return _comparer(avant, apres)
    except (KeyError, ValueError, TypeError, ArithmeticError, csv.Error, UnicodeDecodeError):
        return ["Comparaison impossible avec l'exécution précédente (fichiers modifiés à la main)."]


def _noms(elements: list[str]) -> str:
    montres = ", ".join(elements[:LISTE_MAX])
    reste = len(elements) - LISTE_MAX
    return montres + (f" et {formats.pluriel(reste, 'autre')}" if reste > 0 else "")


def _ecart(avant: Decimal, apres: Decimal) -> str:
    ecart = apres - avant
    signe = "+" if ecart > 0 else "−"
    return f"{signe}{formats.euros(abs(int(ecart * 100)))}"


def _comparer(avant: Path, apres: Path) -> list[str]:
    d_avant = _lire(avant / "dossiers.csv", lambda r: r["fichier"])
    if not d_avant:
        return []
    d_apres = _lire(apres / "dossiers.csv", lambda r: r["fichier"])
    phrases = _entrees(_manifest(avant), _manifest(apres))
    fichiers = {
        "nouveau": sorted(set(d_apres) - set(d_avant)),
        "retiré": sorted(set(d_avant) - set(d_apres)),
        "modifié": sorted(
            f for f in set(d_avant) & set(d_apres) if d_avant[f]["sha256"] != d_apres[f]["sha256"]
        ),
    }
    for mot, liste in fichiers.items():
        if liste:
            phrases.append(
                f"{formats.pluriel(len(liste), 'fichier')} "
                f"{mot}{'s' if len(liste) > 1 else ''} : {_noms(liste)}."
            )
    for f in sorted(set(d_avant) & set(d_apres)):
        a, b = d_avant[f], d_apres[f]
        if (a["statut"], a["decision"]) != (b["statut"], b["decision"]):
            phrases.append(f"{f} : {a['decision'] or a['statut']} → {b['decision'] or b['statut']}.")
    phrases += _bascules(avant, apres, "decisions.csv", "de proposition")
    phrases += _bascules(avant, apres, "decisions_finales.csv", "de décision finale")
    total = lambda d, col: sum((Decimal(r.get(col) or "0") for r in d.values()), Decimal(0))  # noqa: E731
    for col, libelle in (("total", "Total proposé"), ("total_final", "Total décidé")):
        if total(d_apres, col) != total(d_avant, col):
            phrases.append(f"{libelle} de la campagne : {_ecart(total(d_avant, col), total(d_apres, col))}.")
    return phrases or ["Aucun changement."]


def _entrees(avant: dict, apres: dict) -> list[str]:
    """The settings and the committee sessions, as the manifests record them."""
    phrases = []
    if avant.get("campagne_toml") not in (None, apres.get("campagne_toml")):
        phrases.append("campagne.toml modifié.")
    seances = lambda m: {s["date"]: s.get("sha256") for s in m.get("comite") or []}  # noqa: E731
    s_avant, s_apres = seances(avant), seances(apres)
    for date in sorted(s_apres.keys() - s_avant.keys()):
        phrases.append(f"Séance du comité du {_jour(date)} prise en compte.")
    for date in sorted(s_avant.keys() - s_apres.keys()):
        phrases.append(f"Séance du comité du {_jour(date)} retirée.")
    for date in sorted(d for d in s_avant.keys() & s_apres.keys() if s_avant[d] != s_apres[d]):
        phrases.append(f"Fichier d'avis du comité du {_jour(date)} modifié.")
    h_avant, h_apres = avant.get("historique"), apres.get("historique")  # arbitrage.md §3
    if h_avant != h_apres:
        quoi = "prises en compte" if h_avant is None else "retirées" if h_apres is None else "modifiées"
        phrases.append(f"Sorties de la campagne précédente {quoi}.")
    return phrases


def _jour(iso: str) -> str:
    return formats.date_longue(dt.date.fromisoformat(iso))


def _bascules(avant: Path, apres: Path, nom: str, quoi: str) -> list[str]:
    def cle(r: Ligne) -> tuple[str, str]:
        return r["fichier"], r["code_collectif"]

    c_avant, c_apres = _lire(avant / nom, cle), _lire(apres / nom, cle)
    if not c_avant:
        return []
    bascules = sorted(
        k for k in set(c_avant) & set(c_apres) if c_avant[k]["decision"] != c_apres[k]["decision"]
    )
    if not bascules:
        return []
    exemples = [f"{f} {c} ({c_avant[f, c]['decision']} → {c_apres[f, c]['decision']})" for f, c in bascules]
    return [
        f"{formats.pluriel(len(bascules), 'collectif')} "
        f"change{'nt' if len(bascules) > 1 else ''} {quoi} : {_noms(exemples)}."
    ]
