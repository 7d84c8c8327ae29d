"""The reader fuzzed (issue 9): a real dossier's bytes and XML mutated, and the binary parts
of its .xlsb (made by the tests' writer, `xlsb`); never a traceback,
never over the bounds. About 30 s in `make test`; `CAMPAIGN_FUZZ_EXEMPLES` sets the number
of examples (`make bench` runs many more)."""

from __future__ import annotations

import io
import os
import resource
import tempfile
import time
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from xlsb import depuis_xlsx

from campaign.lire.lecture import ILLISIBLE, LU, lire_fichier

pytestmark = pytest.mark.lent  # make test-rapide leaves it out

SOURCE = Path(__file__).parents[1] / "fixtures" / "libreoffice" / "libreoffice.xlsx"
ORIGINAL = SOURCE.read_bytes()
with zipfile.ZipFile(io.BytesIO(ORIGINAL)) as _z:
    MEMBRES = {i.filename: _z.read(i.filename) for i in _z.infolist()}
XML = sorted(n for n in MEMBRES if n.endswith(".xml"))
with tempfile.TemporaryDirectory() as _d, zipfile.ZipFile(depuis_xlsx(SOURCE, Path(_d) / "d.xlsb")) as _z:
    MEMBRES_XLSB = {n: _z.read(n) for n in _z.namelist()}
BINAIRES = sorted(n for n in MEMBRES_XLSB if n.endswith(".bin"))
EXEMPLES = int(os.environ.get("CAMPAIGN_FUZZ_EXEMPLES", "2000"))
DEPART = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # peak before the fuzzing
SECONDES = 2.0
MO_EN_PLUS = 300

FRAGMENTS = [
    b'<c r="XFD1048576"><v>1</v></c>',
    b'<dimension ref="A1:XFD1048576"/>',
    b'<c r="A1" t="s"><v>99999999</v></c>',
    b'<row r="4294967296">',
    b"<f>SUM(A1:A9)</f>",
    b"<v>1e308</v>",
    b"<v>nan</v>",
    b"<a>" * 2000,
    b"&amp;&lt;&#0;&#xFFFFFFFF;",
    b"\xff\xfe\x00",
    b'<c r="B2" t="inlineStr"><is><t>\x1b[2J</t></is></c>',
    b'<sheet name="Collectifs" sheetId="9" r:id="rId9"/>',
    b"",
]


def _lire(tmp: Path, contenu: bytes, nom: str = "d.xlsx") -> None:
    chemin = tmp / nom
    chemin.write_bytes(contenu)
    debut = time.monotonic()
    lecture = lire_fichier(chemin)  # never raises
    assert time.monotonic() - debut < SECONDES
    assert lecture.statut in (LU, ILLISIBLE)
    assert all(a.message and a.code for a in lecture.anomalies)
    if lecture.statut == ILLISIBLE:
        assert len(lecture.anomalies) == 1 and lecture.anomalies[0].message.endswith(".")


def _zipper(membres: dict[str, bytes]) -> bytes:
    sortie = io.BytesIO()
    with zipfile.ZipFile(sortie, "w", zipfile.ZIP_DEFLATED) as z:
        for nom, contenu in membres.items():
            z.writestr(nom, contenu)
    return sortie.getvalue()


REGLAGES = settings(
    max_examples=EXEMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck)
)


@REGLAGES
@given(
    st.lists(st.tuples(st.integers(0, len(ORIGINAL) - 1), st.integers(0, 255)), max_size=20),
    st.integers(0, len(ORIGINAL)),
)
def test_octets_mutes(tmp_path_factory, changements, longueur):
    contenu = bytearray(ORIGINAL[: max(longueur, 1)])
    for position, octet in changements:
        if position < len(contenu):
            contenu[position] = octet
    _lire(tmp_path_factory.mktemp("f"), bytes(contenu))


@REGLAGES
@given(
    st.sampled_from(XML),
    st.floats(0, 1),
    st.floats(0, 1),
    st.sampled_from(FRAGMENTS),
    st.sampled_from([".xlsx", ".ods", ".xls", ".xlsb"]),
)
def test_xml_mute(tmp_path_factory, membre, debut, fin, fragment, extension):
    xml = MEMBRES[membre]
    a, b = sorted((int(debut * len(xml)), int(fin * len(xml))))
    membres = dict(MEMBRES) | {membre: xml[:a] + fragment + xml[b:]}
    _lire(tmp_path_factory.mktemp("x"), _zipper(membres), "d" + extension)


@settings(REGLAGES, max_examples=max(EXEMPLES // 4, 1))
@given(
    st.sampled_from(BINAIRES),
    st.lists(st.tuples(st.floats(0, 1), st.integers(0, 255)), max_size=20),
    st.floats(0, 1),
)
def test_xlsb_mute(tmp_path_factory, membre, changements, longueur):
    """Records of an .xlsb part changed or cut: python-calamine indexes its buffers without
    checks (a panic), or allocates what a record says."""
    octets = bytearray(MEMBRES_XLSB[membre][: max(1, int(longueur * len(MEMBRES_XLSB[membre])))])
    for position, octet in changements:
        octets[int(position * (len(octets) - 1))] = octet
    _lire(tmp_path_factory.mktemp("b"), _zipper(dict(MEMBRES_XLSB) | {membre: bytes(octets)}), "d.xlsb")


def test_memoire_du_processus_bornee():
    """After the fuzzing above, the peak memory of this process rose by less than the bound
    (measured from the peak at collection, before any example ran)."""
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 < DEPART + MO_EN_PLUS
