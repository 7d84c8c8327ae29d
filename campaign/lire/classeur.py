"""Opening an operator's workbook: untrusted bytes, bounded work.

The container is checked first (`archive.inspecter`), then python-calamine reads only the
sheets of the form, as rows of raw values.
"""

from __future__ import annotations

import io

from python_calamine import CalamineWorkbook

from campaign import formulaire as F
from campaign.lire.archive import ArchiveRefusee, inspecter
from campaign.lire.etendue import COLONNES_MAX, LIGNES_MAX, HorsFormulaire, lettres_colonne
from campaign.lire.saisie import cle_libelle


def ouvrir(contenu: bytes, attendues: tuple[str, ...] = tuple(F.FEUILLES), lignes_max: int = LIGNES_MAX):
    """Parse the untrusted bytes: the container's check, then the sheets we read, as rows.
    `lignes_max`: a dossier's sheets are short; the committee's workbook lists every collectif."""
    inspection = inspecter(contenu, lignes_max)
    try:
        classeur = CalamineWorkbook.from_filelike(io.BytesIO(contenu))
        feuilles = trouver_feuilles(classeur.sheet_names, attendues)
        brutes = {}
        for nom_feuille, vraie in feuilles.items():
            feuille = classeur.get_sheet_by_name(vraie)
            hauteur, largeur = feuille.total_height, feuille.total_width
            if hauteur > lignes_max or largeur > COLONNES_MAX:  # checked before (archive); a second guard
                cellule = f"{lettres_colonne(largeur)}{hauteur}"
                raise ArchiveRefusee(str(HorsFormulaire(vraie, cellule, lignes_max)), "FEUILLE-TROP-GRANDE")
            brutes[nom_feuille] = feuille.to_python(skip_empty_area=False)
    except BaseException as exc:
        # a panic of the Rust reader (an index out of range in damaged bytes) reaches Python as
        # pyo3's PanicException, a BaseException: it is the file's fault, not the run's
        if type(exc).__name__ != "PanicException":
            raise
        raise ArchiveRefusee(
            "le lecteur de classeurs n'a pas pu le lire (classeur endommagé) : ouvrez-le et "
            "enregistrez-le à nouveau au format .xlsx",
            "FICHIER-ILLISIBLE",
        ) from None
    return inspection, feuilles, brutes


def trouver_feuilles(noms: list[str], attendues: tuple[str, ...]) -> dict[str, str]:
    """Expected sheet -> actual sheet name, ignoring case, accents, spaces, a final 's'."""
    trouvees = {}
    for attendu in attendues:
        for nom in noms:
            if cle_libelle(nom).rstrip("s") == cle_libelle(attendu).rstrip("s"):
                trouvees[attendu] = nom
                break
    return trouvees
