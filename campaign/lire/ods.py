"""An .ods workbook given to the reader with the sheets of the form only.

python-calamine reads every sheet of an .ods when it opens it, allocating for each a grid from
its first to its last cell: a sheet outside the form, however large, would cost its memory.
The workbook handed to the reader is therefore a copy whose `content.xml` holds only the
tables of the form (the others cut out at their tags, never parsed), so that a sheet outside
the form is neither read nor bounded.
"""

from __future__ import annotations

import io
import re
import zipfile

_BALISE = re.compile(rb"<(/?)table:table([\s/>])")
_NOM = re.compile(rb'\btable:name="([^"]*)"')
TYPE = b"application/vnd.oasis.opendocument.spreadsheet"
MANIFESTE = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
    b'manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="'
    + TYPE
    + b'"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    b"</manifest:manifest>"
)


def _texte(nom: bytes) -> str:
    s = nom.decode("utf-8", "replace")
    for a, b in (("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&apos;", "'"), ("&amp;", "&")):
        s = s.replace(a, b)
    return s


def tables(contenu: bytes) -> list[tuple[str, int, int]]:
    """(name, start, end) of each top-level table of content.xml, in order."""
    trouvees, profondeur, debut, nom = [], 0, 0, ""
    for m in _BALISE.finditer(contenu):
        fin_de_balise = contenu.find(b">", m.start())
        if fin_de_balise < 0:
            break
        if m.group(1):  # </table:table>
            profondeur -= 1
            if profondeur == 0:
                trouvees.append((nom, debut, fin_de_balise + 1))
        elif contenu[fin_de_balise - 1 : fin_de_balise] == b"/":  # <table:table ... />
            if profondeur == 0:
                n = _NOM.search(contenu, m.start(), fin_de_balise)
                trouvees.append((_texte(n.group(1)) if n else "", m.start(), fin_de_balise + 1))
        else:
            if profondeur == 0:
                n = _NOM.search(contenu, m.start(), fin_de_balise)
                debut, nom = m.start(), _texte(n.group(1)) if n else ""
            profondeur += 1
    return trouvees


def formulaire_seul(contenu: bytes, garder: set[str]) -> bytes:
    """A minimal .ods (its type, manifest and content.xml) holding only the tables named in
    `garder`."""
    morceaux, curseur = [], 0
    for nom, debut, fin in tables(contenu):
        if nom not in garder:
            morceaux.append(contenu[curseur:debut])
            curseur = fin
    morceaux.append(contenu[curseur:])
    sortie = io.BytesIO()
    with zipfile.ZipFile(sortie, "w") as archive:
        archive.writestr("mimetype", TYPE, compress_type=zipfile.ZIP_STORED)
        archive.writestr("META-INF/manifest.xml", MANIFESTE, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", b"".join(morceaux), compress_type=zipfile.ZIP_DEFLATED)
    return sortie.getvalue()
