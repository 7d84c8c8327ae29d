"""Anomalies: what is wrong in a file, where, and what to write instead.

Every anomaly has a stable code, a gravity and a French message that an operator can act
on. Codes are listed here once, with their gravity.
"""

from __future__ import annotations

from dataclasses import astuple, dataclass, fields

BLOQUANT = "BLOQUANT"
AVERTISSEMENT = "AVERTISSEMENT"

GRAVITES = {
    # the file itself
    "FICHIER-ILLISIBLE": BLOQUANT,
    "FORMAT-NON-RECONNU": BLOQUANT,
    "ARCHIVE-SUSPECTE": BLOQUANT,
    "SOUS-DOSSIER": AVERTISSEMENT,
    "FEUILLE-TROP-GRANDE": BLOQUANT,
    "FICHIER-PROTEGE": BLOQUANT,
    "PAS-UN-DOSSIER": BLOQUANT,  # none of the form's sheets (dossier.md §7)
    "CARACTERE-NON-IMPRIMABLE": AVERTISSEMENT,  # removed or replaced, once per file (dossier.md §7)
    # structure
    "FEUILLE-MANQUANTE": BLOQUANT,
    "LIBELLE-MANQUANT": BLOQUANT,
    "COLONNE-MANQUANTE": BLOQUANT,
    "COLONNE-INCONNUE": AVERTISSEMENT,
    "LIBELLE-INCONNU": AVERTISSEMENT,
    "LIGNE-BUDGET-ABSENTE": AVERTISSEMENT,
    "LIGNE-BUDGET-INCONNUE": BLOQUANT,
    "LIGNE-BUDGET-DOUBLE": BLOQUANT,
    "TROP-DE-COLLECTIFS": BLOQUANT,
    "FORMULE-SANS-VALEUR": BLOQUANT,
    "AUCUN-COLLECTIF": BLOQUANT,
    # values
    "VALEUR-MANQUANTE": BLOQUANT,
    "OUINON-INVALIDE": BLOQUANT,
    "NOMBRE-INVALIDE": BLOQUANT,
    "ENTIER-INVALIDE": BLOQUANT,
    "DATE-INVALIDE": BLOQUANT,
    "DUREE-INVALIDE": BLOQUANT,
    "CHOIX-INVALIDE": BLOQUANT,
    "SIRET-INVALIDE": BLOQUANT,
    "RNA-INVALIDE": BLOQUANT,
    "CODE-POSTAL-INVALIDE": BLOQUANT,
    "COURRIEL-INVALIDE": BLOQUANT,
    "VALEUR-HORS-LIMITES": BLOQUANT,
    "MONTANT-NEGATIF": BLOQUANT,
    # across fields and files
    "NIVEAUX-INVERSES": BLOQUANT,
    "HANDICAP-SUPERIEUR-EFFECTIF": BLOQUANT,
    "DATES-INVERSEES": BLOQUANT,
    "SEMAINES-INCOHERENTES": AVERTISSEMENT,
    "CODE-COLLECTIF-DOUBLE": BLOQUANT,
    "PSF-SUPERIEUR-C64": BLOQUANT,
    "BUDGET-VIDE": BLOQUANT,
    "DOUBLON-SIRET": BLOQUANT,
    "ADRESSE-TROP-LONGUE": AVERTISSEMENT,  # the letter prints it whole, smaller (sorties.md §4)
    # the committee's file (comite.md §2): the avis concerned is not applied
    "AVIS-ILLISIBLE": AVERTISSEMENT,
    "AVIS-SANS-MOTIF": AVERTISSEMENT,
    "AVIS-INCONNU": AVERTISSEMENT,
    "AVIS-CONTRADICTOIRE": AVERTISSEMENT,
    "AVIS-A-REVOIR": AVERTISSEMENT,
    "AVIS-COMMENTAIRE-LONG": AVERTISSEMENT,  # applied, quoted cut (comite.md §5)
}


@dataclass(frozen=True)
class Anomalie:
    fichier: str
    feuille: str
    cellule: str
    champ: str
    valeur: str
    gravite: str
    code: str
    message: str

    def cle_tri(self):
        return (self.fichier, self.feuille, _ordre_cellule(self.cellule), self.code)


COLONNES = tuple(f.name for f in fields(Anomalie))


def anomalie(
    code: str,
    fichier: str,
    message: str,
    feuille: str = "",
    cellule: str = "",
    champ: str = "",
    valeur: object = "",
) -> Anomalie:
    """Build an anomaly; the gravity comes from the code."""
    return Anomalie(fichier, feuille, cellule, champ, valeur_affichee(valeur), GRAVITES[code], code, message)


def valeur_affichee(v: object) -> str:
    """A raw cell value as the operator sees it."""
    import datetime as dt

    if v is None or (isinstance(v, float) and v != v):
        return ""
    if isinstance(v, bool):
        return "VRAI" if v else "FAUX"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, (dt.datetime, dt.date)):
        return v.strftime("%d/%m/%Y")
    return str(v)


def non_imprimables(fichier: str, perdus: dict[str, tuple[str, str]]) -> Anomalie:
    """The one anomaly of a file whose texts held characters the letters cannot print:
    each character (by its code, the sentence itself must print) and where first seen."""
    import unicodedata

    (feuille, cellule), *_ = perdus.values()
    lieux = []
    for ch, (f, c) in list(perdus.items())[:10]:
        quoi = "un caractère" if unicodedata.category(ch)[0] in "LNP" else "un symbole"
        lieux.append(
            f"{quoi} U+{ord(ch):04X} en {f}!{c}"
            if c
            else f"{quoi} U+{ord(ch):04X} dans le nom de la feuille {f}"
        )
    if len(perdus) > 10:
        lieux.append(f"et {len(perdus) - 10} autres")
    return anomalie(
        "CARACTERE-NON-IMPRIMABLE",
        fichier,
        f"Le dossier contient des caractères que les courriers ne savent pas imprimer ({', '.join(lieux)}) : "
        "ils sont retirés (une lettre accentuée garde les accents que les courriers impriment). "
        "Si un nom en a besoin, écrivez-le en lettres latines.",
        feuille=feuille,
        cellule=cellule,
    )


def lettre_colonne(i: int) -> str:
    """0 -> 'A', 27 -> 'AB': the Excel letters of a column index, for an anomaly's cell."""
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def _ordre_cellule(cellule: str) -> tuple[int, int]:
    """'AB12' -> (12, 28): sort cells by row, then column."""
    lettres = "".join(c for c in cellule if c.isalpha())
    chiffres = "".join(c for c in cellule if c.isdigit())
    col = 0
    for c in lettres:
        col = col * 26 + ord(c) - 64
    return (int(chiffres or 0), col)


def en_lignes(anomalies: list[Anomalie]) -> list[tuple]:
    return [astuple(a) for a in sorted(anomalies, key=Anomalie.cle_tri)]
