"""The demo's budgets: charges, income and co-funders drawn at random, and the operator's own
estimate of what it asks the Caf (its P74-CAF-CLAS line), in floats as an operator's
spreadsheet would; the run never reads that estimate to decide."""

from __future__ import annotations

import datetime as dt
import random

from campaign.decider.parametres import charger_parametres
from campaign.demo import donnees as D
from campaign.formulaire import PRODUITS

_P = charger_parametres(dt.date(2026, 9, 1))
TAUX_PS, PLAFOND_PS, BONUS = (float(v.decimal) for v in (_P.taux_ps, _P.plafond_ps, _P.bonus_enfants))


def budget(rng: random.Random, collectifs, statut, sans_cofin, surfinance):
    total = sum(rng.randint(50, 150) * 100 for _ in collectifs)  # 5 000 to 15 000 € each
    b = {
        code: round(total * rng.uniform(lo, hi), -1)
        for code, lo, hi in (
            ("C60", 0.04, 0.08),
            ("C61", 0.03, 0.06),
            ("C62", 0.05, 0.10),
            ("C63", 0.0, 0.02),
            ("C65", 0.0, 0.01),
            ("CI", 0.05, 0.10),
        )
    }
    if rng.random() < 0.15:
        b["C68"] = round(total * 0.02, -1)
    b["C64"] = total - sum(b.values())
    if statut == "Centre social" and rng.random() < 0.6:
        b["PSF"] = round(b["C64"] * rng.uniform(0.1, 0.3), -1)
    if rng.random() < 0.4:
        b["C86"] = b["P87"] = rng.randint(5, 40) * 100.0
    n = len(collectifs)
    caf = round(
        sum(
            min(TAUX_PS * total / n, PLAFOND_PS)
            + BONUS * (c["be_projet"] == "Oui")
            + BONUS * (c["bp_projet"] == "Oui")
            for c in collectifs
        )
    )
    b["P74-CAF-CLAS"] = float(caf)
    if rng.random() < 0.3:
        b["P70"] = rng.randint(1, 10) * 50.0 * n
    if rng.random() < 0.15:
        b["P74-CAF-AUTRE"] = rng.randint(5, 20) * 100.0
    reste = max(total - sum(v for k, v in b.items() if k in PRODUITS and k != "P87"), 500.0)
    if surfinance:  # co-funders cover more than the cost: the Caf's PS is reduced
        reste += round(total * 0.3, -1)
    if sans_cofin:
        b["P75"] = reste
    else:
        codes: list[str] = []
        poids = D.COFINANCEURS
        while len(codes) < rng.choice((1, 1, 2, 2, 3)):
            code = rng.choices([p[0] for p in poids], [p[1] for p in poids])[0]
            codes += [code] if code not in codes else []
        for code in codes[:-1]:
            b[code] = round(reste * rng.uniform(0.2, 0.5), -1)
            reste -= b[code]
        b[codes[-1]] = reste
    return {k: float(v) for k, v in b.items() if v}
