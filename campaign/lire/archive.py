"""Operator files are untrusted: look inside the zip container before any parser does.

An .xlsx/.xlsm/.ods file is a zip archive. Before python-calamine inflates it, the
central directory tells the declared uncompressed sizes and each worksheet's declared
dimension: an absurd size (a zip bomb) or an absurd row count is refused here, in
milliseconds, without inflating anything large. The same pass finds formula cells saved
without a cached value, which a reader would otherwise see as empty.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field

# A real dossier inflates to well under 1 MB; these limits leave a wide margin.
TAILLE_MAX = 100 * 1024 * 1024  # declared uncompressed bytes, all entries
TAUX_MAX = 1000  # declared uncompressed / compressed, per entry (zeros compress ~1000:1)
LIGNES_MAX = 10_000  # declared rows of one worksheet

_DIMENSION = re.compile(rb'<dimension ref="[A-Z]+\d+:?[A-Z]*(\d*)"')
_FORMULE = re.compile(rb"<f[ >/]")
_VALEUR = re.compile(rb"<v>[^<]+</v>")
_REF = re.compile(rb'\br="([A-Z]+\d+)"')
_FEUILLE = re.compile(rb'<sheet\b[^>]*?name="([^"]*)"[^>]*?r:id="([^"]*)"')
_REL = re.compile(rb'<Relationship\b[^>]*?Id="([^"]*)"[^>]*?Target="([^"]*)"')
_REL2 = re.compile(rb'<Relationship\b[^>]*?Target="([^"]*)"[^>]*?Id="([^"]*)"')


class ArchiveRefusee(Exception):
    """The file is not a workbook we may open; the message says why, in French, and
    `anomalie` is the code it is reported under."""

    def __init__(self, message: str, anomalie: str = "ARCHIVE-SUSPECTE"):
        super().__init__(message)
        self.anomalie = anomalie


@dataclass
class Inspection:
    formules_sans_valeur: dict[str, list[str]] = field(default_factory=dict)  # sheet -> cells
    lignes: dict[str, int] = field(default_factory=dict)  # sheet -> rows its XML declares


def inspecter(contenu: bytes) -> Inspection:
    """Check the container of a workbook; raise ArchiveRefusee when it must not be opened."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(contenu))
    except zipfile.BadZipFile as exc:
        raise ArchiveRefusee("le fichier n'est pas un classeur Excel ou LibreOffice lisible "
                             "(archive endommagée ou autre format)", "FICHIER-ILLISIBLE") from exc
    with archive:
        infos = archive.infolist()
        total = sum(i.file_size for i in infos)
        if total > TAILLE_MAX:
            raise ArchiveRefusee(
                f"le fichier déclare {total // 1024 // 1024} Mo une fois décompressé "
                f"(au plus {TAILLE_MAX // 1024 // 1024} Mo pour un dossier) : fichier suspect, refusé")
        for i in infos:
            if i.file_size > 1024 * 1024 and i.file_size > TAUX_MAX * max(i.compress_size, 1):
                raise ArchiveRefusee(
                    f"la partie « {i.filename} » du fichier a un taux de compression anormal : "
                    "fichier suspect, refusé")
        noms = {i.filename for i in infos}
        if "xl/workbook.xml" not in noms:
            return Inspection()  # .ods: LibreOffice always stores computed values
        return _inspecter_xlsx(archive, noms)


def _inspecter_xlsx(archive: zipfile.ZipFile, noms: set[str]) -> Inspection:
    feuilles = _feuilles_xlsx(archive, noms)
    resultat = Inspection()
    for nom, chemin in feuilles.items():
        with archive.open(chemin) as flux:
            debut = flux.read(4096)
        m = _DIMENSION.search(debut)
        if m and m.group(1):
            resultat.lignes[nom] = int(m.group(1))  # checked by the reader for the sheets it reads
        cellules = _formules_sans_valeur(archive.read(chemin))
        if cellules:
            resultat.formules_sans_valeur[nom] = cellules
    return resultat


def _formules_sans_valeur(xml: bytes) -> list[str]:
    """Cells holding a formula whose result was not saved (no or empty <v>)."""
    cellules = []
    for m in _FORMULE.finditer(xml):
        debut = xml.rfind(b"<c ", 0, m.start())
        fin = xml.find(b"</c>", m.end())
        cellule = xml[debut:fin]
        ref = _REF.search(cellule)
        if ref and not _VALEUR.search(cellule):
            cellules.append(ref.group(1).decode())
    return cellules


def _feuilles_xlsx(archive: zipfile.ZipFile, noms: set[str]) -> dict[str, str]:
    """Sheet name -> path of its XML part inside the archive."""
    classeur = archive.read("xl/workbook.xml")
    rels = {}
    if "xl/_rels/workbook.xml.rels" in noms:
        texte = archive.read("xl/_rels/workbook.xml.rels")
        rels = {i: t for i, t in _REL.findall(texte)}
        rels.update({i: t for t, i in _REL2.findall(texte)})
    feuilles = {}
    for nom, rid in _FEUILLE.findall(classeur):
        cible = rels.get(rid, b"").decode()
        chemin = cible.lstrip("/") if cible.startswith("/") else "xl/" + cible
        if chemin in noms:
            feuilles[_xml_texte(nom)] = chemin
    return feuilles


def _xml_texte(nom: bytes) -> str:
    s = nom.decode("utf-8")
    for a, b in (("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&apos;", "'"), ("&amp;", "&")):
        s = s.replace(a, b)
    return s
