"""The committee workbook's look: number formats, colours, and how a table is written.

A look is a dict of XlsxWriter format properties, merged where a cell has several (a font on
a fill); `classeur.Styles` makes each distinct one once. Every value that comes from an
operator's file is written as a string cell (`classeur.ECRIVAINS["texte"]`), never parsed as a
formula (CSV/formula injection). Amounts arrive as integer cents and are written in euros.
"""

from __future__ import annotations

from dataclasses import dataclass

from xlsxwriter.utility import xl_col_to_name

from campaign.ecrire.synthese.xlsx import ECRIVAINS, Feuille, Styles, ecrire_lien, ecrire_typee, pixels, vide
from campaign.formats import EXCEL_EUROS

FORMAT_EUROS = EXCEL_EUROS
FORMAT_ENTIER = "#,##0"
FORMAT_DECIMAL = "#,##0.0#"
FORMAT_DATE = "DD/MM/YYYY"
FORMAT_POURCENT = "0.0 %"

ROUGE_CLAIR = {"bg_color": "#FFC7CE", "pattern": 1}
ORANGE_CLAIR = {"bg_color": "#FFE0B2", "pattern": 1}
FOND_ENTETE = {"bg_color": "#1F4E78", "pattern": 1}
FOND_TITRE_BLOC = {"bg_color": "#DDEBF7", "pattern": 1}
FOND_A_REMPLIR = {"bg_color": "#548235", "pattern": 1}  # the committee's columns
POLICE_ENTETE = {"bold": True, "font_color": "#FFFFFF"}
POLICE_TITRE = {"bold": True, "font_size": 14, "font_color": "#1F4E78"}
POLICE_BLOC = {"bold": True, "font_color": "#1F4E78"}
POLICE_ROUGE = {"bold": True, "font_color": "#C00000"}
POLICE_LIEN = {"font_color": "#0563C1", "underline": 1}
BORDURE_ENTETE = {"bottom": 2, "bottom_color": "#1F4E78"}  # medium
ENTETE = {
    **POLICE_ENTETE,
    **FOND_ENTETE,
    **BORDURE_ENTETE,
    "align": "center",
    "valign": "vcenter",
    "text_wrap": True,
}
HAUT = {"valign": "top"}

VALIDE, ECHEC = "✓", "✗"

FORMATS = {
    "texte": "General",
    "euros": FORMAT_EUROS,
    "entier": FORMAT_ENTIER,
    "date": FORMAT_DATE,
    "decimal": FORMAT_DECIMAL,
    "pourcent": FORMAT_POURCENT,
    "lien": "General",  # a relative path to a file, linked
    "typee": "General",  # a (value, number format) pair: each row its own
}


def oui_non(valeur) -> str:
    if vide(valeur):
        return ""
    return "Oui" if bool(valeur) else "Non"


def style_de(genre: str, *autres: dict) -> dict:
    """The look of a value of kind `genre`: its number format, then `autres`."""
    return {"num_format": FORMATS[genre], **{k: v for a in autres for k, v in a.items()}}


CARACTERES_PAR_UNITE = 1.0  # characters of a sentence per unit of column width, on the safe side


@dataclass(frozen=True)
class Colonne:
    """A column of a table: its French title, its kind (a key of ECRIVAINS) and its width;
    optionally wrapped text, an indent, an outline level (folded, hidden), a header comment,
    and the committee's green header (a column it fills)."""

    titre: str
    genre: str = "texte"
    largeur: float = 14
    renvoi: bool = False  # wrap the text (long sentences)
    retrait: int = 0
    niveau: int = 0
    commentaire: str = ""
    a_remplir: bool = False


def hauteur(morceaux: list[tuple[str, float]]) -> float | None:
    """A row height (points) fitting each (text, column width) wrapped; None for one line.

    Neither Excel nor LibreOffice grows a row for wrapped text in a written file, so the
    height is estimated, on the wide side: LibreOffice without Calibri draws the text in a
    wider font, and a row too low lets the text run over the next one.
    """
    lignes = 1
    for valeur, largeur in morceaux:
        par_ligne = max(int(largeur * CARACTERES_PAR_UNITE) - 1, 1)
        n = sum(-(-max(len(bout), 1) // par_ligne) for bout in str(valeur).split("\n"))
        lignes = max(lignes, n)
    return 15 * lignes + 2 if lignes > 1 else None


def entete(feuille: Feuille, ligne: int, colonnes: list[Colonne]) -> None:
    """The header row: titles, widths, folds and comments of the columns."""
    feuille.hauteur(ligne, 32)
    for j, col in enumerate(colonnes, start=1):
        feuille.ecrire(ligne, j, col.titre, "texte", {**ENTETE, **(FOND_A_REMPLIR if col.a_remplir else {})})
        feuille.largeur(j, col.largeur, col.niveau)
        if col.commentaire:
            feuille.ws.write_comment(
                ligne - 1, j - 1, col.commentaire, {"author": "campaign", "width": 300, "height": 110}
            )


def tableau(feuille: Feuille, colonnes: list[Colonne], lignes: list[list], ligne: int = 1) -> str:
    """Write a header and its rows, freeze the header, filter; return the data range."""
    entete(feuille, ligne, colonnes)
    ws, styles = feuille.ws, feuille.styles
    ecrivains = [_ecrivain(c.genre, styles) for c in colonnes]
    formats = [
        styles(style_de(c.genre, HAUT, {"text_wrap": True} if c.renvoi else {}, _retrait(c)))
        for c in colonnes
    ]
    centre = {c.genre: styles(style_de(c.genre, {"align": "center"}, HAUT)) for c in colonnes}
    renvois = [(j, c.largeur) for j, c in enumerate(colonnes) if c.renvoi]
    premiere = feuille.atteindre(ligne + 1) if lignes else ligne
    for i, valeurs in enumerate(lignes, start=premiere):
        h = hauteur([(valeurs[j], largeur) for j, largeur in renvois if isinstance(valeurs[j], str)])
        if h:
            ws.set_row_pixels(i, pixels(h))
        for j, v in enumerate(valeurs):
            if type(v) is str and v in (VALIDE, ECHEC):  # our own marks: centred, nothing to clean
                ws.write_string(i, j, v, centre[colonnes[j].genre])
            else:
                ecrivains[j](ws, i, j, v, formats[j])
    fin = ligne + max(len(lignes), 1)
    feuille.derniere = max(feuille.derniere, ligne + len(lignes))
    ws.freeze_panes(ligne, 0)
    ws.autofilter(ligne - 1, 0, fin - 1, len(colonnes) - 1)
    imprimer(feuille, titres=(ligne, ligne))
    return f"A{ligne + 1}:{xl_col_to_name(len(colonnes) - 1)}{fin}"


def _ecrivain(genre: str, styles: Styles):
    """How a value of kind `genre` is written: (worksheet, row, column, value, format)."""
    if genre == "lien":
        format_lien = styles(style_de("lien", HAUT, POLICE_LIEN))
        return lambda ws, r, c, v, f: ecrire_lien(ws, r, c, v, f, format_lien)
    if genre == "typee":
        return lambda ws, r, c, v, f: ecrire_typee(ws, r, c, v, f, styles)
    return ECRIVAINS[genre]


def _retrait(colonne: Colonne) -> dict:
    return {"indent": colonne.retrait} if colonne.retrait else {}


def imprimer(feuille: Feuille, titres: tuple[int, int] | None = None, une_page: bool = False) -> None:
    """A4 landscape, fit to the page's width (and height when `une_page`), the `titres` rows
    (first, last) repeated on every page, the sheet's name and the page number in the footer."""
    ws = feuille.ws
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 1 if une_page else 0)
    ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)
    ws.set_header("", margin=0.2)
    ws.set_footer("&L&8&A&R&8Page &P / &N", margin=0.25)
    ws.center_horizontally()
    if titres:
        ws.repeat_rows(titres[0] - 1, titres[1] - 1)


def colorer(feuille: Feuille, plage: str, rouge: str | None = None, orange: str | None = None) -> None:
    """Light red rows where the `rouge` formula holds, else light orange where `orange` does.

    The formulas are written for the range's first row, with `$` on the column (e.g.
    '$M2="REFUS"'); they are ours, never built from an operator's text.
    """
    if rouge:
        feuille.ws.conditional_format(
            plage,
            {
                "type": "formula",
                "criteria": rouge,
                "format": feuille.styles({"bg_color": ROUGE_CLAIR["bg_color"]}),
                "stop_if_true": True,
            },
        )
    if orange:
        feuille.ws.conditional_format(
            plage,
            {
                "type": "formula",
                "criteria": orange,
                "format": feuille.styles({"bg_color": ORANGE_CLAIR["bg_color"]}),
            },
        )


def colonne_de(colonnes: list[Colonne], titre: str) -> str:
    """The column letter of the column titled `titre`."""
    return xl_col_to_name([c.titre for c in colonnes].index(titre))
