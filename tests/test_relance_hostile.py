"""A rerun that says « Rien n'a changé » must leave exactly what a full run would write now:
what a run reads through a link, a large file rewritten in place, a record file that is not
a file, outputs with a link or a folder of their own. Real runs of the CLI on a copy of the
example campagne."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest
from relance_cas import RIEN

from campaign.cli import main
from campaign.run import relance
from campaign.run import sortie as dossier_sortie

pytestmark = pytest.mark.lent  # make test-rapide leaves it out


def _run(campagne: Path, out: Path, capsys) -> str:
    rc = main(["run", str(campagne), "--out", str(out), "--sans-courriers"])
    texte = capsys.readouterr().out
    assert rc == 1, texte  # the example campagne has INCOMPLET dossiers
    return texte


def _cle(racine: Path) -> str:
    h = hashlib.sha256()
    relance._arbre(racine, h)
    return h.hexdigest()


def test_a_linked_campagne_toml_changed_makes_a_full_run(tmp_path, campagne, capsys):
    """campagne.toml kept elsewhere (a shared folder) and linked: its bytes are what is read."""
    partage = tmp_path / "partage"
    partage.mkdir()
    (campagne / "campagne.toml").rename(partage / "campagne.toml")
    (campagne / "campagne.toml").symlink_to(partage / "campagne.toml")
    out = tmp_path / "sortie"
    _run(campagne, out, capsys)
    texte = (partage / "campagne.toml").read_text(encoding="utf-8")
    (partage / "campagne.toml").write_text(texte.replace("150000.00", "1000.00"), encoding="utf-8")
    assert RIEN not in _run(campagne, out, capsys)
    assert RIEN in _run(campagne, out, capsys)


def test_the_key_follows_links_to_files_and_folders(tmp_path):
    """A committee folder or a template linked from elsewhere: a change there changes the key."""
    ailleurs = tmp_path / "ailleurs"
    (ailleurs / "comite").mkdir(parents=True)
    (ailleurs / "comite" / "avis.xlsx").write_bytes(b"avis 1")
    (ailleurs / "entete.html.j2").write_text("<p>1</p>")
    racine = tmp_path / "arbre"
    racine.mkdir()
    (racine / "comite").symlink_to(ailleurs / "comite")
    (racine / "entete.html.j2").symlink_to(ailleurs / "entete.html.j2")
    (racine / "boucle").symlink_to(racine)  # never walked twice
    (racine / "mort").symlink_to(tmp_path / "absent")  # a dangling link still gives a key
    avant = _cle(racine)
    (ailleurs / "comite" / "avis.xlsx").write_bytes(b"avis 2")
    apres_comite = _cle(racine)
    assert apres_comite != avant
    (ailleurs / "entete.html.j2").write_text("<p>2</p>")
    assert _cle(racine) != apres_comite


def test_a_large_file_rewritten_in_place_with_its_date_kept_changes_the_key(tmp_path):
    """Beyond the reader's 20 MB cap its sha256 is still written (dossiers.csv), and a committee
    file is read whole: same size, same inode, same date, other bytes -> another key."""
    racine = tmp_path / "arbre"
    racine.mkdir()
    gros = racine / "gros.xlsx"
    gros.write_bytes(b"a" * (21 * 1024 * 1024))
    date = gros.stat().st_mtime_ns
    avant = _cle(racine)
    with open(gros, "r+b") as f:
        f.write(b"b")
    os.utime(gros, ns=(date, date))
    assert _cle(racine) != avant


def test_a_record_that_is_a_folder_never_stops_a_run(tmp_path, campagne, capsys):
    out = tmp_path / "sortie"
    (tmp_path / ".cache" / "relance" / "sortie.json").mkdir(parents=True)
    _run(campagne, out, capsys)
    _run(campagne, out, capsys)
    assert dossier_sortie.intacte(out)


@pytest.mark.parametrize(
    "alteration", ["fichier remplacé par un lien", "dossier vide ajouté", "lien vers un dossier ajouté"]
)
def test_outputs_with_a_link_or_a_folder_of_their_own_are_written_again(
    tmp_path, campagne, capsys, alteration
):
    out = tmp_path / "sortie"
    _run(campagne, out, capsys)
    if alteration == "fichier remplacé par un lien":
        copie = tmp_path / "copie.csv"
        shutil.copy(out / "dossiers.csv", copie)
        (out / "dossiers.csv").unlink()
        (out / "dossiers.csv").symlink_to(copie)
    elif alteration == "dossier vide ajouté":
        (out / "vide").mkdir()
    else:
        (out / "lien").symlink_to(tmp_path)
    assert RIEN not in _run(campagne, out, capsys)
    assert not (out / "dossiers.csv").is_symlink()
    ecrits = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["empreintes_sorties"]
    assert sorted(p.name for p in out.iterdir()) == sorted([*ecrits, "manifest.json", dossier_sortie.MARQUE])
    assert RIEN in _run(campagne, out, capsys)


def test_a_campagne_key_follows_links_where_the_run_reads_through_them(tmp_path, campagne, monkeypatch):
    """comite/ kept in a shared folder and linked: its files are read whole, so they are hashed;
    a link among the dossiers is never followed by the reader, nor by the key (a link to a
    large tree costs nothing)."""
    options = {"courriers": False, "date_courrier": None, "date_lettres": None}
    partage = tmp_path / "partage"
    partage.mkdir()
    (partage / "avis.xlsx").write_bytes(b"avis 1")
    (campagne / "comite").symlink_to(partage)
    archives = tmp_path / "archives"
    archives.mkdir()
    for i in range(600):
        (archives / f"{i}.xlsx").write_bytes(b"x")
    (campagne / "archives").symlink_to(archives)
    monkeypatch.setattr(relance, "ENTREES_MAX", 500)  # above the program's files, below the archives'
    avant = relance.cle(campagne, tmp_path / "s", None, options)
    assert avant is not None
    (partage / "avis.xlsx").write_bytes(b"avis 2")
    assert relance.cle(campagne, tmp_path / "s", None, options) not in (None, avant)


@pytest.mark.parametrize("nom", ["dossiers.csv", "manifest.json", "enregistrement"])
def test_a_fifo_in_the_place_of_an_output_or_of_the_record_never_hangs(tmp_path, campagne, capsys, nom):
    out = tmp_path / "sortie"
    _run(campagne, out, capsys)
    chemin = tmp_path / ".cache" / "relance" / "sortie.json" if nom == "enregistrement" else out / nom
    chemin.unlink()
    os.mkfifo(chemin)
    assert RIEN not in _run(campagne, out, capsys)  # before the fix: blocked for ever on open()
    assert dossier_sortie.intacte(out)


def test_a_record_edited_by_hand_makes_a_full_run(tmp_path, campagne, capsys):
    """Its exit code turned to 0 (a script would take the campaign as all decided)."""
    out = tmp_path / "sortie"
    _run(campagne, out, capsys)
    trace = tmp_path / ".cache" / "relance" / "sortie.json"
    donnees = json.loads(trace.read_text(encoding="utf-8"))
    trace.write_text(json.dumps({**donnees, "code": 0}), encoding="utf-8")
    assert RIEN not in _run(campagne, out, capsys)  # exit 1 again, checked by _run
    assert RIEN in _run(campagne, out, capsys)
