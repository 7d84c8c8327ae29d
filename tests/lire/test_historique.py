"""Reading last year's outputs (arbitrage.md §3): each operator's total N-1 to the cent, from
decisions_finales.csv after a session, from decisions.csv without one; a folder that is not
what `campaign run` wrote stops the run with one sentence; nothing there is ever written."""

from __future__ import annotations

import csv
import hashlib
import os
import pickle
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from chemins import EXEMPLE, LIVREE

from campaign.cli import main
from campaign.erreurs import CampaignError
from campaign.lire.historique import lire_precedente

DOSSIERS = (
    "fichier,sha256,statut,decision,siret,nom,collectifs,bloquants,avertissements,total,etat,"
    "decision_finale,total_final\n"
    "a.xlsx,aa,TRAITE,ACCORD,11111111111111,Centre social A,2,0,0,5126.01,PROPOSITION,,0.00\n"
    "b.xlsx,bb,TRAITE,ACCORD PARTIEL,22222222222222,'=Ville B,2,0,0,2563.00,PROPOSITION,,0.00\n"
    "b2.xlsx,b2,TRAITE,ACCORD,22222222222222,Ville B (second dossier),1,0,0,0.10,PROPOSITION,,0.00\n"
    "c.xlsx,cc,INCOMPLET,,33333333333333,Association C,1,1,0,0.00,,,0.00\n"
    "notes.txt,dd,ILLISIBLE,,,,0,1,0,0.00,,,0.00\n"
    "x.xlsx,ee,TRAITE,ACCORD,,Sans SIRET,1,0,0,100.00,PROPOSITION,,0.00\n"
)
DECISIONS = (
    "fichier,siret,code_collectif,decision,motifs,avertissements,part_charges,ps,bonus_enfants,"
    "bonus_parents,total\n"
    "a.xlsx,11111111111111,C1,ACCORD,,,1.00,2563.00,0.00,0.00,2563.00\n"
    "a.xlsx,11111111111111,C2,ACCORD,,,1.00,2563.00,0.00,0.01,2563.01\n"
    "b.xlsx,22222222222222,C1,ACCORD,,,1.00,2258.00,305.00,0.00,2563.00\n"
    "b.xlsx,22222222222222,C2,REFUS,R-EFFECTIF,,1.00,0.00,0.00,0.00,0.00\n"
    "b2.xlsx,22222222222222,C1,ACCORD,,,1.00,0.10,0.00,0.00,0.10\n"
    "x.xlsx,,C1,ACCORD,,,1.00,100.00,0.00,0.00,100.00\n"
)
FINALES_ENTETE = (
    "fichier,siret,code_collectif,proposition,avis,avis_date,commentaire,decision,motifs,"
    "avertissements,ps,bonus_enfants,bonus_parents,total\n"
)
FINALES = FINALES_ENTETE + (
    "a.xlsx,11111111111111,C1,ACCORD,Favorable,2026-01-20,,ACCORD,,,2563.00,0.00,0.00,2563.00\n"
    "a.xlsx,11111111111111,C2,ACCORD,Défavorable,2026-01-20,Trop tard,REFUS,,,0.00,0.00,0.00,0.00\n"
    "b.xlsx,22222222222222,C1,ACCORD,,,,ACCORD,,,2000.00,305.00,0.00,2305.00\n"
    "b.xlsx,22222222222222,C2,REFUS,Ajourné,2026-01-20,,AJOURNE,,,0.00,0.00,0.00,0.00\n"
    "b2.xlsx,22222222222222,C1,ACCORD,,,,PROPOSITION,,,0.10,0.00,0.00,0.10\n"
    "x.xlsx,,C1,ACCORD,Favorable,2026-01-20,,ACCORD,,,99.99,0.00,0.00,99.99\n"
)
FINALES_SANS_AVIS = FINALES_ENTETE + (
    "a.xlsx,11111111111111,C1,ACCORD,,,,PROPOSITION,,,1.00,0.00,0.00,1.00\n"
)


def _sorties(dossier: Path, finales: str | None = FINALES, decisions: str = DECISIONS) -> Path:
    dossier.mkdir(parents=True, exist_ok=True)
    contenus = {"dossiers.csv": DOSSIERS, "decisions.csv": decisions, "decisions_finales.csv": finales}
    for nom, texte in contenus.items():
        if texte is not None:
            (dossier / nom).write_bytes(texte.encode("utf-8"))
    return dossier


def _etat(dossier: Path) -> dict[str, tuple[bytes, int]]:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(dossier.iterdir())}


def test_sans_seance_les_totaux_de_decisions_csv_au_centime(tmp_path):
    dossier = _sorties(tmp_path / "sorties", finales=FINALES_SANS_AVIS)
    avant = _etat(dossier)
    h = lire_precedente(dossier)
    assert not h.seance and h.source == "decisions.csv"
    assert {s: p.total for s, p in h.porteurs.items()} == {
        "11111111111111": 512601,  # 2563.00 + 2563.01
        "22222222222222": 256310,  # two files summed: 2563.00 + 0.00 + 0.10
        "33333333333333": 0,  # INCOMPLET last year: known, not funded, not new
    }
    assert h.porteurs["22222222222222"].fichiers == ("b.xlsx", "b2.xlsx")
    assert h.porteurs["22222222222222"].nom == "=Ville B"  # the CSV's apostrophe removed, first file's name
    assert [(p.fichiers, p.total) for p in h.sans_siret] == [(("notes.txt",), 0), (("x.xlsx",), 10000)]
    assert [p.siret for p in h.finances()] == ["11111111111111", "22222222222222"]
    assert dict(h.empreintes) == {
        nom: hashlib.sha256(octets).hexdigest() for nom, (octets, _) in avant.items()
    }
    assert _etat(dossier) == avant  # read, never written
    assert pickle.loads(pickle.dumps(h)) == h  # the Resultat holding it may go to the workers


def test_apres_une_seance_seuls_les_collectifs_decides_en_accord(tmp_path):
    dossier = _sorties(tmp_path / "sorties")
    avant = _etat(dossier)
    h = lire_precedente(dossier)
    assert h.seance and h.source == "decisions_finales.csv"
    # REFUS, AJOURNE and PROPOSITION were not funded; decisions.csv's proposition is not read
    assert {s: p.total for s, p in h.porteurs.items()} == {
        "11111111111111": 256300,
        "22222222222222": 230500,
        "33333333333333": 0,
    }
    assert [p.total for p in h.sans_siret] == [0, 9999]
    assert _etat(dossier) == avant


def test_sorties_d_une_version_sans_decisions_finales(tmp_path):
    h = lire_precedente(_sorties(tmp_path / "sorties", finales=None))
    assert not h.seance and h.porteurs["11111111111111"].total == 512601
    assert [nom for nom, _ in h.empreintes] == ["decisions.csv", "dossiers.csv"]


MAUVAIS = {
    "montant à la virgule": (
        "decisions.csv",
        DECISIONS.replace("2563.01", '"2563,01"'),
        ("decisions.csv, ligne 3, colonne « total »", "« 2563,01 »"),
    ),
    "montant à une décimale": (
        "decisions_finales.csv",
        FINALES.replace(",2305.00\n", ",2305.0\n"),
        ("decisions_finales.csv, ligne 4, colonne « total »", "2563.00"),
    ),
    "montant en exposant": (
        "decisions.csv",
        DECISIONS.replace(",100.00\n", ",1e2\n"),
        ("decisions.csv, ligne 7, colonne « total »",),
    ),
    "montant négatif": (
        "decisions.csv",
        DECISIONS.replace(",0.10\n", ",-0.10\n"),
        ("decisions.csv, ligne 6, colonne « total »",),
    ),
    "siret trop court": (
        "dossiers.csv",
        DOSSIERS.replace("33333333333333", "3333"),
        ("dossiers.csv, ligne 5, colonne « siret »", "14 chiffres"),
    ),
    "colonne manquante": (
        "decisions_finales.csv",
        FINALES.replace("avis,avis_date", "avis_comite,avis_date"),
        ("decisions_finales.csv, ligne 1 : la colonne « avis » manque",),
    ),
    "ligne coupée": (
        "decisions.csv",
        DECISIONS + "a.xlsx,11111111111111,C3\n",
        ("decisions.csv, ligne 8 : 3 valeurs au lieu de 11",),
    ),
    "fichier inconnu": (
        "decisions.csv",
        DECISIONS.replace("b2.xlsx,", "z.xlsx,"),
        ("decisions.csv, ligne 6, colonne « fichier »", "dossiers.csv"),
    ),
    "siret qui ne concorde pas": (
        "decisions.csv",
        DECISIONS.replace("b2.xlsx,22222222222222", "b2.xlsx,44444444444444"),
        ("decisions.csv, ligne 6, colonne « siret »", "(22222222222222)"),
    ),
    "décision inconnue": (
        "decisions_finales.csv",
        FINALES.replace(",AJOURNE,", ",REPORTE,"),
        ("decisions_finales.csv, ligne 5, colonne « decision »", "PROPOSITION"),
    ),
    "fichier listé deux fois": (
        "dossiers.csv",
        DOSSIERS + DOSSIERS.splitlines(keepends=True)[1],
        ("dossiers.csv, ligne 8 : le fichier « a.xlsx » y est déjà, ligne 2",),
    ),
    "fichier vide": ("dossiers.csv", "", ("dossiers.csv est vide",)),
    "réenregistré en Windows-1252": (
        "dossiers.csv",
        DOSSIERS.replace("Centre social A", "Centre social Émile"),
        ("dossiers.csv n'est pas un texte UTF-8",),
    ),
    "octet nul": (
        "decisions.csv",
        DECISIONS.replace("2563.01", "2563.0\0"),
        ("decisions.csv, ligne 3, colonne « total »", "« 2563.0\\x00 »"),
    ),
}


@pytest.mark.parametrize("cas", MAUVAIS)
def test_un_fichier_mal_forme_arrete_la_campagne_avec_une_phrase(tmp_path, cas):
    nom, texte, attendus = MAUVAIS[cas]
    # decisions.csv is read when last year had no session
    dossier = _sorties(tmp_path / "sorties", finales=FINALES_SANS_AVIS if nom == "decisions.csv" else FINALES)
    octets = texte.encode("cp1252" if "Windows" in cas else "utf-8")
    (dossier / nom).write_bytes(octets)
    avant = _etat(dossier)
    with pytest.raises(CampaignError) as erreur:
        lire_precedente(dossier)
    phrase = str(erreur.value)
    assert erreur.value.code == 2
    assert str(dossier / nom) in phrase and "\n" not in phrase
    assert "historique.precedente" in phrase  # and what to do
    for attendu in attendus:
        assert attendu in phrase, phrase
    assert _etat(dossier) == avant


def test_un_fichier_qui_n_est_pas_un_fichier_ordinaire(tmp_path):
    dossier = _sorties(tmp_path / "sorties", finales=None)
    os.mkfifo(dossier / "decisions_finales.csv")  # never blocks the run
    with pytest.raises(CampaignError, match="n'est pas un fichier ordinaire"):
        lire_precedente(dossier)


def _somme(chemin: Path, garder) -> dict[str, Decimal]:
    """SIRET -> the sum of the rows' totals kept, in Decimal: computed apart from the reader."""
    sommes: dict[str, Decimal] = {}
    with chemin.open(encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            if r["siret"] and garder(r):
                sommes[r["siret"]] = sommes.get(r["siret"], Decimal(0)) + Decimal(r["total"])
    return sommes


def test_les_sorties_du_programme_apres_une_seance(tmp_path):
    """The shipped campagne with its committee file declared: the totals N-1 are the sums of the
    collectifs decided ACCORD, to the cent, and differ from the proposition's."""
    campagne = tmp_path / "campagne"
    shutil.copytree(LIVREE, campagne)
    with (campagne / "campagne.toml").open("a", encoding="utf-8") as f:
        f.write('\n[[comite]]\ndate = 2027-01-20\navis = "comite/avis-2027-01-20.xlsx"\n')
    sortie = tmp_path / "sortie"
    assert main(["run", str(campagne), "--out", str(sortie), "--sans-courriers"]) == 1
    h = lire_precedente(sortie.resolve())
    assert h.seance
    accords = _somme(sortie / "decisions_finales.csv", lambda r: r["decision"] == "ACCORD")
    lus = {s: p.total for s, p in h.porteurs.items() if p.total}
    assert lus == {s: int(total * 100) for s, total in accords.items() if total}
    proposition = _somme(sortie / "decisions.csv", lambda r: True)
    assert lus != {s: int(t * 100) for s, t in proposition.items() if t}


def test_campaign_run_s_arrete_avant_d_ecrire(tmp_path, capsys):
    """A malformed file of last year: exit 2, the sentence, no output folder, last year intact."""
    precedente = _sorties(
        tmp_path / "precedente", FINALES_SANS_AVIS, decisions=DECISIONS.replace("2563.01", '"2563,01"')
    )
    avant = _etat(precedente)
    campagne = tmp_path / "campagne"
    shutil.copytree(EXEMPLE, campagne)
    with (campagne / "campagne.toml").open("a", encoding="utf-8") as f:
        f.write(f'\n[historique]\nprecedente = "{precedente}"\n')
    sortie = tmp_path / "sortie"
    assert main(["run", str(campagne), "--out", str(sortie), "--sans-courriers"]) == 2
    erreur = capsys.readouterr().err
    assert "decisions.csv, ligne 3, colonne « total » : « 2563,01 »" in erreur
    assert not sortie.exists()
    assert _etat(precedente) == avant
