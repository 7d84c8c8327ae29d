"""Opening an operator's workbook: untrusted bytes, bounded work.

The container is checked first (`archive.inspecter`), then python-calamine reads only the
sheets of the form, as rows of raw values, their texts cleaned (`caracteres.nettoyer`).
"""

from __future__ import annotations

import io

from python_calamine import CalamineWorkbook

from campaign import formulaire as F
from campaign.lire.archive import ArchiveRefusee, inspecter
from campaign.lire.caracteres import nettoyer_valeur
from campaign.lire.etendue import COLONNES_MAX, LIGNES_MAX, HorsFormulaire, lettres_colonne
from campaign.lire.feuilles import trouver_feuilles
from campaign.lire.nature import echec_du_lecteur


def ouvrir(contenu: bytes, attendues: tuple[str, ...] = tuple(F.FEUILLES), lignes_max: int = LIGNES_MAX):
    """Parse the untrusted bytes: the container's check, then the sheets we read, as rows.
    `lignes_max`: a dossier's sheets are short; the committee's workbook lists every collectif."""
    inspection = inspecter(contenu, attendues, lignes_max)
    try:
        classeur = CalamineWorkbook.from_filelike(io.BytesIO(inspection.lisible or contenu))
        feuilles = trouver_feuilles(classeur.sheet_names, attendues)
        brutes = {}
        for nom_feuille, vraie in feuilles.items():
            feuille = classeur.get_sheet_by_name(vraie)
            hauteur, largeur = feuille.total_height, feuille.total_width
            if hauteur > lignes_max or largeur > COLONNES_MAX:  # checked before (archive); a second guard
                cellule = f"{lettres_colonne(largeur)}{hauteur}"
                raise ArchiveRefusee(str(HorsFormulaire(vraie, cellule, lignes_max)), "FEUILLE-TROP-GRANDE")
            lignes = feuille.to_python(skip_empty_area=False)
            brutes[nom_feuille] = [[nettoyer_valeur(v) for v in ligne] for ligne in lignes]
    except ArchiveRefusee:
        raise
    except BaseException as exc:
        # untrusted bytes: any failure of the reader is the file's, said in the operator's words;
        # a panic of the Rust reader (an index out of range in damaged bytes) reaches Python as
        # pyo3's PanicException, a BaseException: it is the file's fault too, not the run's
        if not isinstance(exc, Exception) and type(exc).__name__ != "PanicException":
            raise
        raise ArchiveRefusee(*echec_du_lecteur(contenu, exc)) from None
    return inspection, feuilles, brutes
