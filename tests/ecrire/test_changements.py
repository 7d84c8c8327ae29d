"""A rerun says what changed since the previous one."""

import csv
import shutil

from chemins import EXEMPLE
from comite_classeur import remplir

from campaign.cli import main


def test_une_relance_dit_ce_qui_a_change(tmp_path, capsys):
    dossier, out = tmp_path / "campagne", tmp_path / "sortie"
    shutil.copytree(EXEMPLE, dossier)
    main(["run", str(dossier), "--out", str(out), "--sans-courriers"])
    assert "Depuis la dernière exécution" not in capsys.readouterr().out
    shutil.rmtree(tmp_path / ".cache" / "relance")  # forgotten, as after an upgrade: a full run
    main(["run", str(dossier), "--out", str(out), "--sans-courriers"])
    assert "  - Aucun changement." in capsys.readouterr().out
    (dossier / "doublon_b.xlsx").unlink()  # the analyst decides which duplicate stands
    main(["run", str(dossier), "--out", str(out), "--sans-courriers"])
    sortie = capsys.readouterr().out.replace("\u202f", " ").replace("\xa0", " ")
    assert "1 fichier retiré : doublon_b.xlsx." in sortie
    assert "doublon_a.xlsx : INCOMPLET → ACCORD PARTIEL." in sortie
    assert "Total proposé de la campagne : +4 150,20 €." in sortie
    assert "campagne.toml" not in sortie


def test_un_reglage_change_est_dit(tmp_path, capsys):
    dossier, out = tmp_path / "campagne", tmp_path / "sortie"
    shutil.copytree(EXEMPLE, dossier)
    main(["run", str(dossier), "--out", str(out), "--sans-courriers"])
    toml = dossier / "campagne.toml"
    texte = toml.read_text(encoding="utf-8")
    assert "ecretement = true" in texte
    toml.write_text(texte.replace("ecretement = true", "ecretement = false"), encoding="utf-8")
    capsys.readouterr()
    main(["run", str(dossier), "--out", str(out), "--sans-courriers"])
    sortie = capsys.readouterr().out
    assert "  - campagne.toml modifié." in sortie
    assert "Aucun changement." not in sortie


def test_une_seance_du_comite_est_dite_avec_les_decisions_qui_bougent(tmp_path, capsys):
    dossier, out = tmp_path / "campagne", tmp_path / "sortie"
    shutil.copytree(EXEMPLE, dossier)
    main(["run", str(dossier), "--out", str(out), "--sans-courriers"])
    with (out / "decisions.csv").open(encoding="utf-8") as f:
        premier = next(csv.DictReader(f))
    remplir(
        out / "synthese.xlsx",
        dossier / "comite" / "avis.xlsx",
        {(premier["fichier"], premier["code_collectif"]): ("Ajourné", "Pièces à vérifier")},
    )
    with (dossier / "campagne.toml").open("a", encoding="utf-8") as f:
        f.write('\n[[comite]]\ndate = 2027-01-20\navis = "comite/avis.xlsx"\n')
    capsys.readouterr()
    main(["run", str(dossier), "--out", str(out), "--sans-courriers"])
    sortie = capsys.readouterr().out
    assert "  - Séance du comité du 20 janvier 2027 prise en compte." in sortie
    assert (
        f"1 collectif change de décision finale : {premier['fichier']} "
        f"{premier['code_collectif']} (PROPOSITION → AJOURNE)."
    ) in sortie
