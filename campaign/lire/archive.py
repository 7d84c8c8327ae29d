"""Operator files are untrusted: look inside the zip container before any parser does.

An .xlsx/.xlsm/.xlsb/.ods file is a zip archive. Before python-calamine inflates it, every member
is inflated here within a byte budget (`gonflage`: declared sizes are never trusted), and
each sheet's used range is checked (`etendue`): a zip bomb or a cell far beyond the form is
refused in milliseconds, at the cost of the budget, never of the bomb. The same pass finds
formula cells saved without a cached value, which a reader would otherwise see as empty.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
from dataclasses import dataclass, field

from campaign import formulaire as F
from campaign.lire import ods, ole, xlsb
from campaign.lire.etendue import LIGNES_MAX, HorsFormulaire, verifier_ods, verifier_xlsx
from campaign.lire.feuilles import trouver_feuilles
from campaign.lire.gonflage import Depassement, gonfler
from campaign.lire.nature import ENDOMMAGE, ENTITES, PROTEGE, nature

# A real dossier inflates to well under 1 MB; these budgets leave a wide margin.
MEMBRE_MAX = 8 * 1024 * 1024  # inflated bytes of one member
TAILLE_MAX = 32 * 1024 * 1024  # inflated bytes of all members
MEMBRES_MAX = 1_000  # members of one archive


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
    lisible: bytes | None = None  # what the reader opens instead, when not the file itself


def inspecter(
    contenu: bytes, attendues: tuple[str, ...] = tuple(F.FEUILLES), lignes_max: int = LIGNES_MAX
) -> Inspection:
    """Check the container of a workbook; raise ArchiveRefusee when it must not be opened.
    `attendues`: the sheets the reader reads (the only ones bounded); `lignes_max`: rows allowed
    in one of them (more in the committee's workbook)."""

    def du_formulaire(noms: list[str]) -> set[str]:
        return set(trouver_feuilles(noms, attendues).values())

    if contenu.startswith(ole.SIGNATURE):  # .xls, or an encrypted .xlsx (Office wraps it in OLE)
        try:
            return Inspection(lisible=ole.verifier_xls(contenu, du_formulaire, lignes_max))
        except ole.Protege as exc:
            raise ArchiveRefusee(PROTEGE, "FICHIER-PROTEGE") from exc
        except HorsFormulaire as exc:
            raise ArchiveRefusee(str(exc), "FEUILLE-TROP-GRANDE") from exc
        except ole.PasUnClasseur as exc:
            raise ArchiveRefusee(nature(contenu), "FICHIER-ILLISIBLE") from exc
        except (ole.OleIllisible, struct.error, IndexError) as exc:
            raise ArchiveRefusee(ENDOMMAGE, "FICHIER-ILLISIBLE") from exc
    try:
        archive = zipfile.ZipFile(io.BytesIO(contenu))
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        if contenu.startswith(b"PK"):
            raise ArchiveRefusee(ENDOMMAGE, "FICHIER-ILLISIBLE") from exc
        raise ArchiveRefusee(nature(contenu), "FICHIER-ILLISIBLE") from exc
    with archive:
        infos = archive.infolist()
        noms = [i.filename for i in infos]
        if len(infos) > MEMBRES_MAX or len(set(noms)) != len(noms):
            raise ArchiveRefusee(
                "le fichier contient trop de parties, ou deux parties du même nom : fichier suspect, refusé"
            )
        lus = _gonfler_tout(contenu, infos)
        if any(b"<!DOCTYPE" in o or b"<!ENTITY" in o for n, o in lus.items() if not n.endswith(".bin")):
            raise ArchiveRefusee(ENTITES)
        if "xl/workbook.bin" in lus:
            _verifier(lambda: _inspecter_xlsb(lus, du_formulaire, lignes_max))
            return Inspection()
        if "xl/workbook.xml" in lus:
            return _inspecter_xlsx(lus, du_formulaire, lignes_max)
        if "content.xml" in lus:  # .ods: LibreOffice always stores computed values
            contenu_ods = lus["content.xml"]
            garder = du_formulaire([nom for nom, _, _ in ods.tables(contenu_ods)])
            _verifier(lambda: verifier_ods(contenu_ods, garder, lignes_max))
            return Inspection(lisible=ods.formulaire_seul(contenu_ods, garder))
        return Inspection()  # no workbook part: the reader says whether it is one


def _gonfler_tout(contenu: bytes, infos: list[zipfile.ZipInfo]) -> dict[str, bytes]:
    """Every member inflated within the budgets; the XML parts kept."""
    lus, total = {}, 0
    for i in infos:
        budget = min(MEMBRE_MAX, TAILLE_MAX - total)
        try:
            taille, octets = gonfler(
                contenu, i, budget, garder=i.filename.endswith((".xml", ".rels", ".bin"))
            )
        except Depassement as exc:
            if exc.abime:
                raise ArchiveRefusee(ENDOMMAGE, "FICHIER-ILLISIBLE") from exc
            raise ArchiveRefusee(
                f"la partie « {i.filename} » du fichier dépasse, une fois décompressée, ce qu'un "
                f"dossier peut contenir (au plus {MEMBRE_MAX // 1024 // 1024} Mo par partie et "
                f"{TAILLE_MAX // 1024 // 1024} Mo en tout) : fichier suspect, refusé"
            ) from exc
        total += taille
        lus[_membre(i.filename)] = octets
    return lus


def _membre(nom: str) -> str:
    """A member's name as looked up: parts are named regardless of case, some writers use `\\`."""
    return nom.replace("\\", "/").lower()


def _verifier(controle) -> None:
    try:
        controle()
    except HorsFormulaire as exc:
        raise ArchiveRefusee(str(exc), "FEUILLE-TROP-GRANDE") from exc
    except Exception as exc:
        raise ArchiveRefusee(ENDOMMAGE, "FICHIER-ILLISIBLE") from exc


def _inspecter_xlsx(lus: dict[str, bytes], du_formulaire, lignes_max: int) -> Inspection:
    resultat = Inspection()
    feuilles = _feuilles_xlsx(lus)
    formulaire = du_formulaire(list(feuilles))  # the sheets the reader parses
    for nom, chemin in feuilles.items():
        xml = lus[chemin]
        if nom in formulaire:
            _verifier(lambda nom=nom, xml=xml: verifier_xlsx(nom, xml, lignes_max))
        cellules = _formules_sans_valeur(xml)
        if cellules:
            resultat.formules_sans_valeur[nom] = cellules
    return resultat


def _inspecter_xlsb(lus: dict[str, bytes], du_formulaire, lignes_max: int) -> None:
    rels = _relations(lus, "xl/_rels/workbook.bin.rels")
    feuilles = xlsb.feuilles(lus["xl/workbook.bin"])
    formulaire = du_formulaire(list(feuilles))
    for nom, rid in feuilles.items():
        chemin = _chemin(rels.get(rid.encode(), b""))
        if chemin not in lus:  # the reader would panic
            raise xlsb.XlsbIllisible(f"la feuille « {nom} » n'a pas de partie")
        if nom in formulaire:
            xlsb.verifier_xlsb(nom, lus[chemin], lignes_max)


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


def _feuilles_xlsx(lus: dict[str, bytes]) -> dict[str, str]:
    """Sheet name -> path of its XML part inside the archive."""
    rels = _relations(lus, "xl/_rels/workbook.xml.rels")
    feuilles = {}
    for nom, rid in _FEUILLE.findall(lus["xl/workbook.xml"]):
        chemin = _chemin(rels.get(rid, b""))
        if chemin in lus:
            feuilles[_xml_texte(nom)] = chemin
    return feuilles


def _relations(lus: dict[str, bytes], chemin: str) -> dict[bytes, bytes]:
    """Relationship id -> target, of the workbook's relationships part."""
    texte = lus.get(chemin, b"")
    rels = dict(_REL.findall(texte))
    rels.update({i: t for t, i in _REL2.findall(texte)})
    return rels


def _chemin(cible: bytes) -> str:
    """A relationship's target as a member name of the archive."""
    texte = cible.decode("utf-8", "replace")
    return _membre(texte.lstrip("/") if texte.startswith("/") else "xl/" + texte)


def _xml_texte(nom: bytes) -> str:
    s = nom.decode("utf-8", "replace")
    for a, b in (("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&apos;", "'"), ("&amp;", "&")):
        s = s.replace(a, b)
    return s
