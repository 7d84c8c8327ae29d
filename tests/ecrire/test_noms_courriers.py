"""Letter names valid everywhere and unique, names safe on a terminal, the letter cache
pruned (issue 9, defects 4 and 11)."""

from __future__ import annotations

import csv
import shutil

from chemins import EXEMPLE
from classeurs import ecrire_classeur

from campaign.cli import main
from campaign.ecrire.courriers.nom import nom_pdf, nom_unique
from campaign.run.console import lisible


def test_noms_reserves_par_windows():
    for reserve in ("con", "aux", "nul", "com1", "lpt9", "prn"):
        nom = nom_pdf("", "", f"{reserve}.xlsx")
        assert nom.rsplit(".", 1)[0].upper() not in {"CON", "AUX", "NUL", "COM1", "LPT9", "PRN"}
        assert nom.endswith(".pdf") and reserve in nom
    assert nom_pdf("", "Aux", "x.xlsx") == "x-aux.pdf"  # not reserved: a longer name


def test_noms_uniques_meme_au_dela_de_trente_caracteres():
    pris: set[str] = set()
    for i in range(3):
        pris.add(
            nom_unique("12345678901234-asso.pdf", f"dossier_association_des_parents_d_eleves_{i}.xlsx", pris)
        )
    assert len(pris) == 3


def test_trois_fichiers_d_un_porteur_trois_pdf(tmp_path):
    dossier = tmp_path / "campagne"
    dossier.mkdir()
    shutil.copy(EXEMPLE / "campagne.toml", dossier)
    for i in range(3):  # one operator, three files whose names share their first 30 characters
        ecrire_classeur(dossier / f"dossier_association_des_parents_d_eleves_v{i}.xlsx")
    sortie = tmp_path / "s"
    assert main(["run", str(dossier), "--out", str(sortie), "--date-courrier", "2026-12-01"]) == 1
    with (sortie / "publipostage.csv").open(encoding="utf-8", newline="") as f:
        lignes = list(csv.DictReader(f))
    assert len(lignes) == 3 and len({r["courrier"] for r in lignes}) == 3
    # beside each PDF, nothing but the pre-filled workbook of a completion request
    assert sorted(p.name for p in (sortie / "courriers").iterdir()) == sorted(
        x.removeprefix("courriers/") for r in lignes for x in (r["courrier"], r["classeur"]) if x
    )
    # the cache keeps only the letters of the last run
    cache = tmp_path / ".cache" / "courriers"
    (cache / "00").mkdir(exist_ok=True)
    (cache / "00" / ("0" * 64 + ".pdf")).write_bytes(b"%PDF perime")
    (dossier / "dossier_association_des_parents_d_eleves_v2.xlsx").unlink()
    assert main(["run", str(dossier), "--out", str(sortie), "--date-courrier", "2026-12-01"]) == 1
    assert len(list(cache.glob("*/*.pdf"))) == 2 and not (cache / "00").exists()


def test_noms_de_fichiers_sans_effet_sur_le_terminal(tmp_path, capsys):
    assert lisible("a\x1b[2Jb\x07\u202ec\td") == "a\\x1b[2Jb\\x07\\u202ec\td"
    dossier = tmp_path / "campagne"
    shutil.copytree(EXEMPLE, dossier)
    sortie = tmp_path / "s"
    main(["run", str(dossier), "--out", str(sortie), "--sans-courriers"])
    capsys.readouterr()
    (dossier / "\x1b]0;pirate\x07\x1b[2J.xlsx").write_bytes(b"pas un classeur")
    main(["run", str(dossier), "--out", str(sortie), "--sans-courriers"])
    sortie_console = capsys.readouterr()
    assert "\x1b" not in sortie_console.out + sortie_console.err
    assert "\\x1b]0;pirate\\x07" in sortie_console.out
