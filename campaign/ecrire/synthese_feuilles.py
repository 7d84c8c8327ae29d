"""The committee workbook's tables: Collectifs, Dossiers, Anomalies, Paramètres.

One function per sheet; the look and the safe cell writers are in `synthese_style`.
"""

from __future__ import annotations

import hashlib

import pandas as pd
from openpyxl.comments import Comment
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

import campaign
from campaign.lire.anomalies import BLOQUANT, Anomalie
from campaign.resultat import RegleDecrite, Resultat
from campaign.ecrire.synthese_style import (ECHEC, FOND_TITRE_BLOC, POLICE_BLOC, POLICE_LIEN, VALIDE,
                                     Colonne, colorer, lettre, oui_non, tableau, texte)

AVIS = ("Favorable", "Défavorable", "Ajourné")
GRISE = PatternFill("solid", fgColor="EDEDED")  # read-only columns of the committee's sheet
FOND_A_REMPLIR = PatternFill("solid", fgColor="548235")
POLICE_A_REMPLIR = Font(bold=True, color="FFFFFF")


def regles_de_refus(resultat: Resultat) -> list[RegleDecrite]:
    """The eligibility rules, collectif-level first, in their declaration order."""
    motifs = resultat.regles_de("motif")
    return [r for r in motifs if r.niveau == "collectif"] + [r for r in motifs if r.niveau == "dossier"]


def _niveaux(c: dict) -> str:
    mini = "" if pd.isna(c["niveau_min"]) else c["niveau_min"]
    maxi = "" if pd.isna(c["niveau_max"]) else c["niveau_max"]
    return mini if mini == maxi else f"{mini} – {maxi}"


def _somme(*valeurs):
    valeurs = [v for v in valeurs if not pd.isna(v)]
    return sum(int(v) for v in valeurs) if valeurs else None


def collectifs(ws: Worksheet, resultat: Resultat, textes: dict[tuple[str, str], str]) -> None:
    """One row per collectif: its answers, ✓/✗ per rule, decision, amounts, the committee's columns."""
    codes = [r.code for r in regles_de_refus(resultat)]
    noms = resultat.dossiers.set_index("fichier")["nom"]
    sirets = resultat.dossiers.set_index("fichier")["siret"]
    colonnes = [
        Colonne("Porteur", largeur=30, renvoi=True), Colonne("SIRET", largeur=16),
        Colonne("Fichier", largeur=34), Colonne("Collectif", largeur=10),
        Colonne("Lieu", largeur=22, renvoi=True), Colonne("Commune", largeur=18),
        Colonne("Niveaux", largeur=16), Colonne("Enfants", "entier", 9),
        Colonne("dont en situation de handicap", "entier", 12), Colonne("Rural", largeur=8),
        Colonne("Intervenants", "entier", 12), Colonne("Séances par semaine", "entier", 10),
        Colonne("Durée d'une séance (h)", "decimal", 10), Colonne("Semaines", "entier", 10),
        Colonne("Début", "date", 12), Colonne("Fin", "date", 12),
        *[Colonne(code, largeur=max(9, len(code) + 2)) for code in codes],
        Colonne("Décision", largeur=11), Colonne("Avertissements", largeur=18, renvoi=True),
        Colonne("Motifs et avertissements", largeur=60, renvoi=True),
        Colonne("PS", "euros", 13), Colonne("Bonus enfants", "euros", 13),
        Colonne("Bonus parents", "euros", 13), Colonne("Total", "euros", 14),
        Colonne("Décision finale", largeur=13), Colonne("Total final", "euros", 14),
        Colonne("Avis du comité", largeur=16), Colonne("Commentaire", largeur=40, renvoi=True),
    ]
    lignes = []
    finales = _finales(resultat)
    for c, f_ in zip(resultat.decisions.collectifs.to_dict("records"), finales):
        f = c["fichier"]
        lignes.append([
            noms.get(f, ""), sirets.get(f, ""), f, c["code"], c["lieu"], c["commune"], _niveaux(c),
            c["enfants"], c["enfants_handicap"], oui_non(c["rural"]),
            _somme(c["intervenants_salaries"], c["intervenants_benevoles"]), c["seances_semaine"],
            c["duree_seance"], c["semaines"], c["date_debut"], c["date_fin"],
            *[ECHEC if c[code] else VALIDE for code in codes],
            c["decision"], c["avertissements"].replace("|", " "),
            textes.get((f, str(c["code"])), ""),
            c["ps"], c["bonus_enfants"], c["bonus_parents"], c["total"], *f_,
        ])
    plage = tableau(ws, colonnes, lignes)
    premiere = plage.split(":")[0][1:]
    colorer(ws, plage, rouge=f'${lettre(colonnes, "Décision")}{premiere}="REFUS"',
            orange=f'${lettre(colonnes, "Avertissements")}{premiere}<>""')
    for regle in regles_de_refus(resultat):
        ws[f"{lettre(colonnes, regle.code)}1"].comment = Comment(
            f"{regle.code} : {regle.libelle}\n✓ = respecté, ✗ = non respecté", "campaign",
            width=300, height=90)
    _comite(ws, colonnes, len(lignes))


def _finales(resultat) -> list[tuple]:
    """(Décision finale, Total final, avis in force, its Commentaire) of each collectif row."""
    comite = getattr(resultat, "comite", None)
    if comite is None:
        return [("PROPOSITION", t, "", "") for t in resultat.decisions.collectifs["total"]]
    f = comite.collectifs
    return list(zip(f["decision"], f["total"], f["avis"], f["commentaire"]))


def _comite(ws: Worksheet, colonnes: list[Colonne], n: int) -> None:
    """The committee's drop-down and comment. The sheet stays unprotected, so that Excel can
    sort and filter it (comite.md §1): the columns not to edit are shaded instead, and what
    is typed in them is ignored when the file is read back."""
    avis, commentaire = lettre(colonnes, "Avis du comité"), lettre(colonnes, "Commentaire")
    validation = DataValidation(type="list", formula1='"' + ",".join(AVIS) + '"', allow_blank=True,
                                showErrorMessage=False,  # 'Fav.' or 'Oui' typed are read too
                                promptTitle="Avis du comité", prompt="Favorable, Défavorable ou Ajourné")
    ws.add_data_validation(validation)
    if n:
        validation.add(f"{avis}2:{avis}{n + 1}")
    for col in (avis, commentaire):
        ws[f"{col}1"].fill = FOND_A_REMPLIR
        ws[f"{col}1"].font = POLICE_A_REMPLIR
    derniere_lue = lettre(colonnes, colonnes[colonnes.index(next(
        c for c in colonnes if c.titre == "Avis du comité")) - 1].titre)
    # lowest priority: a REFUS or warning row keeps its colour, the rest is shaded grey
    ws.conditional_formatting.add(f"A2:{derniere_lue}{max(n, 1) + 1}",
                                  FormulaRule(formula=["TRUE"], fill=GRISE))


def dossiers(ws: Worksheet, resultat, courriers: dict[str, str]) -> None:
    """One row per file of the folder, with a relative link to its letter."""
    colonnes = [
        Colonne("Fichier", largeur=34), Colonne("Statut", largeur=12), Colonne("Décision", largeur=16),
        Colonne("SIRET", largeur=16), Colonne("Nom", largeur=34, renvoi=True),
        Colonne("Collectifs", "entier", 11), Colonne("Anomalies bloquantes", "entier", 12),
        Colonne("Avertissements", "entier", 14), Colonne("Total", "euros", 14),
        Colonne("Courrier", largeur=44),
    ]
    lignes = [[d.fichier, d.statut, d.decision, d.siret, d.nom, d.collectifs, d.bloquants,
               d.avertissements, d.total, courriers.get(d.fichier, "")]
              for d in resultat.dossiers.itertuples(index=False)]
    plage = tableau(ws, colonnes, lignes)
    courrier = lettre(colonnes, "Courrier")
    for i, ligne in enumerate(lignes, start=2):
        if ligne[-1]:
            cellule = ws[f"{courrier}{i}"]
            cellule.hyperlink = ligne[-1]
            cellule.font = POLICE_LIEN
    decision, bloquants = lettre(colonnes, "Décision"), lettre(colonnes, "Anomalies bloquantes")
    colorer(ws, plage, rouge=f'OR(${decision}2="REFUS",${bloquants}2>0)',
            orange=f'${lettre(colonnes, "Avertissements")}2>0')


def anomalies(ws: Worksheet, liste: list[Anomalie]) -> None:
    """The anomalies found while reading, the blocking ones first."""
    colonnes = [
        Colonne("Gravité", largeur=16), Colonne("Fichier", largeur=34), Colonne("Feuille", largeur=12),
        Colonne("Cellule", largeur=9), Colonne("Champ", largeur=18), Colonne("Valeur", largeur=18),
        Colonne("Code", largeur=24), Colonne("Message", largeur=80, renvoi=True),
    ]
    ordre = sorted(liste, key=lambda a: (a.gravite != BLOQUANT, a.cle_tri()))
    lignes = [[a.gravite, a.fichier, a.feuille, a.cellule, a.champ, a.valeur, a.code, a.message]
              for a in ordre]
    plage = tableau(ws, colonnes, lignes)
    colorer(ws, plage, rouge=f'$A2="{BLOQUANT}"', orange='$A2<>""')


def empreinte(dossiers: pd.DataFrame) -> str:
    """sha256 of the sorted 'fichier:sha256' lines (each ending with a line feed) of the inputs."""
    lignes = sorted(f"{d.fichier}:{d.sha256}\n" for d in dossiers.itertuples(index=False))
    return hashlib.sha256("".join(lignes).encode("utf-8")).hexdigest()


def parametres(ws: Worksheet, resultat) -> None:
    """Every parameter used, then the run's identity (deterministic: no clock time)."""
    colonnes = [
        Colonne("Paramètre", largeur=28), Colonne("Libellé", largeur=44, renvoi=True),
        Colonne("Valeur", largeur=16), Colonne("Unité", largeur=10), Colonne("Depuis", "date", 12),
        Colonne("Source", largeur=50, renvoi=True), Colonne("Confirmé", largeur=10),
        Colonne("Fichier", largeur=16),
    ]
    lignes = [[p.nom, p.libelle, p.valeur, p.unite, p.depuis, p.source, oui_non(p.confirme), p.fichier]
              for p in sorted(resultat.parametres.values(), key=lambda p: (p.fichier, p.nom))]
    plage = tableau(ws, colonnes, lignes)
    colorer(ws, plage, orange='$G2="Non"')
    ligne = len(lignes) + 3
    titre = ws.cell(row=ligne, column=1)
    texte(titre, "Identité de l'exécution")
    titre.font, titre.fill = POLICE_BLOC, FOND_TITRE_BLOC
    identite = [
        ("Logiciel", f"campaign {campaign.__version__}"),
        ("Campagne", resultat.campagne.annee),
        ("Fichiers lus", str(len(resultat.dossiers))),
        ("Empreinte des entrées (sha256)", empreinte(resultat.dossiers)),
    ]
    for i, (cle, valeur) in enumerate(identite, start=ligne + 1):
        texte(ws.cell(row=i, column=1), cle)
        texte(ws.cell(row=i, column=2), valeur)
        ws.cell(row=i, column=2).alignment = Alignment(horizontal="left")
