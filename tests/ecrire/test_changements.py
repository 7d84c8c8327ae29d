"""A rerun says what changed since the previous one."""

import shutil
from pathlib import Path

from campaign.cli import main

EXEMPLE = Path(__file__).parents[1] / "fixtures" / "exemple" / "campagne"


def test_une_relance_dit_ce_qui_a_change(tmp_path, capsys):
    dossier, out = tmp_path / "campagne", tmp_path / "sortie"
    shutil.copytree(EXEMPLE, dossier)
    main(["run", str(dossier), "--out", str(out), "--sans-courriers"])
    assert "Depuis la dernière exécution" not in capsys.readouterr().out
    main(["run", str(dossier), "--out", str(out), "--sans-courriers"])
    assert "Aucun changement depuis la dernière exécution." in capsys.readouterr().out
    (dossier / "doublon_b.xlsx").unlink()  # the analyst decides which duplicate stands
    main(["run", str(dossier), "--out", str(out), "--sans-courriers"])
    sortie = capsys.readouterr().out.replace("\u202f", " ").replace("\xa0", " ")
    assert "1 fichier(s) retiré(s) : doublon_b.xlsx." in sortie
    assert "doublon_a.xlsx : INCOMPLET → ACCORD PARTIEL." in sortie
    assert "Total de la campagne : +4 150,20 €." in sortie
