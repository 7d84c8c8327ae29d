"""Every entry of the campagne folder accounted for, none fatal (issue 9, defect 6), and the
strict e-mail check (defect 2)."""

from __future__ import annotations

import csv
import json
import os
import shutil
import time
from hashlib import sha256
from pathlib import Path

import pytest
from chemins import EXEMPLE
from classeurs import ecrire_classeur
from sans_droits import dossier_atteignable, sans_privilege

from campaign.cli import main
from campaign.lire.entrees import lire_entree
from campaign.lire.lecture import lire_fichier


def _lignes(chemin: Path) -> list[dict]:
    with chemin.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_chaque_entree_listee_aucune_fatale(tmp_path, capsys):
    dossier = tmp_path / "campagne"
    shutil.copytree(EXEMPLE, dossier)
    nom_latin1 = os.fsdecode(b"dossier_r\xe9ussir.xlsx")
    un = sorted(dossier.glob("*.xlsx"))[0].rename(dossier / nom_latin1)
    (dossier / "lien.xlsx").symlink_to(un.name)
    (dossier / "casse.xlsx").symlink_to("absent.xlsx")
    (dossier / "boucle.xlsx").symlink_to("boucle.xlsx")
    (dossier / "zero.xlsx").symlink_to("/dev/zero")
    os.mkfifo(dossier / "tube.xlsx")
    (dossier / "archives").mkdir()
    shutil.copy(un, dossier / "archives" / "a.xlsx")
    shutil.copy(un, dossier / "archives" / "b.ods")
    for pas_un_dossier in ("comite", "envois", "gabarits-caf"):
        (dossier / pas_un_dossier).mkdir()
        (dossier / pas_un_dossier / "x.xlsx").write_bytes(b"")
    toml = (dossier / "campagne.toml").read_text(encoding="utf-8")
    (dossier / "campagne.toml").write_text(
        toml.replace("[caf]\n", '[caf]\ngabarits = "gabarits-caf"\n'), encoding="utf-8"
    )
    debut = time.monotonic()
    rc = main(["run", str(dossier), "--out", str(tmp_path / "s"), "--sans-courriers"])
    assert rc == 1 and time.monotonic() - debut < 60
    dossiers = {r["fichier"]: r for r in _lignes(tmp_path / "s" / "dossiers.csv")}
    attendus = {os.fsencode(p.name).decode("utf-8", "backslashreplace") for p in dossier.iterdir()}
    attendus -= {"campagne.toml", "comite", "envois", "gabarits-caf"}
    assert set(dossiers) == attendus
    latin1 = dossiers["dossier_r\\xe9ussir.xlsx"]
    assert latin1["statut"] in ("TRAITE", "INCOMPLET")
    assert latin1["sha256"] == sha256(un.read_bytes()).hexdigest()
    for nom in ("lien.xlsx", "casse.xlsx", "boucle.xlsx", "zero.xlsx", "tube.xlsx"):
        assert dossiers[nom]["statut"] == "ILLISIBLE", nom
    assert dossiers["archives"]["statut"] == "IGNORE"
    messages = {r["fichier"]: r["message"] for r in _lignes(tmp_path / "s" / "anomalies.csv")}
    assert "lien symbolique" in messages["zero.xlsx"] and "/dev/zero" in messages["zero.xlsx"]
    assert "n'est pas un fichier ordinaire" in messages["tube.xlsx"]
    assert "sous-dossier" in messages["archives"] and "2 classeurs" in messages["archives"]


def test_fichier_disparu_ou_trop_gros(tmp_path, monkeypatch):
    assert lire_fichier(tmp_path / "parti.xlsx").statut == "ILLISIBLE"
    assert "a disparu" in lire_fichier(tmp_path / "parti.xlsx").anomalies[0].message
    monkeypatch.setattr("campaign.lire.entrees.OCTETS_MAX", 1000)
    gros = tmp_path / "gros.xlsx"
    gros.write_bytes(b"\0" * 5000)
    contenu = lire_entree(gros)
    assert contenu.octets is None and contenu.sorte == "trop-gros" and len(contenu.sha256) == 64
    assert "Mo" in lire_fichier(gros).anomalies[0].message


def test_fichier_sans_droit_de_lecture():
    lire = (
        "import json, sys; from pathlib import Path; from campaign.lire.lecture import lire_fichier; "
        "l = lire_fichier(Path(sys.argv[1])); print(json.dumps([l.statut, [a.message for a in l.anomalies]]))"
    )
    with dossier_atteignable() as dossier:  # as root, the reader is nobody
        lisible = ecrire_classeur(dossier / "lisible.xlsx")
        f = ecrire_classeur(dossier / "d.xlsx")
        f.chmod(0)
        statut, messages = json.loads(sans_privilege(["-c", lire, str(f)]).stdout)
        assert statut == "ILLISIBLE" and "permission refusée" in messages[0]
        assert json.loads(sans_privilege(["-c", lire, str(lisible)]).stdout)[0] == "LU"  # the reader does run


def test_peripherique_jamais_lu(tmp_path):
    try:
        os.mknod(tmp_path / "zero.xlsx", 0o644 | 0o020000, os.makedev(1, 5))
    except OSError:
        pytest.skip("no mknod here")
    lecture = lire_fichier(tmp_path / "zero.xlsx")
    assert lecture.statut == "ILLISIBLE" and "pas un fichier ordinaire" in lecture.anomalies[0].message


@pytest.mark.parametrize(
    "adresse, bonne",
    [
        ("sam@asso.example", True),
        ("prenom.nom+clas@mairie-die.fr", True),
        (' =HYPERLINK("http://evil.example","x")@evil.example', False),  # a space: not a formula to openpyxl
        ("\t=cmd@evil.example", False),
        ("+33@evil.example", False),
        ("a@b.fr, c@d.fr", False),
        ("a@b.fr;c@d.fr", False),
        ("Sam <sam@asso.example>", False),
        ("sam@asso.example\nBcc: x@y.fr", False),
        ("sam(x)@asso.example", False),
        ('"sam"@asso.example', False),
        ("sam@asso", False),
    ],
)
def test_courriel_strict(tmp_path, adresse, bonne):
    ecrire_classeur(tmp_path / "d.xlsx", porteur={"contact_courriel": adresse})
    (tmp_path / "campagne.toml").write_text(
        (EXEMPLE / "campagne.toml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    main(["run", str(tmp_path), "--out", str(tmp_path.parent / f"s-{tmp_path.name}"), "--sans-courriers"])
    anomalies = _lignes(tmp_path.parent / f"s-{tmp_path.name}" / "anomalies.csv")
    assert any(a["code"] == "COURRIEL-INVALIDE" for a in anomalies) is not bonne
