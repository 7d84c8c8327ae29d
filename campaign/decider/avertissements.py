"""Advisory rules (referentiel.md §5): warnings for the committee, never blocking, each
declared once with its wording. They run after the amounts: A-PART-CAF and F-ECRETEMENT
read them. A collectif-level warning sees its dossier's amounts as `dossier_*` columns."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from types import SimpleNamespace

import pandas as pd

from campaign import formats
from campaign import formulaire as F
from campaign.decider.eligibilite_collectif import PRESENTATION
from campaign.decider.montants import LIGNES_AUTRES_PRODUITS
from campaign.decider.parametres import Parametres
from campaign.decider.regle import Consigne, constat, declarer, oui

COLONNES_DOSSIER = (
    "charges_totales",
    "autres_produits",
    "bonus",
    "reste_pour_ps",
    "marge",
    "marge_totale",
    "ps_calculee",
) + LIGNES_AUTRES_PRODUITS  # what F-ECRETEMENT explains


def _calendrier(v: SimpleNamespace) -> str:
    return (
        f"Le collectif {v.code_collectif} fonctionne du {formats.date_courte(v.date_debut)} "
        f"au {formats.date_courte(v.date_fin)}, hors de la période préconisée."
    )


def _consigne_calendrier(p: Parametres) -> str:
    if "date_debut_preconisee" not in p:  # the blank dossier is written without a campagne.toml
        return (
            "Période préconisée : après les vacances d'automne et jusqu'à la mi-juin (dates "
            "de votre Caf) ; en dehors, le comité en est averti, sans refus."
        )
    debut = dt.date.fromisoformat(p.date_debut_preconisee.valeur)
    fin = dt.date.fromisoformat(p.date_fin_preconisee.valeur)
    return (
        f"Période préconisée : du {formats.date_courte(debut)} au {formats.date_courte(fin)} ; "
        "en dehors, le comité en est averti, sans refus."
    )


@declarer(
    code="A-CALENDRIER",
    niveau="collectif",
    nature="avertissement",
    echec="Calendrier hors de la période préconisée",
    libelle="Le collectif commence avant la date préconisée ou finit après.",
    reference=f"{PRESENTATION}, « démarrage préconisé après les vacances d'automne de l'année N "
    "jusqu'au 15 juin de l'année N+1 » ; campagne.toml [regles]",
    rediger=_calendrier,
    consignes=(Consigne((("Collectifs", "date_debut"), ("Collectifs", "date_fin")), _consigne_calendrier),),
    texte="cahier-des-charges",
)
def a_calendrier(c: pd.DataFrame, p: Parametres) -> pd.DataFrame:
    debut = pd.Timestamp(dt.date.fromisoformat(p.date_debut_preconisee.valeur))
    fin = pd.Timestamp(dt.date.fromisoformat(p.date_fin_preconisee.valeur))
    return constat(
        (c["date_debut"] < debut) | (c["date_fin"] > fin), date_debut=c["date_debut"], date_fin=c["date_fin"]
    )


def _formation(v: SimpleNamespace) -> str:
    return "Le porteur n'est pas inscrit aux formations du comité technique, fortement conseillées."


@declarer(
    code="A-FORMATION",
    niveau="dossier",
    nature="avertissement",
    echec="Porteur non inscrit aux formations",
    libelle="Le porteur n'est pas inscrit aux formations du comité technique.",
    reference=f"{PRESENTATION}, « l'inscription aux formations soutenues par le comité technique "
    "Clas est fortement conseillée »",
    rediger=_formation,
    consignes=(
        Consigne(
            (("Porteur", "formation"),),
            lambda p: (
                "Fortement conseillée : « Non » est signalé au comité, sans rendre le dossier inéligible."
            ),
        ),
    ),
    texte="cahier-des-charges",
)
def a_formation(d: pd.DataFrame, p: Parametres) -> pd.DataFrame:
    return constat(~oui(d["formation"]))


def _part_caf(v: SimpleNamespace) -> str:
    part = v.total / max(v.charges_totales, 1)
    return (
        f"La part Caf ({formats.euros(v.total)}) représente "
        f"{formats.pourcentage(round(part, 4))} des charges totales (seuil d'alerte "
        f"{formats.pourcentage(v.seuil)})."
    )


@declarer(
    code="A-PART-CAF",
    niveau="dossier",
    nature="avertissement",
    echec="Part Caf au-dessus du seuil d'alerte",
    libelle="La part Caf du dossier dépasse le seuil d'alerte des charges totales.",
    reference="referentiel.md §5, campagne.toml [regles] seuil_part_caf (total Caf après écrêtement)",
    rediger=_part_caf,
    texte="cahier-des-charges",
)
def a_part_caf(d: pd.DataFrame, p: Parametres) -> pd.DataFrame:
    seuil = Fraction(p.seuil_part_caf.valeur)
    return constat(
        d["total"] * seuil.denominator > d["charges_totales"] * seuil.numerator,
        total=d["total"],
        charges_totales=d["charges_totales"],
        seuil=p.seuil_part_caf.valeur,
    )


def _produits(v: SimpleNamespace) -> str:
    """The income lines counted in `autres_produits`, label and amount, the non-zero ones."""
    lignes = [
        (c.libelle.split(" - ", 1)[-1], int(getattr(v, f"dossier_{c.cle}")))
        for c in F.BUDGET
        if c.cle in LIGNES_AUTRES_PRODUITS
    ]
    return ", ".join(f"« {nom} » {formats.euros(m)}" for nom, m in lignes if m)


def _reductions(c: SimpleNamespace) -> str:
    """One collectif's amounts that went down: 'C1 : prestation 2 563,00 € → 0,00 €, ...'."""
    euros = formats.euros
    parties = [
        f"{nom} {euros(avant)} → {euros(apres)}"
        for nom, avant, apres in (
            ("prestation", c.ps_calculee, c.ps),
            ("bonus enfants", c.bonus_enfants_calcule, c.bonus_enfants),
            ("bonus parents", c.bonus_parents_calcule, c.bonus_parents),
        )
        if apres < avant
    ]
    return f"{c.code_collectif} : {', '.join(parties)}"


def _ecretement(v: SimpleNamespace) -> str:
    """The dossier's écrêtement, once (referentiel §6.8): `v` holds the dossier's values and
    `v.collectifs` the constat rows of its reduced collectifs. Only true subtractions are
    printed: no negative amount, a real minus sign."""
    euros = formats.euros
    produits = _produits(v)
    detail = f" ({produits})" if produits else ""
    if v.charges_totales > v.autres_produits:
        net = (
            f"Charges {euros(v.charges_totales)} − autres produits {euros(v.autres_produits)}{detail} "
            f"= {euros(v.marge_totale)} au plus pour la Caf, prestations et bonus compris."
        )
    else:
        net = (
            f"Les autres produits, {euros(v.autres_produits)}{detail}, couvrent déjà les charges de "
            f"{euros(v.charges_totales)} : rien ne reste à financer par la Caf."
        )
    if v.marge_totale == 0:
        etapes = "Aucune prestation ni aucun bonus ne peut donc être versé."
    elif v.bonus > v.marge_totale:
        etapes = (
            f"Les bonus calculés ({euros(v.bonus)}) dépassent eux-mêmes ce montant : aucune "
            f"prestation ne peut être versée, et les bonus sont réduits dans la même proportion "
            f"pour ne pas dépasser {euros(v.marge_totale)}."
        )
    else:
        etapes = (
            f"Après les bonus ({euros(v.bonus)}), il reste {euros(v.marge)} pour des prestations "
            f"calculées à {euros(v.ps_calculee_dossier)} : chaque prestation est réduite dans "
            "la même proportion."
        )
    reduits = " ; ".join(_reductions(c) for c in v.collectifs)
    return (
        "Le financement de la Caf, prestations et bonus ensemble, ne peut pas dépasser le coût de "
        f"l'action net de ses autres recettes. {net} {etapes} Montants réduits : {reduits}."
    )


@declarer(
    code="F-ECRETEMENT",
    niveau="collectif",
    nature="ecretement",  # worded once per dossier (motivations)
    echec="Financement réduit au coût de l'action",
    libelle="La PS du collectif a été réduite par l'écrêtement.",
    reference="referentiel.md §6.8, règle F-ECRETEMENT",
    rediger=_ecretement,
    consignes=(
        Consigne(
            (("Budget", "P74-CAF-CLAS"),),
            lambda p: (
                f"La Caf calcule elle-même : {formats.pourcentage(p.taux_ps.valeur)} des charges, "
                f"au plus {formats.euros(p.plafond_ps.centimes)} par collectif, plus les bonus, "
                "sans dépasser le coût de l'action net des autres produits."
            ),
        ),
    ),
    texte="cahier-des-charges",
)
def f_ecretement(c: pd.DataFrame, p: Parametres) -> pd.DataFrame:
    montants = (
        "ps",
        "ps_calculee",
        "bonus_enfants",
        "bonus_parents",
        "bonus_enfants_calcule",
        "bonus_parents_calcule",
    )
    return constat(
        c["ps"] < c["ps_calculee"],
        **{col: c[col] for col in montants},
        **{col: c[f"dossier_{col}"] for col in COLONNES_DOSSIER if col != "ps_calculee"},
        **{f"dossier_{k}": c[f"dossier_{k}"] for k in LIGNES_AUTRES_PRODUITS},
        ps_calculee_dossier=c["dossier_ps_calculee"],
    )
