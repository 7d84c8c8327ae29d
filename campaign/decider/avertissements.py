"""Advisory rules (referentiel.md §5): warnings for the committee, never blocking, each
declared once with its wording. They run after the amounts: A-PART-CAF and F-ECRETEMENT
read them. A collectif-level warning sees its dossier's amounts as `dossier_*` columns."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from types import SimpleNamespace

import pandas as pd

from campaign import formats
from campaign.decider.eligibilite_collectif import PRESENTATION
from campaign.decider.parametres import Parametres
from campaign.decider.regle import Consigne, constat, declarer, oui

COLONNES_DOSSIER = ("charges_totales", "autres_produits", "bonus", "reste_pour_ps", "marge",
                    "ps_calculee")  # the dossier amounts F-ECRETEMENT explains


def _calendrier(v: SimpleNamespace) -> str:
    return (f"Le collectif {v.code_collectif} fonctionne du {formats.date_courte(v.date_debut)} "
            f"au {formats.date_courte(v.date_fin)}, hors de la période préconisée.")


def _consigne_calendrier(p: Parametres) -> str:
    if "date_debut_preconisee" not in p:  # the blank dossier is written without a campagne.toml
        return ("Période préconisée : après les vacances d'automne et jusqu'à la mi-juin (dates "
                "de votre Caf) ; en dehors, le comité en est averti, sans refus.")
    debut = dt.date.fromisoformat(p.date_debut_preconisee.valeur)
    fin = dt.date.fromisoformat(p.date_fin_preconisee.valeur)
    return (f"Période préconisée : du {formats.date_courte(debut)} au {formats.date_courte(fin)} ; "
            "en dehors, le comité en est averti, sans refus.")


@declarer("A-CALENDRIER", "collectif", "avertissement",
          "Calendrier hors de la période préconisée",
          "Le collectif commence avant la date préconisée ou finit après.",
          f"{PRESENTATION}, « démarrage préconisé après les vacances d'automne de l'année N "
          "jusqu'au 15 juin de l'année N+1 » ; campagne.toml [regles]", _calendrier,
          consignes=(Consigne((("Collectifs", "date_debut"), ("Collectifs", "date_fin")),
                              _consigne_calendrier),))
def a_calendrier(c: pd.DataFrame, p: Parametres) -> pd.DataFrame:
    debut = pd.Timestamp(dt.date.fromisoformat(p.date_debut_preconisee.valeur))
    fin = pd.Timestamp(dt.date.fromisoformat(p.date_fin_preconisee.valeur))
    return constat((c["date_debut"] < debut) | (c["date_fin"] > fin),
                   date_debut=c["date_debut"], date_fin=c["date_fin"])


def _formation(v: SimpleNamespace) -> str:
    return "Le porteur n'est pas inscrit aux formations du comité technique, fortement conseillées."


@declarer("A-FORMATION", "dossier", "avertissement",
          "Porteur non inscrit aux formations",
          "Le porteur n'est pas inscrit aux formations du comité technique.",
          f"{PRESENTATION}, « l'inscription aux formations soutenues par le comité technique "
          "Clas est fortement conseillée »", _formation, consignes=(
              Consigne((("Porteur", "formation"),), lambda p: "Fortement conseillée : « Non » est "
                       "signalé au comité, sans rendre le dossier inéligible."),))
def a_formation(d: pd.DataFrame, p: Parametres) -> pd.DataFrame:
    return constat(~oui(d["formation"]))


def _part_caf(v: SimpleNamespace) -> str:
    part = v.total / max(v.charges_totales, 1)
    return (f"La part Caf ({formats.euros(v.total)}) représente "
            f"{formats.pourcentage(round(part, 4))} des charges totales (seuil d'alerte "
            f"{formats.pourcentage(v.seuil)}).")


@declarer("A-PART-CAF", "dossier", "avertissement",
          "Part Caf au-dessus du seuil d'alerte",
          "La part Caf du dossier dépasse le seuil d'alerte des charges totales.",
          "referentiel.md §5, campagne.toml [regles] seuil_part_caf (total Caf après écrêtement)",
          _part_caf)
def a_part_caf(d: pd.DataFrame, p: Parametres) -> pd.DataFrame:
    seuil = Fraction(p.seuil_part_caf.valeur)
    return constat(d["total"] * seuil.denominator > d["charges_totales"] * seuil.numerator,
                   total=d["total"], charges_totales=d["charges_totales"],
                   seuil=p.seuil_part_caf.valeur)


def _ecretement(v: SimpleNamespace) -> str:
    euros = formats.euros
    marge = (f"{euros(v.marge)} disponibles" if v.reste_pour_ps >= 0 else
             f"{euros(v.reste_pour_ps)} : rien ne reste pour la prestation")
    return (f"La prestation du collectif {v.code_collectif} est ramenée de {euros(v.ps_calculee)} "
            f"à {euros(v.ps)} : le financement ne peut pas dépasser le coût de l'action. "
            f"Charges {euros(v.charges_totales)} − autres produits {euros(v.autres_produits)} − "
            f"bonus {euros(v.bonus)} = {marge}, pour des prestations calculées à "
            f"{euros(v.ps_calculee_dossier)} ; chaque prestation est réduite dans la même proportion.")


@declarer("F-ECRETEMENT", "collectif", "ecretement",
          "Financement réduit au coût de l'action",
          "La PS du collectif a été réduite par l'écrêtement.",
          "referentiel.md §6.8, règle F-ECRETEMENT", _ecretement, consignes=(
              Consigne((("Budget", "P74-CAF-CLAS"),), lambda p: (
                  f"La Caf calcule elle-même : {formats.pourcentage(p.taux_ps.valeur)} des charges, "
                  f"au plus {formats.euros(p.plafond_ps.centimes)} par collectif, plus les bonus, "
                  "sans dépasser le coût de l'action net des autres produits.")),))
def f_ecretement(c: pd.DataFrame, p: Parametres) -> pd.DataFrame:
    return constat(c["ps"] < c["ps_calculee"], ps=c["ps"], ps_calculee=c["ps_calculee"],
                   **{col: c[f"dossier_{col}"] for col in COLONNES_DOSSIER if col != "ps_calculee"},
                   ps_calculee_dossier=c["dossier_ps_calculee"])
