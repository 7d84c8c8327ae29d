"""The sheet Enveloppe (arbitrage.md §1): the envelope against the retained total and, when the
total exceeds it, what each way of fitting it gives this run.

At the top, in words, what the modes do and how one is applied (`[arbitrage] mode` in
campagne.toml); then the envelope, the total (proposed, or projected after a session, named as
the Synthèse names it), the margin, and the mode applied. Over the envelope: one block per mode
(total after it, coefficient or cap, dossiers reduced, the largest reduction), then from a new
page the dossiers each mode reduces, largest reduction first, a mode a page, under one header:
a printed page repeats one range of rows, so the three lists share their columns and header.

The figures are the decision stage's `Scenario`s, those the run applies: never computed here.
"""

from __future__ import annotations

import textwrap
from decimal import Decimal

from campaign.ecrire.synthese.montants import apres_comite
from campaign.ecrire.synthese.style import (
    CARACTERES_PAR_UNITE,
    FOND_TITRE_BLOC,
    HAUT,
    POLICE_BLOC,
    POLICE_ROUGE,
    POLICE_TITRE,
    ROUGE_CLAIR,
    Colonne,
    entete,
    hauteur,
    imprimer,
    style_de,
)
from campaign.ecrire.synthese.xlsx import ECRIVAINS, Feuille
from campaign.formats import pluriel
from campaign.lire.campagne_arbitrage import MODES
from campaign.resultat import Arbitrage, Reduction, Resultat, Scenario

# the lists' columns; the blocks above them write a label in A, its value in B, a name in C
LISTE = [
    Colonne("Porteur", largeur=48, renvoi=True),
    Colonne("Total avant", "euros", 16),
    Colonne("Total après", "euros", 16),
    Colonne("Réduction", "euros", 16),
    Colonne("Réduction (%)", "pourcent", 14),
    Colonne("Fichier", largeur=44, retrait=1),
]
FORMAT_TAUX = "0.00 %"  # a coefficient or a reduction, with the letters' two decimals
TAUX = {"num_format": FORMAT_TAUX}
A_GAUCHE = {"align": "left", "indent": 1}  # LibreOffice indents only text aligned to a side
APPLIQUE = "mode appliqué"
# the labels of a mode's block (the tests read the figures by them)
TOTAL_APRES, REDUITS = "Total après ce mode", "Dossiers réduits"
COEFFICIENT = "Coefficient appliqué aux montants réduits"
PLAFOND = "Plafond (total maximal d'un porteur)"
PLUS_FORTE_EUROS = "Plus forte réduction, en euros"
PLUS_FORTE_PART = "Plus forte réduction, en pourcentage"
TITRE_LISTES = "Dossiers réduits par chaque mode, la plus forte réduction en premier"
COLLE = "\x1f"  # a space a sentence is never cut at (textwrap's), written as a plain one


def enveloppe(feuille: Feuille, resultat: Resultat) -> None:
    """Write the sheet Enveloppe of `resultat`'s arbitrage (a sentence alone when it has none)."""
    for j, colonne in enumerate(LISTE, start=1):
        feuille.largeur(j, colonne.largeur)
    campagne, a = resultat.campagne, resultat.comite.arbitrage
    titre = f"Enveloppe de la campagne CLAS {campagne.annee} — {campagne.caf.get('nom', '')}"
    feuille.ecrire(1, 1, titre, "texte", POLICE_TITRE)
    imprimer(feuille, titres=(1, 1))  # the lists' header instead, when there are lists
    if a is None:
        _phrase(feuille, 2, "Aucune enveloppe n'est connue pour cette exécution.")
        return
    explication = _explication(a)
    ligne = _phrase(feuille, 2, explication[0])
    for s in a.scenarios:
        ligne = _mode(feuille, ligne, s)
    for phrase in explication[1:]:
        ligne = _phrase(feuille, ligne, phrase)
    ligne = _bilan(feuille, ligne + 1, a, apres_comite(resultat))
    noms = _noms(resultat)
    for s in a.scenarios:
        ligne = _bloc(feuille, ligne + 1, s, _applique(a, s), noms)
    if a.scenarios:
        _listes(feuille, ligne + 1, a, noms)


def _applique(a: Arbitrage, s: Scenario) -> bool:
    return a.choisi is not None and a.choisi.mode.code == s.mode.code


def _noms(resultat: Resultat) -> dict[str, str]:
    """fichier -> the operator's name (dossiers.csv's `nom`), the file's name when it has none."""
    d = resultat.dossiers
    return {str(f): n if isinstance(n, str) and n.strip() else str(f) for f, n in zip(d["fichier"], d["nom"])}


def _cle(code: str, espace: str = COLLE) -> str:
    """The line of campagne.toml that chooses the mode `code`, kept whole on one line."""
    return f'mode{espace}={espace}"{code}"'


def _explication(a: Arbitrage) -> list[str]:
    """What the modes do and how one is applied: the sentences before and after the modes."""
    if not a.scenarios:
        codes = ", ".join(f"«\u00a0{m}\u00a0»" for m in MODES)
        return [
            "Le total retenu tient dans l'enveloppe votée : aucun montant n'est réduit. S'il la "
            "dépassait, cette feuille donnerait les chiffres de chacun des trois modes de réduction "
            f"({codes}) que la clé mode de la section [arbitrage] du fichier campagne.toml permet "
            "d'appliquer."
        ]
    return [
        "Le total retenu dépasse l'enveloppe votée. Trois modes permettent de l'y ramener ; chacun "
        "est calculé ci-dessous, au centime près, sur les montants de cette campagne :",
        "Le mode appliqué est celui de la clé mode de la section [arbitrage] du fichier "
        f"campagne.toml (par exemple : {_cle('prorata')}) ; sans cette clé, rien n'est réduit. Une "
        "fois la clé écrite et le programme relancé, les décisions finales et les courriers portent "
        "les montants après réduction, et le courrier de chaque dossier réduit l'explique.",
    ]


def _phrase(feuille: Feuille, ligne: int, texte: str, style: dict | None = None, colonne: int = 1) -> int:
    """A sentence from `colonne` to the sheet's right edge, cut into lines a row each, each
    running over the empty cells on its right (a merged cell's wrapped height is nobody's to
    estimate); the next row."""
    largeur = sum(c.largeur for c in LISTE[colonne - 1 :])
    for morceau in textwrap.wrap(texte, int(largeur * CARACTERES_PAR_UNITE) - 1, break_on_hyphens=False):
        feuille.ecrire(ligne, colonne, morceau.replace(COLLE, " "), "texte", {**HAUT, **(style or {})})
        ligne += 1
    return ligne


def _mode(feuille: Feuille, ligne: int, s: Scenario) -> int:
    """A mode's name in A, what it does in the cells after; the next row."""
    regle = f"{s.mode.regle[:1].upper()}{s.mode.regle[1:]} ({_cle(s.mode.code)})."
    feuille.ecrire(ligne, 1, s.mode.libelle, "texte", {**POLICE_BLOC, **HAUT, **A_GAUCHE})
    return _phrase(feuille, ligne, regle, colonne=2)


def _titre(feuille: Feuille, ligne: int, texte: str) -> int:
    """A block's title on a band across the sheet (cells merged: one line, never wrapped)."""
    r, format_ = feuille.atteindre(ligne), feuille.styles(POLICE_BLOC, FOND_TITRE_BLOC, {"valign": "vcenter"})
    feuille.ws.merge_range(r, 0, r, len(LISTE) - 1, "", format_)
    ECRIVAINS["texte"](feuille.ws, r, 0, texte, format_)  # a string, never a formula
    return ligne + 1


def _ligne(
    feuille: Feuille, ligne: int, libelle: str, valeur, genre: str, style: dict | None = None, nom: str = ""
) -> int:
    """A label in A and its value in B, of kind `genre`, both with the look `style`; an
    operator's `nom` after them; the next row."""
    style = style or {}
    feuille.hauteur(ligne, hauteur([(libelle, LISTE[0].largeur - 2)]))
    feuille.ecrire(ligne, 1, libelle, "texte", {"text_wrap": True, **HAUT, **A_GAUCHE, **style})
    feuille.ecrire(ligne, 2, valeur, genre, style_de(genre, HAUT, style))
    if nom:
        feuille.ecrire(ligne, 3, nom, "texte", {**HAUT, **A_GAUCHE})
    return ligne + 1


def _bilan(feuille: Feuille, ligne: int, a: Arbitrage, apres_seance: bool) -> int:
    """The envelope, the total, the margin, the mode applied; the next row."""
    ligne = _titre(feuille, ligne, "L'enveloppe et le total retenu")
    total = "Total projeté (décisions et propositions)" if apres_seance else "Total proposé"
    s = a.applique
    ligne = _ligne(feuille, ligne, "Enveloppe de la campagne", a.enveloppe, "euros")
    avant = ", avant arbitrage" if s else ""  # the overrun a mode applied has resolved
    ligne = _ligne(feuille, ligne, total + avant, a.total, "euros", POLICE_BLOC)
    if a.depassement:
        rouge = {} if s else {**POLICE_ROUGE, **ROUGE_CLAIR}
        ligne = _ligne(feuille, ligne, "Dépassement de l'enveloppe" + avant, a.depassement, "euros", rouge)
    else:
        ligne = _ligne(feuille, ligne, "Reste disponible sur l'enveloppe", a.enveloppe - a.total, "euros")
    if a.enveloppe:
        ligne = _ligne(
            feuille, ligne, "Part de l'enveloppe utilisée" + avant, a.total / a.enveloppe, "pourcent"
        )
    if s is not None:
        ligne = _ligne(feuille, ligne, f"Mode appliqué ({_cle(s.mode.code, ' ')})", s.mode.libelle, "texte")
        ligne = _ligne(feuille, ligne, "Total après arbitrage", s.apres, "euros", POLICE_BLOC)
        return _ligne(feuille, ligne, "Reste disponible après arbitrage", a.enveloppe - s.apres, "euros")
    if a.mode:
        texte = f"Le mode «\u00a0{a.mode}\u00a0» choisi dans campagne.toml ne s'applique pas : le total "
        return _phrase(feuille, ligne, texte + "tient dans l'enveloppe.")
    if a.scenarios:
        texte = "Aucun mode n'est choisi dans campagne.toml : rien n'est réduit, le dépassement demeure."
        return _phrase(feuille, ligne, texte, POLICE_ROUGE)
    return ligne


def _bloc(feuille: Feuille, ligne: int, s: Scenario, applique: bool, noms: dict[str, str]) -> int:
    """One mode's figures, or why it cannot fit; the next row."""
    ligne = _titre(feuille, ligne, s.mode.libelle + (f" — {APPLIQUE}" if applique else ""))
    ligne = _ligne(feuille, ligne, "Dans campagne.toml, section [arbitrage]", _cle(s.mode.code, " "), "texte")
    if s.impossible:
        texte = f"Ce mode ne peut pas tenir dans l'enveloppe : {s.impossible}. Le choisir arrêterait "
        return _phrase(feuille, ligne, texte + "l'exécution, avec ces chiffres.", POLICE_ROUGE)
    ligne = _ligne(feuille, ligne, TOTAL_APRES, s.apres, "euros", POLICE_BLOC)
    if s.coefficient is not None:
        ligne = _ligne(feuille, ligne, COEFFICIENT, _taux(s.coefficient_texte), "pourcent", TAUX)
    if s.plafond is not None:
        ligne = _ligne(feuille, ligne, PLAFOND, s.plafond, "euros")
    ligne = _ligne(feuille, ligne, REDUITS, len(s.reductions), "entier")
    if s.plus_forte is not None:
        r = s.plus_forte
        ligne = _ligne(feuille, ligne, PLUS_FORTE_EUROS, r.ecart, "euros", nom=noms.get(r.fichier, r.fichier))
        r = next(r for r in s.reductions if r.part == s.plus_forte_part)
        nom = noms.get(r.fichier, r.fichier)
        ligne = _ligne(feuille, ligne, PLUS_FORTE_PART, float(r.part), "pourcent", TAUX, nom=nom)
    return ligne


def _taux(texte: str) -> float:
    """The coefficient as the letters print it ('86,17 %') -> 0.8617: one rounding, theirs."""
    return float(Decimal(texte.replace("\u00a0", "").rstrip("%").replace(",", ".")) / 100)


def _listes(feuille: Feuille, ligne: int, a: Arbitrage, noms: dict[str, str]) -> None:
    """The dossiers each mode reduces, a mode a page, under one header repeated on each page."""
    sauts = [ligne - 1]  # the lists start a page, each mode's list too
    feuille.ecrire(ligne, 1, TITRE_LISTES, "texte", POLICE_TITRE)
    entete(feuille, ligne + 1, LISTE)
    imprimer(feuille, titres=(ligne + 1, ligne + 1))
    ligne += 2
    for i, s in enumerate(a.scenarios):
        if i:
            sauts.append(ligne - 1)
        n = len(s.reductions)
        texte = f"{s.mode.libelle}{f' — {APPLIQUE}' if _applique(a, s) else ''} : " + (
            "ne peut pas tenir dans l'enveloppe, aucun dossier réduit"
            if s.impossible
            else f"{pluriel(n, 'dossier')} {pluriel(n, 'réduit', compte=False)}"
        )
        ligne = _titre(feuille, ligne, texte)
        for r in s.reductions:
            ligne = _reduction(feuille, ligne, r, noms.get(r.fichier, r.fichier))
    feuille.ws.set_h_pagebreaks(sauts)


def _reduction(feuille: Feuille, ligne: int, r: Reduction, nom: str) -> int:
    """A dossier reduced: its operator, totals before and after, the reduction, its file."""
    feuille.hauteur(ligne, hauteur([(nom, LISTE[0].largeur)]))
    valeurs = (nom, r.avant, r.apres, r.ecart, float(r.part), r.fichier)
    for j, (colonne, v) in enumerate(zip(LISTE, valeurs), start=1):
        forme = TAUX if colonne.genre == "pourcent" else {"text_wrap": True} if colonne.renvoi else {}
        retrait = A_GAUCHE if colonne.retrait else {}
        feuille.ecrire(ligne, j, v, colonne.genre, style_de(colonne.genre, HAUT, forme, retrait))
    return ligne + 1
