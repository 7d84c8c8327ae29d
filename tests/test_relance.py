"""A rerun without change prints the summary and leaves the outputs as they are; any change of
what a run reads (a dossier, a committee file, campagne.toml, a template, an option, the
outputs themselves) makes a full run. Real runs of the CLI on a copy of the example campagne."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from relance_cas import RIEN

from campaign.cli import main
from campaign.run import relance
from campaign.run import sortie as dossier_sortie


def _run(campagne: Path, out: Path, capsys, *options: str) -> tuple[int, str]:
    rc = main(["run", str(campagne), "--out", str(out), *options])
    return rc, capsys.readouterr().out


def _relancer(campagne: Path, out: Path, capsys, *options: str) -> str:
    """A run of the example campagne (some dossiers INCOMPLET: exit 1), -> what it printed."""
    rc, texte = _run(campagne, out, capsys, *options)
    assert rc == 1, texte
    return texte


def test_rerun_without_change_reads_nothing_and_says_so(tmp_path, campagne, capsys):
    out = tmp_path / "sortie"
    rc, premier = _run(campagne, out, capsys, "--sans-courriers")
    version = os.readlink(out)
    rc2, second = _run(campagne, out, capsys, "--sans-courriers")
    assert (rc2, os.readlink(out)) == (rc, version)  # same exit code, same version folder
    assert second.startswith(RIEN) and RIEN not in premier
    # the summary of the first run, its changes left out
    attendu = [ligne for ligne in premier.splitlines() if not ligne.startswith(("Depuis", "  - "))]
    assert second.splitlines()[1:] == attendu
    assert dossier_sortie.intacte(out)


def test_rerun_without_change_loads_no_reader_nor_pandas(tmp_path, campagne):
    out = tmp_path / "sortie"
    assert main(["run", str(campagne), "--out", str(out), "--sans-courriers"]) == 1
    code = (
        "import sys; from campaign.cli import main; "
        f"rc = main(['run', {str(campagne)!r}, '--out', {str(out)!r}, '--sans-courriers']); "
        "print(rc, sorted(m for m in ('pandas', 'pandera', 'weasyprint', 'openpyxl', 'python_calamine') "
        "if m in sys.modules))"
    )
    fait = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert RIEN in fait.stdout
    assert fait.stdout.strip().splitlines()[-1] == "1 []"


def _modifier_dossier(campagne: Path) -> None:
    premier, second = sorted(campagne.glob("dossier_*.xlsx"))[:2]
    shutil.copy(second, premier)


def _ajouter_comite(campagne: Path) -> None:
    (campagne / "comite").mkdir(exist_ok=True)
    (campagne / "comite" / "avis.xlsx").write_bytes(b"pas encore un classeur")


def _changer_toml(campagne: Path) -> None:
    toml = campagne / "campagne.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + "\n# relu\n", encoding="utf-8")


def _renommer(campagne: Path) -> None:
    premier = sorted(campagne.glob("dossier_*.xlsx"))[0]
    premier.rename(premier.with_name("renomme.xlsx"))


def _lien(campagne: Path) -> None:
    (campagne / "lien.xlsx").symlink_to("/nulle/part.xlsx")


CHANGEMENTS = {
    "un dossier modifié": _modifier_dossier,
    "un fichier du comité ajouté": _ajouter_comite,
    "campagne.toml modifié": _changer_toml,
    "un dossier renommé": _renommer,
    "un lien ajouté": _lien,
}


@pytest.mark.parametrize("changement", CHANGEMENTS)
def test_a_change_of_the_inputs_makes_a_full_run(tmp_path, campagne, capsys, changement):
    out = tmp_path / "sortie"
    _run(campagne, out, capsys, "--sans-courriers")
    CHANGEMENTS[changement](campagne)
    texte = _relancer(campagne, out, capsys, "--sans-courriers")
    assert RIEN not in texte and os.readlink(out) == ".sortie.v2"
    assert dossier_sortie.intacte(out)


def test_an_output_altered_or_removed_is_written_again(tmp_path, campagne, capsys):
    out = tmp_path / "sortie"
    _run(campagne, out, capsys, "--sans-courriers")
    bon = (out / "decisions.csv").read_bytes()
    (out / "decisions.csv").write_bytes(bon.replace(b"ACCORD", b"REFUS", 1))  # edited by hand
    texte = _relancer(campagne, out, capsys, "--sans-courriers")
    assert RIEN not in texte and (out / "decisions.csv").read_bytes() == bon
    (out / "synthese.xlsx").unlink()
    texte = _relancer(campagne, out, capsys, "--sans-courriers")
    assert RIEN not in texte and (out / "synthese.xlsx").is_file()
    texte = _relancer(campagne, out, capsys, "--sans-courriers")
    assert RIEN in texte


def test_an_option_changed_makes_a_full_run(tmp_path, campagne, capsys):
    out = tmp_path / "sortie"
    _run(campagne, out, capsys, "--date-courrier", "2026-12-01")
    texte = _relancer(campagne, out, capsys, "--date-courrier", "2026-12-02")
    assert RIEN not in texte and "fabriqués" in texte
    texte = _relancer(campagne, out, capsys, "--date-courrier", "2026-12-02")
    assert RIEN in texte
    texte = _relancer(campagne, out, capsys, "--sans-courriers")
    assert RIEN not in texte and not (out / "courriers").exists()


def _cle(racine: Path) -> str:
    h = hashlib.sha256()
    relance._arbre(racine, h)
    return h.hexdigest()


def test_the_key_sees_every_kind_of_change_in_a_tree(tmp_path):
    """The walk behind the key: the program's files and the templates folders are hashed by
    the same function as the campagne folder."""
    racine = tmp_path / "arbre"
    (racine / "sous").mkdir(parents=True)
    (racine / "sous" / "regle.py").write_text("SEUIL = 12\n")
    (racine / "gabarit.html.j2").write_text("<p>{{ x }}</p>")
    avant = _cle(racine)
    assert _cle(racine) == avant
    (racine / "__pycache__").mkdir()  # compiled files are not the program
    (racine / "__pycache__" / "regle.cpython-311.pyc").write_bytes(b"\0")
    assert _cle(racine) == avant
    (racine / "sous" / "regle.py").write_text("SEUIL = 14\n")
    assert _cle(racine) != avant
    (racine / "sous" / "regle.py").write_text("SEUIL = 12\n")
    assert _cle(racine) == avant
    (racine / "sous" / "regle.py").rename(racine / "regle.py")
    assert _cle(racine) != avant


def test_a_fifo_in_the_campagne_never_hangs_the_key(tmp_path):
    racine = tmp_path / "arbre"
    racine.mkdir()
    os.mkfifo(racine / "tube.xlsx")
    assert len(_cle(racine)) == 64


def test_a_tree_too_large_to_hash_quickly_gives_no_key(tmp_path, campagne, monkeypatch):
    """Beyond the bounds, no key: the run does its work (and the reader lists the entries)."""
    options = {"courriers": False, "date_courrier": None, "date_lettres": None}
    assert relance.cle(campagne, tmp_path / "s", None, options) is not None
    monkeypatch.setattr(relance, "ENTREES_MAX", 5)
    assert relance.cle(campagne, tmp_path / "s", None, options) is None
    monkeypatch.setattr(relance, "ENTREES_MAX", 100_000)
    monkeypatch.setattr(relance, "OCTETS_MAX", 1000)
    assert relance.cle(campagne, tmp_path / "s", None, options) is None
