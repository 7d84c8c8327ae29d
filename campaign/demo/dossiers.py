"""A synthetic campagne (`campaign demo`): a mid-size Drôme-like department, deterministic.

Each dossier is the blank dossier (dossier_vierge) filled in: most clean, a minority typed the
messy way people do (still readable), a few `defaut_<what>.xlsx` with one defect each, and
files that are not dossiers. The same seed gives byte-identical files.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import random
from fractions import Fraction
from pathlib import Path

from campaign.demo import donnees as D
from campaign.demo import inventaire
from campaign.demo import personnes as P
from campaign.demo import textes as T
from campaign.demo.budget import budget as tirer_budget
from campaign.demo.precedente import DOSSIER as DOSSIER_PRECEDENT
from campaign.demo.precedente import FICHIERS as FICHIERS_PRECEDENTS
from campaign.demo.precedente import PARTIS, ecrire_precedente
from campaign.demo.saisie import abimer, remplir
from campaign.dossier_vierge.classeur import construire_dossier_vierge
from campaign.dossier_vierge.regles import consignes_de_l_annee
from campaign.ecrire.enregistrement import enregistrer_classeur
from campaign.erreurs import CampaignError
from campaign.formats import slug
from campaign.formulaire import PROJET
from campaign.valider.controles import luhn

ANNEE = "2026-2027"
HORODATAGE = dt.datetime(2026, 6, 30, 12, 0)  # fixed workbook metadata: stable bytes
DEFAUTS, INCOMPLETS, CELLULES_DEFAUTS = D.DEFAUTS, D.INCOMPLETS, D.CELLULES_DEFAUTS


def _cle(debut: str) -> str:
    return next(debut + str(d) for d in range(10) if luhn(debut + str(d)))


def _siret(rng: random.Random) -> str:
    siren = _cle(str(rng.randint(1, 9)) + "".join(str(rng.randint(0, 9)) for _ in range(7)))
    return _cle(siren + f"{rng.randint(1, 299):04d}")


def _slug(texte: str) -> str:
    return slug(texte.replace("œ", "oe"), 40, "_")


def _porteurs(rng: random.Random, n: int) -> list[tuple[str, str]]:
    """n distinct (name, statut), in a realistic mix."""
    urbaines = [c for c, _, rural in D.COMMUNES if not rural]
    pool = (
        [(nom, "Association") for nom in D.ASSOCIATIONS]
        + [(nom, "Centre social") for nom in D.CENTRES_SOCIAUX]
        + [(rng.choice(D.COMMUNES_PORTEUSES).format(c=c), "Commune") for c in urbaines[:8]]
        + [(nom, "Intercommunalité") for nom in D.INTERCOMMUNALITES]
        + [(nom, "Autre") for nom in D.AUTRES]
    )
    rng.shuffle(pool)
    return [
        (
            pool[i % len(pool)][0] + (f" (antenne {i // len(pool) + 1})" if i >= len(pool) else ""),
            pool[i % len(pool)][1],
        )
        for i in range(n)
    ]


def _commune(rng: random.Random) -> tuple[str, str, bool]:
    """A commune, towns being four times likelier than rural villages."""
    return rng.choices(D.COMMUNES, [1 if rural else 4 for _, _, rural in D.COMMUNES])[0]


def _personne(rng: random.Random) -> str:
    return f"{rng.choice(P.PRENOMS)} {rng.choice(P.NOMS)}"


def _porteur(rng, nom, statut, refus):
    ancrage = next((ville for mot, ville in D.ANCRAGES if mot in nom), nom)
    nommee = [c for c in sorted(D.COMMUNES, key=lambda c: -len(c[0])) if c[0] in ancrage]
    commune, cp, _ = nommee[0] if nommee else _commune(rng)
    contact = _personne(rng)
    courriel = _slug(contact).replace("_", ".") + "@" + _slug(nom).replace("_", "-")[:24]
    diplome = rng.choice(("Bac+2", "Bac+2", "Bac+3", "Bac+3", "Bac+4", "Bac+5 et plus"))
    return {
        "nom": nom,
        "siret": _siret(rng),
        "statut": statut,
        "rna": f"W26{rng.randint(1000000, 9999999)}" if statut == "Association" else None,
        "adresse": f"{rng.randint(1, 80)} {rng.choice(D.RUES)}",
        "code_postal": cp,
        "commune": commune,
        "representant": _personne(rng),
        "representant_qualite": rng.choice(D.QUALITES[statut]),
        "contact_nom": contact,
        "contact_courriel": courriel + ".example",
        "contact_telephone": f"04 75 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}"
        if rng.random() < 0.9
        else None,
        "coordinateur_nom": _personne(rng),
        "coordinateur_diplome": {"diplome_bas": rng.choice(("Bac", "CAP/BEP"))}.get(refus, diplome),
        "coordinateur_experience": 0 if refus == "sans_experience" else rng.randint(1, 15),
        "premiere_demande": "Oui" if rng.random() < 0.2 else "Non",
        "pluriannuel": "Oui" if rng.random() < 0.4 else "Non",
        "principes": "Non" if refus == "principes" else "Oui",
        "formation": "Non" if rng.random() < 0.1 else "Oui",
        "date_signature": dt.date(2026, 5, 15) + dt.timedelta(days=rng.randint(0, 45)),
    }


def _collectif(rng, code, commune, refus):
    """One collectif; eligible unless `refus` names the rule it is made to fail."""
    tranches, poids = zip(*D.TRANCHES)
    nmin, nmax = rng.choices(tranches, poids)[0]
    ville, _, rural = commune
    if refus == "rural_frequence" and not rural:
        ville, _, rural = rng.choice([c for c in D.COMMUNES if c[2]])
    enfants, sal, ben = rng.randint(8, 12), rng.randint(1, 2), rng.randint(0, 2)
    seances, duree = rng.choice((2, 2, 2, 3)), rng.choice((1.5, 1.5, 2.0, 2.0, 2.5))
    handicap = rng.choices((0, 1, 2), (82, 14, 4))[0]
    if rural and rng.random() < 0.4:  # the rural derogation, used lawfully
        enfants, sal, ben, seances, duree = rng.randint(5, 7), 1, 0, 1, 2.0
    else:
        ben = max(ben, 2 - sal)
        enfants = 6 if handicap and rng.random() < 0.3 else enfants  # handicap derogation
    debut = dt.date(2026, 11, 2) + dt.timedelta(weeks=rng.choice((0, 0, 1, 2)))
    if rng.random() < 0.08:
        debut = dt.date(2026, 10, 5)  # before the recommended start: A-CALENDRIER
    fin = dt.date(2027, 6, 4) + dt.timedelta(weeks=rng.choice((0, 1, 1, 1, 1, 1, 1, 1, 3)))
    c = {
        "code": code,
        "lieu": rng.choice(D.LIEUX),
        "commune": ville,
        "niveau_min": nmin,
        "niveau_max": nmax,
        "enfants": enfants,
        "enfants_handicap": min(handicap, enfants),
        "rural": "Oui" if rural else "Non",
        "intervenants_salaries": sal,
        "intervenants_benevoles": ben,
        "seances_semaine": seances,
        "duree_seance": duree,
        "semaines": min(rng.randint(28, 32), (fin - debut).days // 7),
        "date_debut": debut,
        "date_fin": fin,
        "besoin_repere": "Oui",
        "accord_parents": "Oui",
        "aide_devoirs_seule": "Non",
        "ouvert_parents": "Oui",
    }
    for cle, p in D.BONUS_PROBABILITES:
        c[cle] = "Oui" if rng.random() < p else "Non"
    c.update(
        {
            "trop_enfants": {"enfants": rng.randint(14, 16)},
            "trop_peu": {"enfants": 4 if rural else 6, "enfants_handicap": 0},
            "encadrement": {
                "enfants": max(enfants, 8),
                "intervenants_salaries": 1,
                "intervenants_benevoles": 0,
            },
            "frequence": {"seances_semaine": 1, "duree_seance": 1.5},
            "rural_frequence": {"seances_semaine": 1, "duree_seance": 1.5},
            "semaines_26": {"semaines": 26},
            "aide_devoirs": {"aide_devoirs_seule": "Oui"},
            "ferme_parents": {"ouvert_parents": "Non"},
            "sans_reperage": {"besoin_repere": "Non"},
            "maternelle": {"niveau_min": "Maternelle", "niveau_max": "CP"},
        }.get(refus, {})
    )
    c["_accord"] = refus is None
    return c


def enveloppe_ajustee(dossier: Path) -> int:
    """The envelope (euros) the demo campagne's requests exceed, so that the committee has to
    fit it (arbitrage.md): its total as the run decides it (the program's own decision code),
    less 10 %, to the thousand below."""
    from campaign.lire.campagne import charger_campagne
    from campaign.run import pipeline
    from campaign.run.lecteurs import non_dossiers

    campagne = charger_campagne(dossier)
    lectures = pipeline.lire(dossier, exclus=non_dossiers(campagne, dossier))
    tables, anomalies, etats = pipeline.valider(lectures)
    resultat = pipeline.decider(campagne, lectures, tables, anomalies, etats)
    total = Fraction(int(resultat.decisions.dossiers["total"].sum()), 100)
    return math.floor(total * Fraction(90, 100) / 1000) * 1000


def _dossier(rng, nom, statut, refus_dossier, defaut, compteur):
    porteur = _porteur(rng, nom, statut, refus_dossier)
    commune = next(c for c in D.COMMUNES if c[0] == porteur["commune"])
    n = rng.choices((1, 2, 3, 4, 5, 6), (18, 17, 12, 7, 4, 2))[0]
    cols = []
    for j in range(max(n, 2) if defaut else n):
        ici = commune if rng.random() < 0.75 else _commune(rng)
        refus = (
            None
            if defaut or rng.random() >= 0.16  # the reasons come in turn
            else D.REFUS_COLLECTIF[next(compteur) % len(D.REFUS_COLLECTIF)]
        )
        cols.append(_collectif(rng, f"C{j + 1}", ici, refus))
    if defaut:
        cols[0].update(
            duree_seance=1.5,
            besoin_repere="Oui",  # stays eligible: 2 x 1h30
            seances_semaine=max(2, cols[0]["seances_semaine"]),
        )
        cols[1].update(enfants=12, enfants_handicap=0, intervenants_salaries=2)
    projet = {c.cle: "Non" if (refus_dossier, c.cle) == ("axe_incomplet", "P3") else "Oui" for c in PROJET}
    budget = tirer_budget(
        rng, cols, statut, refus_dossier == "sans_cofinancement", not defaut and rng.random() < 0.06
    )
    if defaut == "montant_texte":
        budget["C64"], budget["C60"] = budget["C64"] + budget["C60"] - 1200.0, 1200.0
    return {
        "porteur": porteur,
        "projet": projet,
        "collectifs": cols,
        "budget": budget,
        "refus": refus_dossier,
        "incomplet": defaut in INCOMPLETS,
    }


def plan_demo(dossiers: int = 60, seed: int = 2026):
    """The campagne as data: (rng, [(file name, dossier, typed messily, defect or None)])."""
    rng = random.Random(seed)
    defauts = DEFAUTS if dossiers >= 2 * len(DEFAUTS) else ()
    normaux = dossiers - len(defauts)
    porteurs = _porteurs(rng, max(1, dossiers - bool(defauts)))  # two defects share one operator
    refus_dossier = dict(zip(rng.sample(range(normaux), min(normaux, len(D.REFUS_DOSSIER))), D.REFUS_DOSSIER))
    compteur = itertools.count()
    fichiers: list[tuple[str, dict, bool, str | None]] = []
    for i in range(normaux):
        d = _dossier(rng, *porteurs[i], refus_dossier.get(i), None, compteur)
        nom = f"dossier_{i + 1:03d}_{_slug(d['porteur']['nom'])}.xlsx"
        fichiers.append((nom, d, rng.random() < 0.15, None))
    for k, defaut in enumerate(defauts):
        d = _dossier(rng, *porteurs[normaux + min(k, len(defauts) - 2)], None, defaut, compteur)
        if defaut == "siret_doublon_b":  # the same operator sent a second, revised file
            d["porteur"] = dict(fichiers[-1][1]["porteur"])
        fichiers.append((f"defaut_{defaut}.xlsx", d, False, defaut))
    return rng, fichiers


def ecrire_demo(out: Path, dossiers: int = 60, seed: int = 2026) -> int:
    """Write the synthetic campagne into `out`, an empty folder or one a demo wrote (its
    inventory says which files; anything else there stops it, nothing touched); return the
    number of files written."""
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise CampaignError(f"{out} est un fichier : choisissez un dossier vide, rien n'a été écrit.")
    if out.is_dir():
        inventaire.verifier(out)
    out.mkdir(parents=True, exist_ok=True)
    rng, fichiers = plan_demo(dossiers, seed)
    noms = [nom for nom, *_ in fichiers] + ["scan_courrier.xlsx", "notes.txt", "campagne.toml"]
    noms += [f"{DOSSIER_PRECEDENT}/{nom}" for nom in FICHIERS_PRECEDENTS]
    anciens = inventaire.ecrits(out)
    inventaire.annoncer(out, noms)
    for ancien in anciens:  # a rerun leaves no file of a previous demo behind
        (out / ancien).unlink(missing_ok=True)
        for parent in (out / ancien).parents:  # nor its comite/ folder, left empty
            if parent == out or not parent.is_dir() or any(parent.iterdir()):
                break
            parent.rmdir()
    inventaire.ecrire(out, dict.fromkeys(noms))
    consignes = consignes_de_l_annee(ANNEE)
    for nom, d, brouillon, defaut in fichiers:
        wb = construire_dossier_vierge(ANNEE, consignes)
        remplir(wb, d, rng, brouillon, saut=1 if defaut == "ligne_vide" else None)
        abimer(wb, defaut)
        enregistrer_classeur(wb, out / nom, HORODATAGE)
    (out / "scan_courrier.xlsx").write_text(T.SCAN_COURRIER.format(annee=ANNEE), "utf-8")
    (out / "notes.txt").write_text(T.NOTES_TXT.format(annee=ANNEE), "utf-8")
    _, partis = plan_demo(4 * PARTIS, seed - 1)
    precedents = ecrire_precedente(out, fichiers, partis, ANNEE, HORODATAGE, seed)
    suite = T.ARBITRAGE_ET_HISTORIQUE.format(precedente=DOSSIER_PRECEDENT)
    toml = out / "campagne.toml"
    toml.write_text(T.CAMPAGNE_TOML.format(annee=ANNEE, enveloppe=1000, suite=suite), "utf-8")
    enveloppe = enveloppe_ajustee(out)
    toml.write_text(T.CAMPAGNE_TOML.format(annee=ANNEE, enveloppe=enveloppe, suite=suite), "utf-8")
    inventaire.sceller(out, noms + precedents)
    return len(fichiers) + 3 + len(precedents)
