"""Why: one French sentence per failing rule, bonus not granted, reduction or warning,
with the dossier's value that fails it (CRPA L211-2 and L211-5).

The letters and the committee's workbook take their words from here, so that the
operator and the committee read the same reasons.
"""

from __future__ import annotations

from fractions import Fraction
from types import SimpleNamespace

import pandas as pd

from campaign import formats
from campaign import formulaire as F
from campaign.decider.eligibilite import REGLES_DOSSIER
from campaign.decider.montants import arrondi_demi_haut
from campaign.decider.parametres import Parametres

COLONNES = ("fichier", "code_collectif", "code", "nature", "texte")
AXES_NOMS = {
    "R-AXE-ENFANTS": ("enfants", "axe 1, auprès des enfants"),
    "R-AXE-PARENTS": ("parents", "axe 2, auprès et avec les parents"),
    "R-AXE-ECOLE": ("ecole", "axe 3, concertation avec l'école"),
    "R-AXE-TERRITOIRE": ("territoire", "axe 4, partenaires du territoire"),
}
_LIBELLES_PROJET = {c.cle: c.libelle for c in F.PROJET}


def _n(n, mot: str) -> str:
    n = int(n)
    return f"{n} {mot}{'s' if n > 1 and not mot.endswith('s') else ''}"


def _duree(heures: float) -> str:
    minutes = round(heures * 60)
    h, m = divmod(minutes, 60)
    return f"{h} h {m:02d}" if m else f"{h} h"


def _oui(v) -> bool:
    return bool(v) if not pd.isna(v) else False


def motif_collectif(code: str, r, p: Parametres) -> str:
    """The refusal reason of one collectif-level rule, with the collectif's value."""
    nom = f"Le collectif {r.code}"
    if code == "R-NIVEAU":
        return (f"{nom} accueille des enfants du niveau « {r.niveau_min} » au niveau "
                f"« {r.niveau_max} » ; le CLAS s'adresse aux enfants du CP à la Terminale.")
    if code == "R-EFFECTIF":
        if r.enfants > int(p.effectif_max.decimal):
            return f"{nom} compte {_n(r.enfants, 'enfant')} ; le référentiel en admet {p.effectif_max.valeur} au plus."
        derog = _oui(r.rural) or (r.enfants_handicap or 0) >= 1
        minimum = p.effectif_min_derogatoire.valeur if derog else p.effectif_min.valeur
        precision = (" (minimum dérogatoire, milieu rural ou enfant en situation de handicap)"
                     if derog else f" ({p.effectif_min_derogatoire.valeur} seulement en milieu rural "
                     "ou avec un enfant en situation de handicap)")
        return f"{nom} compte {_n(r.enfants, 'enfant')} ; le référentiel en demande au moins {minimum}{precision}."
    if code == "R-ENCADREMENT":
        total = r.intervenants_salaries + r.intervenants_benevoles
        petit_rural = _oui(r.rural) and r.enfants < int(p.effectif_min.decimal)
        requis = p.intervenants_min_rural.valeur if petit_rural else p.intervenants_min.valeur
        return (f"{nom} est encadré par {_n(total, 'intervenant')} ({r.intervenants_salaries} salarié(s), "
                f"{r.intervenants_benevoles} bénévole(s)) ; le référentiel en demande au moins {requis}.")
    if code == "R-FREQUENCE":
        texte = (f"{nom} se réunit {_n(r.seances_semaine, 'fois')} par semaine, {_duree(r.duree_seance)} "
                 f"par séance ; le référentiel demande au moins {p.seances_min.valeur} séances de "
                 f"{_duree(float(p.duree_seance_min.decimal))} par semaine")
        if _oui(r.rural):
            texte += (f", ou en milieu rural {p.seances_min_rural.valeur} séance de "
                      f"{_duree(float(p.duree_seance_min_rural.decimal))}")
        return texte + "."
    if code == "R-SEMAINES":
        return (f"{nom} fonctionne {_n(r.semaines, 'semaine')} dans l'année ; le référentiel en "
                f"demande au moins {p.semaines_min.valeur}.")
    if code == "R-REPERAGE":
        manques = []
        if not _oui(r.besoin_repere):
            manques.append("le besoin des enfants n'a pas été repéré au préalable")
        if not _oui(r.accord_parents):
            manques.append("l'accord des parents n'est pas recueilli")
        return (f"Pour le collectif {r.code}, {' et '.join(manques)} ; le CLAS s'adresse aux enfants "
                "dont le besoin d'appui a été repéré, avec l'accord de leurs parents.")
    if code == "R-AIDE-DEVOIRS":
        return (f"{nom} est déclaré comme de l'aide aux devoirs exclusivement ; une telle action "
                "n'est pas éligible à la prestation de service CLAS.")
    if code == "R-OUVERT-PARENTS":
        return f"{nom} n'est pas accessible aux parents ; le référentiel demande qu'il le soit."
    raise KeyError(code)


def motif_dossier(code: str, d, p: Parametres) -> str:
    """The refusal reason of one dossier-level rule, for all the dossier's collectifs."""
    if code == "R-COORDINATION":
        return (f"Le coordinateur ({d.coordinateur_nom}) a pour diplôme « {d.coordinateur_diplome} » "
                f"et {_n(d.coordinateur_experience, 'an')} d'expérience ; le référentiel demande au "
                f"moins un {p.diplome_coordinateur_min.valeur} et {_n(p.experience_coordinateur_min.decimal, 'an')} "
                "d'expérience.")
    if code == "R-PRINCIPES":
        return ("Le dossier ne comporte pas l'engagement à respecter les principes de la charte "
                "(réponse « Non ») ; cet engagement est obligatoire.")
    if code in AXES_NOMS:
        axe, nom = AXES_NOMS[code]
        absentes = [a for a in F.AXES[axe] if not _oui(getattr(d, a))]
        liste = " ; ".join(f"{a} « {_LIBELLES_PROJET[a]} »" for a in absentes)
        exigence = ("au moins une action de cet axe" if p.axes.valeur == "une_action_par_axe"
                    else "toutes les actions de cet axe")
        return f"Projet, {nom} : action(s) non prévue(s) : {liste} ; le référentiel demande {exigence}."
    if code == "R-COFINANCEMENT":
        return ("Le budget ne compte aucun cofinancement (lignes 74 État, Région, Département, "
                "Intercommunalité, Commune(s), autres organismes sociaux, fonds européens, autres "
                "subventions à 0 €) ; un cofinancement est obligatoire.")
    raise KeyError(code)


def _bonus(r, prefixe: str, libelle: str, projet: str, criteres: str) -> str:
    if not _oui(getattr(r, f"{prefixe}_projet")):
        return (f"Bonus {libelle} non accordé au collectif {r.code} : aucun {projet} n'est déclaré "
                "pour ce collectif, alors que c'est le critère obligatoire.")
    return (f"Bonus {libelle} non accordé au collectif {r.code} : aucun des critères ({criteres}) "
            "n'est rempli, il en faut au moins un.")


def calcul(d: dict, p: Parametres, ps_calculee: int) -> str:
    """How the PS of an ACCORD collectif of the dossier was computed, so that the operator
    can redo it: charges, PSF, the equal split over every collectif, the rate, the cap."""
    lignes = "lignes 60 à 68 et charges indirectes"
    if d["PSF"]:
        retenues = (f"{formats.euros(d['charges_totales'])} de charges ({lignes}) − "
                    f"{formats.euros(d['PSF'])} de postes déjà financés par une prestation de "
                    f"service à la fonction = {formats.euros(d['charges_retenues'])}")
    else:
        retenues = f"{formats.euros(d['charges_retenues'])} ({lignes})"
    if d["n_collectifs"] > 1:
        partage = (f", partagées à parts égales entre les {d['n_collectifs']} collectifs déclarés, "
                   f"accordés ou refusés : {formats.euros(d['part_charges'])} par collectif")
    else:
        partage = ", pour l'unique collectif déclaré"
    taux = Fraction(p.taux_ps.valeur)
    brute = int(arrondi_demi_haut(d["part_charges"] * taux.numerator, taux.denominator))
    texte = (f"Charges retenues : {retenues}{partage}. La prestation d'un collectif accordé est "
             f"de {formats.pourcentage(p.taux_ps.valeur)} de sa part des charges retenues, soit {formats.euros(brute)}")
    if ps_calculee < brute:
        return texte + f", ramenée au plafond de {formats.euros(p.plafond_ps.centimes)} par collectif."
    return texte + f" (plafond : {formats.euros(p.plafond_ps.centimes)} par collectif)."


def textes(resultat) -> pd.DataFrame:
    """Every reason of every TRAITE dossier, one sentence per row."""
    p = resultat.parametres
    c, d = resultat.decisions.collectifs, resultat.decisions.dossiers
    lignes = []
    codes_dossier = sorted(REGLES_DOSSIER)
    # a dossier-level rule fails alike on every collectif of the dossier: read it on the first
    echecs = (c.groupby("fichier")[codes_dossier].first().reindex(d.index)
              .fillna(False).astype(bool))
    parts = c.groupby("fichier")["part_charges"].first()
    ps_accord = c[c["accord"]].groupby("fichier")["ps_calculee"].first()
    for fichier, ligne in zip(d.index, d.to_dict("records")):
        dr = SimpleNamespace(**ligne)
        if fichier in ps_accord.index:
            lignes.append((fichier, "", "CALCUL-PS", "calcul", calcul(
                {**ligne, "part_charges": int(parts[fichier])}, p, int(ps_accord[fichier]))))
        for code in codes_dossier:
            if echecs.at[fichier, code]:
                lignes.append((fichier, "", code, "motif", motif_dossier(code, dr, p)))
        if ligne["A-FORMATION"]:
            lignes.append((fichier, "", "A-FORMATION", "avertissement",
                           "Le porteur n'est pas inscrit aux formations du comité technique, "
                           "fortement conseillées."))
        if ligne["A-PART-CAF"]:
            part = ligne["total"] / max(ligne["charges_totales"], 1)
            lignes.append((fichier, "", "A-PART-CAF", "avertissement",
                           f"La part Caf ({formats.euros(ligne['total'])}) représente "
                           f"{formats.pourcentage(round(part, 4))} des charges totales (seuil d'alerte "
                           f"{formats.pourcentage(p.seuil_part_caf.valeur)})."))
    for valeurs in c.itertuples(index=False):
        row = dict(zip(c.columns, valeurs))
        rr = SimpleNamespace(**row)
        for code in sorted(k for k in row if k.startswith("R-") and row[k] and k not in codes_dossier):
            lignes.append((row["fichier"], row["code"], code, "motif", motif_collectif(code, rr, p)))
        if row["accord"]:
            if row["bonus_enfants"] == 0:
                lignes.append((row["fichier"], row["code"], "BONUS-ENFANTS", "bonus", _bonus(
                    rr, "be", "enfants", "projet socio-éducatif structuré", "matériel pédagogique, intervenants extérieurs rémunérés, sorties culturelles")))
            if row["bonus_parents"] == 0:
                lignes.append((row["fichier"], row["code"], "BONUS-PARENTS", "bonus", _bonus(
                    rr, "bp", "parents", "projet d'accompagnement des parents", "intervenants extérieurs, actions spécifiques, public allophone, illettrisme ou AEF")))
        if row["F-ECRETEMENT"]:
            dd = d.loc[row["fichier"]]
            bonus = dd["bonus_enfants"] + dd["bonus_parents"]
            reste = dd["charges_totales"] - dd["autres_produits"] - bonus
            marge = (f"{formats.euros(dd['marge'])} disponibles" if reste >= 0 else
                     f"{formats.euros(reste)} : rien ne reste pour la prestation")
            lignes.append((row["fichier"], row["code"], "F-ECRETEMENT", "ecretement", (
                f"La prestation du collectif {row['code']} est ramenée de {formats.euros(row['ps_calculee'])} "
                f"à {formats.euros(row['ps'])} : le financement ne peut pas dépasser le coût de l'action. "
                f"Charges {formats.euros(dd['charges_totales'])} − autres produits "
                f"{formats.euros(dd['autres_produits'])} − bonus {formats.euros(bonus)} = {marge}, "
                f"pour des prestations calculées à {formats.euros(dd['ps_calculee'])} ; chaque "
                "prestation est réduite dans la même proportion.")))
        if row["A-CALENDRIER"]:
            lignes.append((row["fichier"], row["code"], "A-CALENDRIER", "avertissement",
                           f"Le collectif {row['code']} fonctionne du {formats.date_courte(row['date_debut'])} "
                           f"au {formats.date_courte(row['date_fin'])}, hors de la période préconisée."))
    t = pd.DataFrame(lignes, columns=list(COLONNES))
    return t.sort_values(["fichier"], kind="stable").reset_index(drop=True)
