"""The demo's operators at work: the blank dossier filled in, clean or typed the messy way
people do (still readable under dossier.md §2), and one named defect applied to a file.
Answers are found by their field (`dossier_vierge.reperes`), wherever the form puts them."""

from __future__ import annotations

from campaign.demo.donnees import CELLULES_DEFAUTS
from campaign.dossier_vierge.classeur import reperes
from campaign.dossier_vierge.reponses import remplir_reponses


def _brouillon(rng, champ, v):
    """A value typed the way people do: still readable under dossier.md §2."""
    if v is None or rng.random() < 0.4:
        return v
    if champ.type == "ouinon":
        return rng.choice(
            ("oui", "OUI ", "O", "X", True, 1) if v == "Oui" else ("non", "NON ", "N", False, 0)
        )
    if champ.type == "entier":
        return str(v)
    if champ.type == "date":
        return v.strftime(rng.choice(("%d/%m/%Y", "%Y-%m-%d")))
    if champ.type == "duree":
        h, m = int(v), round(v % 1 * 60)
        return rng.choice((f"{h}h{m:02d}" if m else f"{h}h", f"{int(v * 60)} min", str(v).replace(".", ",")))
    if champ.type == "montant":
        return rng.choice(
            (
                f"{v:,.2f} €".replace(",", "\u202f").replace(".", ","),
                f"{v:,.0f} €".replace(",", " "),
                f"{v:.1f}",
                str(int(v)),
            )
        )
    return v


def remplir(wb, d, rng, brouillon=False, saut=None) -> None:
    val = (lambda c, v: _brouillon(rng, c, v)) if brouillon else (lambda c, v: v)
    remplir_reponses(wb, d, val, saut)


def abimer(wb, defaut: str) -> None:
    """Apply one named defect to a filled workbook (a field key names its answer's cell)."""
    cellules = reperes(wb)
    for feuille, ref, valeur in CELLULES_DEFAUTS.get(defaut, ()):
        ws = wb[feuille]
        (ws.cell(*cellules[(feuille, ref)]) if (feuille, ref) in cellules else ws[ref]).value = valeur
    if defaut == "nom_feuille":
        wb["Collectifs"].title = "collectifs "
    elif defaut == "sans_budget":
        del wb["Budget"]
