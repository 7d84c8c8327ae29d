"""The blank dossier's pages of text: `Mode d'emploi` (how to fill it in, and the year's rules
of the collectifs, printed) and `Attestation` (the legal representative's signed statement)."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.worksheet.worksheet import Worksheet

from campaign.dossier_vierge.caf import CafDuDossier
from campaign.dossier_vierge.consignes import Consignes
from campaign.dossier_vierge.page import hauteur, mise_en_page
from campaign.dossier_vierge.retour import renvoyer
from campaign.dossier_vierge.saisie import annees
from campaign.formulaire import BUDGET, COLLECTIFS, PROJET, Champ

FAUSSE_DECLARATION = (
    "Toute fausse déclaration expose son auteur aux sanctions prévues par l'article 441-1 du code pénal."
)

LARGEUR = 75  # characters: wider, LibreOffice clips the page instead of scaling it
ECHELLE = 95  # % : the notice on as many pages as it needs, at a size one reads
CADRE = 10  # the attestation's row framed for the signature and the stamp


def _ecrire(ws: Worksheet, textes: list[tuple[str, str]], debut: int = 1) -> int:
    """Write (text, kind) rows in column A; return the next free row."""
    for ligne, (texte, genre) in enumerate(textes, start=debut):
        c = ws.cell(ligne, 1, texte)
        c.alignment = Alignment(wrap_text=True, vertical="top")
        if genre in ("titre", "section"):
            c.font = Font(bold=True, size=14 if genre == "titre" else 12)
            ws.row_dimensions[ligne].height = 22 if genre == "titre" else 20
        else:
            c.font = Font(size=10, color="9C0006" if genre == "refus" else None)
            ws.row_dimensions[ligne].height = hauteur(texte, LARGEUR * 0.95, 13.5)
    return debut + len(textes)


def _plages(rangs: list[int], nom) -> str:
    """Fields by runs of neighbours: "« A » à « C », « E » et « G »"."""
    suites: list[list[int]] = []
    for i in rangs:
        if suites and i == suites[-1][-1] + 1:
            suites[-1].append(i)
        else:
            suites.append([i])
    noms = [
        n for s in suites for n in ([f"{nom(s[0])} à {nom(s[-1])}"] if len(s) > 2 else [nom(i) for i in s])
    ]
    return noms[0] if len(noms) == 1 else ", ".join(noms[:-1]) + " et " + noms[-1]


def _regles(consignes: Consignes, feuille: str, champs: tuple[Champ, ...]) -> list[tuple[str, str]]:
    """ "Nombre d'enfants : De 8 à 12 enfants..." for each field of `feuille` a rule reads
    (Collectifs by header, Budget by the line codes of column A)."""
    colonnes: dict[str, list[int]] = {}  # sentence -> the fields it is written beside
    refus = set()
    for i, c in enumerate(champs):
        if texte := consignes.texte(feuille, c.cle):
            colonnes.setdefault(texte, []).append(i)
            if consignes.refusees(feuille, c.cle):
                refus.add(texte)
    lignes = []
    for texte, rangs in colonnes.items():
        if feuille == "Budget":
            quelles = ("Lignes " if len(rangs) > 1 else "Ligne ") + _plages(rangs, lambda i: champs[i].cle)
        else:
            quelles = _plages(rangs, lambda i: f"« {champs[i].libelle} »")
        lignes.append((f"• {quelles} : {texte}", "refus" if texte in refus else ""))
    return lignes


def mode_emploi(ws: Worksheet, annee: str, consignes: Consignes, caf: CafDuDossier) -> None:
    n, n1 = annees(annee)
    axes = " ".join(consignes.textes_de("Projet", tuple(c.cle for c in PROJET)))
    textes = [
        (f"Dossier de demande CLAS – année scolaire {annee}", "titre"),
        (
            "Contrat local d'accompagnement à la scolarité : ce fichier est votre demande de "
            "financement auprès de la Caf. Remplissez un seul fichier par structure.",
            "",
        ),
        ("Ce qu'il faut remplir", "section"),
        (
            "1. Onglet « Porteur » : votre structure, son représentant, la personne à contacter "
            "et le coordinateur de l'action.",
            "",
        ),
        (f"2. Onglet « Projet » : pour chaque action de chaque axe, répondez Oui ou Non. {axes}".strip(), ""),
        (
            "3. Onglet « Collectifs » : une ligne par groupe d'enfants (C1, C2...). "
            "Ne laissez pas de ligne vide entre deux groupes.",
            "",
        ),
        (
            f"4. Onglet « Budget » : le budget prévisionnel de l'action pour {annee}, en euros. "
            "Les totaux et le contrôle d'équilibre en bas se calculent tout seuls.",
            "",
        ),
        (
            "5. Onglet « Attestation » : imprimez-la, faites-la signer par le représentant légal "
            "et joignez-la au dossier.",
            "",
        ),
        ("Comment saisir", "section"),
        (
            "• Écrivez seulement dans les cellules jaunes. Les cellules grises (intitulés) sont "
            "protégées : ne les modifiez pas et ne renommez pas les onglets.",
            "",
        ),
        (
            "• Oui / Non et les listes : cliquez sur la cellule puis sur la petite flèche. Une "
            "réponse qui rend le collectif ou le dossier inéligible s'affiche en rouge.",
            "",
        ),
        (
            f"• Dates : jj/mm/aaaa, par exemple 02/11/{n} ou 15/06/{n1}. Nombres : un chiffre "
            "seul (10 et non « dix »). Durée d'une séance : en heures, par exemple 1h30 ou 2.",
            "",
        ),
        (
            "• Montants : en euros, sans le signe € ; laissez vide une ligne sans montant. En "
            "cliquant sur une cellule, une bulle d'aide vous explique quoi écrire.",
            "",
        ),
    ]
    regles = _regles(consignes, "Collectifs", COLLECTIFS)
    if regles:
        textes.append((f"Ce que demande le référentiel pour chaque collectif en {annee}", "section"))
        textes += regles
    if budget := _regles(consignes, "Budget", BUDGET):
        textes.append(("Ce que demande le référentiel pour le budget", "section"))
        textes += budget
    if regles or budget:
        textes.append(
            (
                "Les règles du porteur et du projet sont écrites à côté des réponses "
                "concernées, dans leurs onglets.",
                "",
            )
        )
    if consignes.non_confirmes:
        textes.append(
            (
                "Valeurs encore à confirmer par la Cnaf pour cette année : "
                + ", ".join(v.lower() for v in consignes.non_confirmes)
                + ".",
                "",
            )
        )
    textes += renvoyer(caf)
    fin = _ecrire(ws, textes)
    ws.column_dimensions["A"].width = LARGEUR
    mise_en_page(ws, f"Dossier CLAS {annee} – Mode d'emploi", f"A1:A{fin - 1}", echelle=ECHELLE)
    ws.protection.sheet = True


def _reponse(ligne: int) -> str:
    """A formula showing a Porteur answer, or dots to fill in by hand when it is empty."""
    return f'IF(Porteur!B{ligne}="","………………………………",Porteur!B{ligne})'


def attestation(wb: Workbook, annee: str, lignes_porteur: dict[str, int]) -> None:
    """The statement the legal representative signs, with the Porteur answers filled in."""
    r = {cle: _reponse(ligne) for cle, ligne in lignes_porteur.items()}
    ws = wb.create_sheet("Attestation")
    _ecrire(ws, [(f"Attestation sur l'honneur – demande CLAS {annee}", "titre")])
    formules = [
        f'="Je soussigné(e) "&{r["representant"]}&", "&{r["representant_qualite"]}'
        f'&", représentant légal de "&{r["nom"]}&" (SIRET "&{r["siret"]}&"),"',
        "=\"certifie exactes les informations de ce dossier, m'engage à respecter les principes "
        "de la charte de l'accompagnement à la scolarité (laïcité, neutralité, confidentialité, "
        "non-jugement), à informer la Caf de tout changement du projet, et à lui transmettre "
        "le bilan de l'action et ses comptes dans les délais de la convention.\"",
    ]
    for i, formule in enumerate(formules, start=3):
        c = ws.cell(i, 1, formule)
        c.alignment = Alignment(wrap_text=True, vertical="top")
        ws.row_dimensions[i].height = 60
    _ecrire(ws, [(FAUSSE_DECLARATION, "")], debut=5)
    ws.cell(5, 1).font = Font(bold=True, size=10)
    _ecrire(
        ws,
        [
            ("Fait à ………………………………………, le ……… / ……… / …………", ""),
            ("Nom, qualité, signature du représentant légal et cachet de la structure :", ""),
        ],
        debut=7,
    )
    cadre = ws.cell(CADRE, 1)
    bord = Side(style="thin")
    cadre.border = Border(left=bord, right=bord, top=bord, bottom=bord)
    ws.row_dimensions[CADRE].height = 120
    ws.column_dimensions["A"].width = LARGEUR
    mise_en_page(ws, f"Dossier CLAS {annee} – Attestation", f"A1:A{CADRE}")
    ws.protection.sheet = True
