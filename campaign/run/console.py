"""What the analyst reads in the terminal once the run is over: a short French summary
(the progress of each stage is `campaign.run.progression`)."""

from __future__ import annotations

import re
import sys
from collections import Counter

from campaign import formats
from campaign.calendrier import seances_a_venir

STATUTS = ("TRAITE", "INCOMPLET", "ILLISIBLE", "IGNORE")
# control characters (C0, DEL, C1) and the bidirectional overrides: shown escaped, never acted on
_CONTROLES = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def lisible(texte: str) -> str:
    """Text safe to print on a terminal: an operator's file name cannot move the cursor,
    change colours or retitle the window (`\x1b` is printed as such)."""
    return _CONTROLES.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), texte)


def comptes(resultat) -> dict:
    """The campagne in numbers, for the manifest and the summary."""
    statuts = Counter(resultat.dossiers["statut"])
    c = resultat.decisions.collectifs
    d = resultat.decisions.dossiers
    return {
        "fichiers": len(resultat.dossiers),
        **{s.lower(): int(statuts.get(s, 0)) for s in STATUTS},
        "collectifs_accord": int((c["decision"] == "ACCORD").sum()) if len(c) else 0,
        "collectifs_refus": int((c["decision"] == "REFUS").sum()) if len(c) else 0,
        "ps_centimes": int(d["ps"].sum()) if len(d) else 0,
        "bonus_enfants_centimes": int(d["bonus_enfants"].sum()) if len(d) else 0,
        "bonus_parents_centimes": int(d["bonus_parents"].sum()) if len(d) else 0,
        "total_centimes": int(d["total"].sum()) if len(d) else 0,
    }


def resume(resultat, sortie, bilan: dict | None = None, flux=None) -> None:
    flux = flux or sys.stdout
    n = comptes(resultat)
    enveloppe = int(resultat.campagne.enveloppe * 100)
    ecrire = lambda s="": print(lisible(s), file=flux)  # noqa: E731
    ecrire(
        f"Campagne {resultat.campagne.annee} : {n['fichiers']} fichiers lus — "
        f"{n['traite']} traités, {n['incomplet']} incomplets, "
        f"{n['illisible']} illisibles, {n['ignore']} ignorés."
    )
    # the proposition's figures: named so once a session has decided (comite.md §5)
    avant = " proposés (avant comité)" if resultat.comite.seances else " proposés"
    ecrire(f"Collectifs{avant} : {n['collectifs_accord']} accordés, {n['collectifs_refus']} refusés.")
    ecrire(
        f"Prestation de service : {formats.euros(n['ps_centimes'])} ; bonus enfants : "
        f"{formats.euros(n['bonus_enfants_centimes'])} ; bonus parents : "
        f"{formats.euros(n['bonus_parents_centimes'])}."
    )
    reste = enveloppe - n["total_centimes"]
    etat = f"reste {formats.euros(reste)}" if reste >= 0 else f"DÉPASSEMENT de {formats.euros(-reste)}"
    ecrire(
        f"Total proposé{' (avant comité)' if resultat.comite.seances else ''} : "
        f"{formats.euros(n['total_centimes'])} pour une enveloppe de "
        f"{formats.euros(enveloppe)} ({etat})."
    )
    for p in resultat.parametres.non_confirmes:
        ecrire(
            f"ATTENTION : le paramètre « {p.nom} » ({p.valeur}) n'est pas confirmé "
            f"({p.source}) : les courriers portent la mention PROJET."
        )
    if bilan and bilan["fichiers"]:
        n_lettres = bilan["rendus"] + bilan["caches"]
        ecrire(
            f"Courriers : {n_lettres} ({bilan['rendus']} fabriqués, {bilan['caches']} "
            "inchangés repris du cache)."
        )
    ignores = set(resultat.dossiers.loc[resultat.dossiers["statut"] == "IGNORE", "fichier"])
    sans = [f for f in (bilan or {}).get("sans_courrier", []) if f not in ignores]
    if sans:
        ecrire("Sans courrier, faute d'adresse lisible : " + quelques(sans) + ".")
    if bilan and bilan.get("changements"):
        ecrire("Depuis la dernière exécution :")
        for phrase in bilan["changements"]:
            ecrire(f"  - {phrase}")
    comite(resultat, ecrire, (bilan or {}).get("comite_non_utilises", []))
    arbitrage(resultat.comite.arbitrage, ecrire)
    if n["incomplet"] or n["illisible"]:
        ecrire(f"Des dossiers sont incomplets ou illisibles : voir {sortie}/anomalies.csv.")
    ecrire(f"Résultats écrits dans {sortie}/")


def comite(resultat, ecrire, non_utilises: list[str]) -> None:
    """The committee step: sessions applied, collectifs decided, totals against the envelope."""
    for chemin in non_utilises:
        ecrire(f"Fichier du comité non utilisé (aucun bloc [[comite]] ne le nomme) : {chemin}.")
    if not len(resultat.comite.collectifs):
        return
    c, seances = resultat.comite.collectifs, resultat.comite.seances
    if not seances:
        ecrire(
            f"Comité : aucune séance déclarée ; les {len(c)} collectifs sont des propositions "
            "(courriers PROJET)."
        )
        return
    decisions = Counter(c["decision"])
    jours = ", ".join(formats.date_longue(s.fichier.seance.date) for s in seances)
    decides = decisions["ACCORD"] + decisions["REFUS"]
    ecrire(
        f"Comité ({_n(len(seances), 'séance')} : {jours}) : collectifs {_n(decides, 'décidé')}, "
        f"{_n(decisions['AJOURNE'], 'ajourné')}, {_n(decisions['PROPOSITION'], 'encore proposé')}."
    )
    a_venir = seances_a_venir([s.fichier.seance.date for s in seances], resultat.jour)
    for jour in a_venir:
        ecrire(
            f"ATTENTION : la séance du {formats.date_longue(jour)} est postérieure à aujourd'hui "
            f"({formats.date_longue(resultat.jour)}) : elle n'a pas pu se tenir ; les courriers qui "
            "la citent ne sont pas envoyables (publipostage.csv). Vérifiez sa date dans campagne.toml."
        )
    enveloppe = int(resultat.campagne.enveloppe * 100)
    ecrire(
        f"Total décidé : {formats.euros(seances[-1].total_decide)} ; total projeté : "
        f"{formats.euros(seances[-1].total_projete)}, pour une enveloppe de {formats.euros(enveloppe)}."
    )
    attentes = _decisions_en_attente(resultat)
    if attentes:
        noms = ", ".join(f"« {nom} »" for nom in sorted({n for a in attentes for n in a}))
        ecrire(
            f"{_n(len(attentes), 'courrier')} de décision {'reste' if len(attentes) == 1 else 'restent'} "
            f"des projets, non envoyables (publipostage.csv), tant que {noms} n'est pas confirmé"
            + (
                ""  # a session still to come holds every letter that cites it (said above)
                if a_venir
                else " ; les décisions qui n'en dépendent pas (un refus sur un seuil confirmé) "
                "sont envoyables"
            )
            + "."
        )
    refuses = sum(len(s.refuses) for s in seances)
    if refuses:
        ecrire(f"Avis du comité non appliqués : {refuses} (voir anomalies.csv).")


def arbitrage(a, ecrire) -> None:
    """The envelope exceeded: where the scenarios are, or the mode applied (arbitrage.md §1-§2)."""
    if a is None or not a.depassement:
        return
    s = a.applique
    if s is None:
        ecrire(
            f"Les financements retenus dépassent l'enveloppe de {formats.euros(a.depassement)} : "
            "voir la feuille Enveloppe de synthese.xlsx (ce que donnerait chaque mode ; la clé "
            "[arbitrage] mode de campagne.toml applique celui que le comité choisit)."
        )
        return
    facteur = (
        f"coefficient {s.coefficient_texte}" if s.coefficient is not None else formats.euros(s.plafond or 0)
    )
    ecrire(
        f"Enveloppe : mode « {s.mode.code} » ({s.mode.libelle.lower()} : {facteur}) appliqué : "
        f"financements ramenés de {formats.euros(s.avant)} à {formats.euros(s.apres)} ; "
        f"{_n(len(s.reductions), 'dossier')} {'réduit' if len(s.reductions) == 1 else 'réduits'} "
        "(F-ENVELOPPE, voir la feuille Enveloppe)."
    )


def _decisions_en_attente(resultat) -> list[list[str]]:
    """For each decided dossier whose letter waits, the unconfirmed parameters it uses."""
    if not resultat.parametres.non_confirmes:
        return []
    d = resultat.comite.dossiers
    attentes = []
    for fichier, total in zip(d.index[d["etat"] == "DECIDE"], d["total_final"][d["etat"] == "DECIDE"]):
        codes = {str(t["code"]) for t in resultat.comite.textes_decision.get(fichier, []) if t.get("code")}
        attente = resultat.en_attente(int(total), codes)
        if attente:
            attentes.append(attente)
    return attentes


def quelques(noms: list[str], montres: int = 5) -> str:
    """A few names of a long list, then how many more: the whole list is in anomalies.csv."""
    if len(noms) <= montres + 1:
        return ", ".join(noms)
    return ", ".join(noms[:montres]) + f" et {len(noms) - montres} autres (voir anomalies.csv)"


def _n(n: int, mot: str) -> str:
    return f"{n} {mot}{'s' if n > 1 else ''}"
