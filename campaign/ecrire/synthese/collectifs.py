"""The committee's sheet Collectifs, ordered for a meeting.

Columns: who and which collectif (frozen), the proposition, the committee's two columns, the
reasons in words (refusal, bonuses not granted, warnings: three columns), last year's totals
(`[historique]`: `synthese.evolution`), the final values; then, folded (outline levels), the
amounts' detail, the facts, the ✓/✗ per rule and the identity the committee file reader
matches on. Rows sorted by operator, then collectif. The reader (`campaign.lire.comite`) finds
its columns by header name: SIRET, Collectif, Avis du comité, Commentaire, Fichier, Décision,
Total (comite.md §2).
"""

from __future__ import annotations

import dataclasses
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from campaign.ecrire.synthese import evolution
from campaign.ecrire.synthese.style import ECHEC, VALIDE, Colonne, colonne_de, colorer, oui_non, tableau
from campaign.ecrire.synthese.xlsx import Feuille
from campaign.resultat import RegleDecrite, Resultat

AVIS = ("Favorable", "Défavorable", "Ajourné")
GRISE = {"bg_color": "#EDEDED"}  # read-only columns of the committee's sheet
FIGEES = 2  # Porteur and Collectif: frozen on the left
PLIEES = 1  # outline level of the folded detail; the ✓/✗ columns one level deeper


def regles_de_refus(resultat: Resultat) -> list[RegleDecrite]:
    """The eligibility rules, collectif-level first, in their declaration order."""
    motifs = resultat.regles_de("motif")
    return [r for r in motifs if r.niveau == "collectif"] + [r for r in motifs if r.niveau == "dossier"]


def cle_de_tri(texte: Any) -> str:
    """Operator names sorted as a reader expects: accents and case aside."""
    s = unicodedata.normalize("NFKD", "" if texte is None or pd.isna(texte) else str(texte))
    return "".join(ch for ch in s if not unicodedata.combining(ch)).casefold().strip()


def raison(regle: RegleDecrite) -> str:
    """One reason on its own line, the code first, so that a wrap never cuts the code."""
    return f"{regle.code} : {regle.echec}"


def _niveaux(c: dict) -> str:
    mini = "" if pd.isna(c["niveau_min"]) else c["niveau_min"]
    maxi = "" if pd.isna(c["niveau_max"]) else c["niveau_max"]
    return mini if mini == maxi else f"{mini} – {maxi}"


def _somme(*valeurs):
    valeurs = tuple(v for v in valeurs if not pd.isna(v))
    return sum(int(v) for v in valeurs) if valeurs else None


@dataclass(frozen=True)
class _Ligne:
    """What one row's values are read from: the collectif's record, its operator, its reasons
    in words, and what the committee made of it."""

    c: dict
    nom: str
    siret: str
    motifs: str
    non_accordes: str
    avertis: str
    decision_finale: str
    total_final: int
    avis: str
    commentaire: str


Champ = tuple[Colonne, Callable[[_Ligne], Any]]  # a column: its header and format, its value

VUES: tuple[Champ, ...] = (
    (Colonne("Porteur", largeur=28, renvoi=True), lambda ligne: ligne.nom),
    (Colonne("Collectif", largeur=9), lambda ligne: str(ligne.c["code"])),
    (Colonne("Décision", largeur=11), lambda ligne: ligne.c["decision"]),
    (Colonne("Total", "euros", 12), lambda ligne: ligne.c["total"]),
    (Colonne("Avis du comité", largeur=14), lambda ligne: ligne.avis),
    (Colonne("Commentaire", largeur=30, renvoi=True), lambda ligne: ligne.commentaire),
    (Colonne("Motifs de refus", largeur=40, renvoi=True), lambda ligne: ligne.motifs),
    (Colonne("Bonus non accordés", largeur=34, renvoi=True), lambda ligne: ligne.non_accordes),
    (Colonne("Avertissements", largeur=34, renvoi=True), lambda ligne: ligne.avertis),
    (Colonne("Décision finale", largeur=12), lambda ligne: ligne.decision_finale),
    (Colonne("Total final", "euros", 12), lambda ligne: ligne.total_final),
)
FAITS: tuple[Champ, ...] = (
    (Colonne("PS", "euros", 12), lambda ligne: ligne.c["ps"]),
    (Colonne("Bonus enfants", "euros", 12), lambda ligne: ligne.c["bonus_enfants"]),
    (Colonne("Bonus parents", "euros", 12), lambda ligne: ligne.c["bonus_parents"]),
    (Colonne("Commune", largeur=18), lambda ligne: ligne.c["commune"]),
    (Colonne("Lieu", largeur=22), lambda ligne: ligne.c["lieu"]),
    (Colonne("Niveaux", largeur=14), lambda ligne: _niveaux(ligne.c)),
    (Colonne("Enfants", "entier", 9), lambda ligne: ligne.c["enfants"]),
    (Colonne("dont en situation de handicap", "entier", 12), lambda ligne: ligne.c["enfants_handicap"]),
    (Colonne("Rural", largeur=8), lambda ligne: oui_non(ligne.c["rural"])),
    (
        Colonne("Intervenants", "entier", 12),
        lambda ligne: _somme(ligne.c["intervenants_salaries"], ligne.c["intervenants_benevoles"]),
    ),
    (Colonne("Séances par semaine", "entier", 10), lambda ligne: ligne.c["seances_semaine"]),
    (Colonne("Durée d'une séance (h)", "decimal", 10), lambda ligne: ligne.c["duree_seance"]),
    (Colonne("Semaines", "entier", 10), lambda ligne: ligne.c["semaines"]),
    (Colonne("Début", "date", 12), lambda ligne: ligne.c["date_debut"]),
    (Colonne("Fin", "date", 12), lambda ligne: ligne.c["date_fin"]),
)
IDENTITE: tuple[Champ, ...] = (
    (Colonne("SIRET", largeur=16), lambda ligne: ligne.siret),
    (Colonne("Fichier", largeur=34), lambda ligne: ligne.c["fichier"]),
)


def _regles(codes: list[str]) -> tuple[Champ, ...]:
    """A ✓/✗ column per eligibility rule: respected or not by the collectif."""

    def valeur(code: str) -> Callable[[_Ligne], str]:
        return lambda ligne: ECHEC if ligne.c[code] else VALIDE

    return tuple((Colonne(code, largeur=max(9, len(code) + 2)), valeur(code)) for code in codes)


def _raisons(resultat: Resultat) -> dict[str, dict[str, RegleDecrite]]:
    return {
        nature: {r.code: r for r in resultat.regles_de(*natures)}
        for nature, natures in (
            ("motif", ("motif",)),
            ("bonus", ("bonus",)),
            ("avertissement", ("avertissement", "ecretement")),
        )
    }


def _bonus_refuses(resultat: Resultat) -> dict[tuple[str, str], list[str]]:
    """(fichier, collectif) -> the bonus codes not granted, as the letters say them."""
    t = resultat.textes
    t = t[(t["nature"] == "bonus") & (t["code_collectif"] != "")]
    refuses: dict[tuple[str, str], list[str]] = {}
    for f, c, code in t[["fichier", "code_collectif", "code"]].itertuples(index=False):
        refuses.setdefault((f, str(c)), []).append(code)
    return refuses


def _utiles(codes: list[str]) -> list[str]:
    """The columns of decisions' collectifs the sheet shows (the others are not converted)."""
    return [
        *("fichier", "code", "position", "decision", "total", "ps", "bonus_enfants", "bonus_parents"),
        *("commune", "lieu", "niveau_min", "niveau_max", "enfants", "enfants_handicap", "rural"),
        *("intervenants_salaries", "intervenants_benevoles", "seances_semaine", "duree_seance"),
        *("semaines", "date_debut", "date_fin", "avertissements", *codes),
    ]


def _enregistrements(table: pd.DataFrame) -> list[dict]:
    """The rows as dicts of Python values, as to_dict("records") gives them, column by column
    (twice as fast on pandas' nullable columns)."""
    colonnes = {k: table[k].tolist() for k in table.columns}
    return [dict(zip(colonnes, valeurs)) for valeurs in zip(*colonnes.values())]


def lignes_collectifs(resultat: Resultat) -> tuple[list[list], list[Colonne], int, int]:
    """The rows (sorted for the meeting), the columns, and the first and last folded column."""
    codes = [r.code for r in regles_de_refus(resultat)]
    raisons = _raisons(resultat)
    bonus = _bonus_refuses(resultat)
    d = resultat.dossiers  # one row per file: plain dicts, not a Series lookup per collectif
    noms, sirets = dict(zip(d["fichier"], d["nom"])), dict(zip(d["fichier"], d["siret"]))
    tri = {f: cle_de_tri(nom) for f, nom in noms.items()}
    champs = (*VUES, *FAITS, *_regles(codes), *IDENTITE)
    lignes = []
    for c, fin in zip(_enregistrements(resultat.decisions.collectifs[_utiles(codes)]), _finales(resultat)):
        f, code = c["fichier"], str(c["code"])
        motifs = [raison(raisons["motif"][k]) for k in codes if c[k]]
        non_accordes = [
            raison(raisons["bonus"][k]) for k in bonus.get((f, code), []) if k in raisons["bonus"]
        ]
        avertis = [
            raison(raisons["avertissement"][k])
            for k in str(c["avertissements"]).split("|")
            if k in raisons["avertissement"]
        ]
        decision, total, avis, commentaire = fin
        ligne = _Ligne(
            c,
            noms.get(f, ""),
            sirets.get(f, ""),
            "\n".join(motifs),
            "\n".join(non_accordes),
            "\n".join(avertis),
            decision,
            total,
            avis,
            commentaire,
        )
        lignes.append(((tri.get(f, ""), f, int(c["position"])), [valeur(ligne) for _, valeur in champs]))
    lignes.sort(key=lambda x: x[0])
    colonnes, rangs = [colonne for colonne, _ in champs], [x[1] for x in lignes]
    n1 = evolution.ajouter(resultat, rangs, colonnes, "Décision finale")  # [historique]: last year
    return rangs, colonnes, len(VUES) + n1 + 1, len(colonnes)


def collectifs(feuille: Feuille, resultat: Resultat) -> None:
    """One row per collectif, for the meeting; the detail folded; the committee's columns."""
    lignes, colonnes, premiere_pliee, _ = lignes_collectifs(resultat)
    colonnes = _habiller(colonnes, regles_de_refus(resultat), premiere_pliee)
    plage = tableau(feuille, colonnes, lignes)
    ws = feuille.ws
    ws.freeze_panes(1, FIGEES)
    debut = plage.split(":")[0][1:]
    decision, total = colonne_de(colonnes, "Décision"), colonne_de(colonnes, "Total")
    colorer(
        feuille,
        plage,
        rouge=f'${decision}{debut}="REFUS"',
        orange=f'OR(${colonne_de(colonnes, "Avertissements")}{debut}<>"",'
        f'AND(${decision}{debut}="ACCORD",${total}{debut}=0))',
    )
    ws.outline_settings(symbols_right=False)  # the fold's button on the shown column
    _comite(feuille, colonnes, len(lignes))


def _habiller(colonnes: list[Colonne], regles: list[RegleDecrite], premiere_pliee: int) -> list[Colonne]:
    """The committee's two columns to fill, the folded columns (the ✓/✗ one level deeper),
    and each rule's condition in its header's comment."""
    par_code = {r.code: r for r in regles}
    habillees = []
    for j, col in enumerate(colonnes, start=1):
        regle = par_code.get(col.titre)
        if col.titre == "Avis du comité":
            col = dataclasses.replace(col, a_remplir=True, retrait=1)  # apart from the amount
        elif col.titre == "Commentaire":
            col = dataclasses.replace(col, a_remplir=True)
        elif j >= premiere_pliee:
            col = dataclasses.replace(col, niveau=PLIEES + 1 if regle else PLIEES)
        if regle:
            col = dataclasses.replace(
                col,
                commentaire=f"{regle.code} : {regle.echec}\nCondition : {regle.libelle}\n"
                "✓ = respectée, ✗ = non respectée",
            )
        habillees.append(col)
    return habillees


def _finales(resultat) -> list[tuple]:
    """(Décision finale, Total final, avis in force, its Commentaire) of each collectif row."""
    f = resultat.comite.collectifs
    return list(zip(f["decision"], f["total"], f["avis"], f["commentaire"]))


def _comite(feuille: Feuille, colonnes: list[Colonne], n: int) -> None:
    """The committee's drop-down. The sheet stays unprotected, so that Excel can sort and
    filter it (comite.md §1): the columns not to edit are shaded instead, and what is typed in
    them is ignored when the file is read back."""
    titres = [c.titre for c in colonnes]
    avis = titres.index("Avis du comité")
    if n:
        feuille.ws.data_validation(
            1,
            avis,
            n,
            avis,
            {
                "validate": "list",
                "source": list(AVIS),
                "ignore_blank": True,
                "show_error": False,  # 'Fav.' or 'Oui' typed are read too
                "show_input": False,
                "input_title": "Avis du comité",
                "input_message": "Favorable, Défavorable ou Ajourné",
            },
        )
    avant = colonne_de(colonnes, titres[avis - 1])
    apres = colonne_de(colonnes, titres[titres.index("Commentaire") + 1])
    fin = max(n, 1) + 1
    derniere = colonne_de(colonnes, titres[-1])
    # lowest priority: a REFUS or warning row keeps its colour, the rest is shaded grey
    feuille.ws.conditional_format(
        f"A2:{avant}{fin}",
        {
            "type": "formula",
            "criteria": "TRUE",
            "format": feuille.styles(GRISE),
            "multi_range": f"A2:{avant}{fin} {apres}2:{derniere}{fin}",
        },
    )
