"""The committee's sheet Collectifs, ordered for a meeting.

Columns: who and which collectif (frozen), the proposition, the committee's two columns, the
reasons in words (refusal, bonuses not granted, warnings: three columns), the final values;
then, folded (outline levels), the amounts' detail, the facts, the ✓/✗ per rule and the
identity the committee file reader matches on. Rows sorted by operator, then collectif. The
reader (`campaign.lire.comite`) finds its columns by header name: SIRET, Collectif, Avis du
comité, Commentaire, Fichier, Décision, Total (comite.md §2).
"""

from __future__ import annotations

import unicodedata
from typing import Any

import pandas as pd
from openpyxl.comments import Comment
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from campaign.ecrire.synthese_style import ECHEC, VALIDE, Colonne, colonne_de, colorer, oui_non, tableau
from campaign.resultat import RegleDecrite, Resultat

AVIS = ("Favorable", "Défavorable", "Ajourné")
GRISE = PatternFill("solid", fgColor="EDEDED")  # read-only columns of the committee's sheet
FOND_A_REMPLIR = PatternFill("solid", fgColor="548235")
POLICE_A_REMPLIR = Font(name="Calibri", size=11, bold=True, color="FFFFFF")
IDENTITE = 2  # Porteur and Collectif: frozen on the left
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


def _colonnes(codes: list[str]) -> tuple[list[Colonne], list[Colonne], list[Colonne], list[Colonne]]:
    """(shown, folded facts, folded ✓/✗, folded identity)."""
    vues = [
        Colonne("Porteur", largeur=28, renvoi=True),
        Colonne("Collectif", largeur=9),
        Colonne("Décision", largeur=11),
        Colonne("Total", "euros", 12),
        Colonne("Avis du comité", largeur=14),
        Colonne("Commentaire", largeur=30, renvoi=True),
        Colonne("Motifs de refus", largeur=40, renvoi=True),
        Colonne("Bonus non accordés", largeur=34, renvoi=True),
        Colonne("Avertissements", largeur=34, renvoi=True),
        Colonne("Décision finale", largeur=12),
        Colonne("Total final", "euros", 12),
    ]
    faits = [
        Colonne("PS", "euros", 12),
        Colonne("Bonus enfants", "euros", 12),
        Colonne("Bonus parents", "euros", 12),
        Colonne("Commune", largeur=18),
        Colonne("Lieu", largeur=22),
        Colonne("Niveaux", largeur=14),
        Colonne("Enfants", "entier", 9),
        Colonne("dont en situation de handicap", "entier", 12),
        Colonne("Rural", largeur=8),
        Colonne("Intervenants", "entier", 12),
        Colonne("Séances par semaine", "entier", 10),
        Colonne("Durée d'une séance (h)", "decimal", 10),
        Colonne("Semaines", "entier", 10),
        Colonne("Début", "date", 12),
        Colonne("Fin", "date", 12),
    ]
    regles = [Colonne(code, largeur=max(9, len(code) + 2)) for code in codes]
    identite = [Colonne("SIRET", largeur=16), Colonne("Fichier", largeur=34)]
    return vues, faits, regles, identite


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


def lignes_collectifs(resultat: Resultat) -> tuple[list[list], list[Colonne], int, int]:
    """The rows (sorted for the meeting), the columns, and the first and last folded column."""
    codes = [r.code for r in regles_de_refus(resultat)]
    vues, faits, regles, identite = _colonnes(codes)
    raisons = _raisons(resultat)
    bonus = _bonus_refuses(resultat)
    noms = resultat.dossiers.set_index("fichier")["nom"]
    sirets = resultat.dossiers.set_index("fichier")["siret"]
    lignes = []
    for c, fin in zip(resultat.decisions.collectifs.to_dict("records"), _finales(resultat)):
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
        lignes.append(
            (
                (cle_de_tri(noms.get(f, "")), f, int(c["position"])),
                [
                    noms.get(f, ""),
                    code,
                    c["decision"],
                    c["total"],
                    avis,
                    commentaire,
                    "\n".join(motifs),
                    "\n".join(non_accordes),
                    "\n".join(avertis),
                    decision,
                    total,
                    c["ps"],
                    c["bonus_enfants"],
                    c["bonus_parents"],
                    c["commune"],
                    c["lieu"],
                    _niveaux(c),
                    c["enfants"],
                    c["enfants_handicap"],
                    oui_non(c["rural"]),
                    _somme(c["intervenants_salaries"], c["intervenants_benevoles"]),
                    c["seances_semaine"],
                    c["duree_seance"],
                    c["semaines"],
                    c["date_debut"],
                    c["date_fin"],
                    *[ECHEC if c[k] else VALIDE for k in codes],
                    sirets.get(f, ""),
                    f,
                ],
            )
        )
    lignes.sort(key=lambda x: x[0])
    colonnes = vues + faits + regles + identite
    return [x[1] for x in lignes], colonnes, len(vues) + 1, len(colonnes)


def collectifs(ws: Worksheet, resultat: Resultat) -> None:
    """One row per collectif, for the meeting; the detail folded; the committee's columns."""
    lignes, colonnes, premiere_pliee, derniere = lignes_collectifs(resultat)
    plage = tableau(ws, colonnes, lignes)
    ws.freeze_panes = ws.cell(row=2, column=IDENTITE + 1)
    debut = plage.split(":")[0][1:]
    decision, total = colonne_de(colonnes, "Décision"), colonne_de(colonnes, "Total")
    colorer(
        ws,
        plage,
        rouge=f'${decision}{debut}="REFUS"',
        orange=f'OR(${colonne_de(colonnes, "Avertissements")}{debut}<>"",'
        f'AND(${decision}{debut}="ACCORD",${total}{debut}=0))',
    )
    regles = regles_de_refus(resultat)
    for regle in regles:
        ws[f"{colonne_de(colonnes, regle.code)}1"].comment = Comment(
            f"{regle.code} : {regle.echec}\nCondition : {regle.libelle}\n✓ = respectée, ✗ = non respectée",
            "campaign",
            width=300,
            height=110,
        )
    premiere_regle = colonne_de(colonnes, regles[0].code) if regles else None
    for j in range(premiere_pliee, derniere + 1):
        dimension = ws.column_dimensions[get_column_letter(j)]
        profond = premiere_regle is not None and colonnes[j - 1].titre in {r.code for r in regles}
        dimension.outline_level = PLIEES + 1 if profond else PLIEES
        dimension.hidden = True
    ws.sheet_properties.outlinePr.summaryRight = False  # the fold's button on the shown column
    ws.sheet_format.outlineLevelCol = PLIEES + 1
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
    avis, commentaire = colonne_de(colonnes, "Avis du comité"), colonne_de(colonnes, "Commentaire")
    validation = DataValidation(
        type="list",
        formula1='"' + ",".join(AVIS) + '"',
        allow_blank=True,
        showErrorMessage=False,  # 'Fav.' or 'Oui' typed are read too
        promptTitle="Avis du comité",
        prompt="Favorable, Défavorable ou Ajourné",
    )
    ws.add_data_validation(validation)
    if n:
        validation.add(f"{avis}2:{avis}{n + 1}")
    for col in (avis, commentaire):
        ws[f"{col}1"].fill = FOND_A_REMPLIR
        ws[f"{col}1"].font = POLICE_A_REMPLIR
    for i in range(2, n + 2):  # apart from the amount on its left
        ws[f"{avis}{i}"].alignment = Alignment(vertical="top", indent=1)
    titres = [c.titre for c in colonnes]
    avant = get_column_letter(titres.index("Avis du comité"))
    apres = get_column_letter(titres.index("Commentaire") + 2)
    fin = max(n, 1) + 1
    # lowest priority: a REFUS or warning row keeps its colour, the rest is shaded grey
    ws.conditional_formatting.add(
        f"A2:{avant}{fin} {apres}2:{get_column_letter(len(colonnes))}{fin}",
        FormulaRule(formula=["TRUE"], fill=GRISE),
    )
