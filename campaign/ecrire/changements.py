"""What changed since the previous run: the analyst reruns the campagne many times in a
season (a corrected file arrives, the committee changes its mind) and wants to see, in a
few lines, which files changed and which decisions and amounts moved."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

from campaign import formats


def _lire(chemin: Path, cle) -> dict:
    if not chemin.is_file():
        return {}
    with chemin.open(encoding="utf-8", newline="") as f:
        return {cle(r): r for r in csv.DictReader(f)}


def comparer(avant: Path, apres: Path) -> list[str]:
    """French sentences describing the differences between two output folders."""
    try:
        return _comparer(avant, apres)
    except (KeyError, ValueError, ArithmeticError, csv.Error, UnicodeDecodeError):
        return ["Comparaison impossible avec l'exécution précédente (fichiers modifiés à la main)."]


def _comparer(avant: Path, apres: Path) -> list[str]:
    d_avant = _lire(avant / "dossiers.csv", lambda r: r["fichier"])
    if not d_avant:
        return []
    d_apres = _lire(apres / "dossiers.csv", lambda r: r["fichier"])
    phrases = []
    nouveaux = sorted(set(d_apres) - set(d_avant))
    retires = sorted(set(d_avant) - set(d_apres))
    modifies = sorted(f for f in set(d_avant) & set(d_apres)
                      if d_avant[f]["sha256"] != d_apres[f]["sha256"])
    for mot, liste in (("nouveau(x)", nouveaux), ("retiré(s)", retires), ("modifié(s)", modifies)):
        if liste:
            phrases.append(f"{len(liste)} fichier(s) {mot} : {', '.join(liste)}.")
    for f in sorted(set(d_avant) & set(d_apres)):
        a, b = d_avant[f], d_apres[f]
        if (a["statut"], a["decision"]) != (b["statut"], b["decision"]):
            phrases.append(f"{f} : {a['decision'] or a['statut']} → {b['decision'] or b['statut']}.")
    c_avant = _lire(avant / "decisions.csv", lambda r: (r["fichier"], r["code_collectif"]))
    c_apres = _lire(apres / "decisions.csv", lambda r: (r["fichier"], r["code_collectif"]))
    bascules = [k for k in set(c_avant) & set(c_apres)
                if c_avant[k]["decision"] != c_apres[k]["decision"]]
    if bascules:
        phrases.append(f"{len(bascules)} collectif(s) changent de décision : "
                       + ", ".join(f"{f} {c}" for f, c in sorted(bascules)) + ".")
    total = lambda d: sum(Decimal(r["total"]) for r in d.values())  # noqa: E731
    ecart = total(d_apres) - total(d_avant)
    if ecart:
        signe = "+" if ecart > 0 else "−"
        phrases.append(f"Total de la campagne : {signe}{formats.euros(abs(int(ecart * 100)))}.")
    return phrases or ["Aucun changement depuis la dernière exécution."]
