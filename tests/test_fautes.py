"""The user's and the machine's faults get a French sentence saying what to do, never
"Erreur interne"; a claim that previous outputs are intact only when checked (issue 9,
defects 8, 9 and 11)."""

from __future__ import annotations

import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from ensembles import complet
from sans_droits import dossier_atteignable, sans_privilege

from campaign.cli import main

pytestmark = pytest.mark.lent  # make test-rapide leaves it out

RACINE = Path(__file__).parents[1]


def _toml(campagne: Path, avant: str, apres: str) -> None:
    chemin = campagne / "campagne.toml"
    texte = chemin.read_text(encoding="utf-8")
    assert avant in texte
    chemin.write_text(texte.replace(avant, apres, 1), encoding="utf-8")


def _refus(campagne: Path, tmp_path: Path, capsys) -> str:
    assert main(["run", str(campagne), "--out", str(tmp_path / "s"), "--sans-courriers"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("Erreur : ") and "interne" not in err and err.count("\n") == 1
    assert not os.path.lexists(tmp_path / "s")
    return err


def test_cle_mal_ecrite_refusee_avec_la_plus_proche(campagne, tmp_path, capsys):
    _toml(campagne, "[regles]\n", "[regles]\necretment = false\n")
    err = _refus(campagne, tmp_path, capsys)
    assert "« regles.ecretment » est inconnue" in err and "« regles.ecretement »" in err


def test_table_inconnue_refusee(campagne, tmp_path, capsys):
    (campagne / "campagne.toml").write_text(
        (campagne / "campagne.toml").read_text(encoding="utf-8") + "\n[budjet]\nenveloppe = 1\n",
        encoding="utf-8",
    )
    assert "« budget »" in _refus(campagne, tmp_path, capsys)


@pytest.mark.parametrize("valeur", ["nan", "inf", "-inf", "1e308", "-5"])
def test_montants_bornes(campagne, tmp_path, capsys, valeur):
    texte = (campagne / "campagne.toml").read_text(encoding="utf-8")
    (campagne / "campagne.toml").write_text(
        re.sub(r"enveloppe = [^\n]*", f"enveloppe = {valeur}", texte), encoding="utf-8"
    )
    assert "budget.enveloppe" in _refus(campagne, tmp_path, capsys)


def test_dates_preconisees_incoherentes(campagne, tmp_path, capsys):
    texte = (campagne / "campagne.toml").read_text(encoding="utf-8")
    texte = re.sub(r"date_debut_preconisee = [^\n]*", "date_debut_preconisee = 2027-06-15", texte)
    texte = re.sub(r"date_fin_preconisee = [^\n]*", "date_fin_preconisee = 2026-11-02", texte)
    (campagne / "campagne.toml").write_text(texte, encoding="utf-8")
    assert "doit suivre la date de début" in _refus(campagne, tmp_path, capsys)


def test_campagne_toml_latin1_ou_binaire_ou_imbrique(campagne, tmp_path, capsys):
    chemin = campagne / "campagne.toml"
    chemin.write_bytes(chemin.read_text(encoding="utf-8").encode("latin-1", "replace"))
    assert "UTF-8" in _refus(campagne, tmp_path, capsys)
    chemin.write_bytes(bytes(range(256)) * 4)
    assert "campagne.toml" in _refus(campagne, tmp_path, capsys)
    chemin.write_text("x = " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    assert "campagne.toml" in _refus(campagne, tmp_path, capsys)


def _run_limite(
    campagne: Path, sortie: Path, octets: int, options: tuple[str, ...] = ("--sans-courriers",)
) -> subprocess.CompletedProcess:
    def limiter() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (octets, octets))

    return subprocess.run(
        [sys.executable, "-m", "campaign", "run", str(campagne), "--out", str(sortie), *options],
        capture_output=True,
        text=True,
        preexec_fn=limiter,
        env={**os.environ, "PYTHONPATH": str(RACINE)},
        cwd=RACINE,
        timeout=120,
    )


def test_disque_plein_sorties_precedentes_verifiees_intactes(campagne, tmp_path):
    sortie = tmp_path / "s"
    assert main(["run", str(campagne), "--out", str(sortie), "--sans-courriers"]) == 1
    avant = os.readlink(sortie)
    (campagne / "note.txt").write_text("un fichier de plus")  # a change: the run has work to do
    r = _run_limite(campagne, sortie, 4096)  # every file beyond 4 KB fails: EFBIG, like a full disk
    assert r.returncode == 2, r.stderr
    assert "disque est plein" in r.stderr and "interne" not in r.stderr
    assert "intactes (vérifiées une à une)" in r.stderr and r.stderr.count("\n") == 1
    assert os.readlink(sortie) == avant and complet(sortie)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".s.")) == [avant]
    assert main(["run", str(campagne), "--out", str(sortie), "--sans-courriers"]) == 1  # room again


def test_disque_plein_pendant_le_classeur_ecrit_pendant_les_courriers(campagne, tmp_path):
    """The workbook is written while the workers render the letters: the disk full then stops
    the run all the same, with the previous outputs whole and no version folder left."""
    sortie = tmp_path / "s"
    assert main(["run", str(campagne), "--out", str(sortie), "--date-courrier", "2026-11-28"]) == 1
    avant = os.readlink(sortie)
    # another date: every letter is rendered again, the dossiers are taken from the reading cache;
    # 20 kB lets the CSVs (16 kB at most) through, not the workbook (about 60 kB)
    r = _run_limite(campagne, sortie, 20_000, ("--date-courrier", "2026-11-29"))
    assert r.returncode == 2, r.stderr
    assert "disque est plein" in r.stderr and "interne" not in r.stderr
    assert "intactes (vérifiées une à une)" in r.stderr
    assert r.stderr.count("\n") == 1  # the sentence alone: no traceback of a half-closed zip after it
    assert os.readlink(sortie) == avant and complet(sortie)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".s.")) == [avant]


def _nouvelles(cache: Path, deja: set[Path]) -> set[Path]:
    try:
        return set(cache.glob("*/*.pdf")) - deja
    except FileNotFoundError:  # a folder of the cache made or removed meanwhile
        return set()


def test_ctrl_c_pendant_les_courriers_dit_l_etat_des_sorties(campagne, tmp_path):
    """One sentence, nothing else: no worker's traceback (they leave Ctrl-C to the run), no
    traceback of the pool's clean-up at exit (the run waits for its workers)."""
    sortie = tmp_path / "s"
    assert main(["run", str(campagne), "--out", str(sortie), "--date-courrier", "2026-11-28"]) == 1
    avant = os.readlink(sortie)
    cache = tmp_path / ".cache" / "courriers"
    deja = set(cache.glob("*/*.pdf"))
    run = subprocess.Popen(  # another date: every letter is rendered again
        [
            sys.executable,
            "-m",
            "campaign",
            "run",
            str(campagne),
            "--out",
            str(sortie),
            "--date-courrier",
            "2026-11-29",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=RACINE,
        start_new_session=True,  # a group of its own, as a terminal's job
    )
    limite = time.monotonic() + 120
    while not _nouvelles(cache, deja) and time.monotonic() < limite:
        time.sleep(0.02)  # until the first new letter is back from the workers
    os.killpg(run.pid, signal.SIGINT)  # Ctrl-C: the terminal signals every process of the run
    _, err = run.communicate(timeout=120)
    assert run.returncode == 130 and err.count("\n") == 1, err
    assert complet(sortie)
    if os.readlink(sortie) == avant:
        assert err.startswith("Interrompu ; les sorties précédentes de ") and "intactes (vérifiées" in err
    else:  # on a loaded machine the signal may land once the new outputs are in place: said so
        assert err.startswith("Interrompu ; les nouvelles sorties ont été écrites en entier"), err


@pytest.mark.parametrize(
    "faute, phrase",
    [(KeyboardInterrupt, "Interrompu ; "), (OSError(28, "No space left on device"), "Erreur : ")],
)
def test_une_faute_apres_la_bascule_dit_que_les_nouvelles_sorties_sont_la(
    campagne, tmp_path, capsys, monkeypatch, faute, phrase
):
    """The outputs switched, then the summary fails or Ctrl-C comes: the sentence says the new
    outputs are there, whole, not that the previous ones are."""
    from campaign.run import console

    def resume(*_args, **_kwargs):
        raise faute

    monkeypatch.setattr(console, "resume", resume)
    code = main(["run", str(campagne), "--out", str(tmp_path / "s"), "--sans-courriers"])
    err = capsys.readouterr().err
    assert code in (2, 130)
    assert err.startswith(phrase) and "les nouvelles sorties ont été écrites en entier" in err, err
    assert complet(tmp_path / "s")


def test_disque_plein_des_la_premiere_execution(campagne, tmp_path):
    r = _run_limite(campagne, tmp_path / "s", 4096)
    assert r.returncode == 2 and "disque est plein" in r.stderr and "aucune sortie n'a été écrite" in r.stderr


def test_dossier_de_sortie_sans_droit_d_ecriture(campagne):
    with dossier_atteignable() as dossier:  # as root, the run is nobody's
        shutil.copytree(campagne, dossier / "campagne")
        parent = dossier / "protege"
        parent.mkdir(mode=0o555)
        sortie = parent / "s"
        r = sans_privilege(
            ["-m", "campaign", "run", str(dossier / "campagne"), "--out", str(sortie), "--sans-courriers"]
        )
        assert r.returncode == 2, r.stderr
        assert "permission refusée" in r.stderr and "interne" not in r.stderr
        assert sorted(parent.iterdir()) == []


def _monter(cible: Path, options: str) -> bool:
    cible.mkdir()
    return (
        subprocess.run(
            ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(cible)], capture_output=True
        ).returncode
        == 0
    )


@pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("mount"), reason="needs root to mount a tmpfs")
@pytest.mark.parametrize(
    "options, phrase", [("size=64k", "disque est plein"), ("ro,size=64k", "lecture seule")]
)
def test_vrai_disque_plein_ou_en_lecture_seule(campagne, tmp_path, capsys, options, phrase):
    disque = tmp_path / "disque"
    if not _monter(disque, options):
        pytest.skip("tmpfs cannot be mounted here")
    try:
        assert main(["run", str(campagne), "--out", str(disque / "s")]) == 2
        err = capsys.readouterr().err
        assert phrase in err and "interne" not in err
        assert [p.name for p in disque.iterdir() if p.name.startswith(".s.v")] == []  # nothing left
    finally:
        subprocess.run(["umount", str(disque)], check=False)


@pytest.mark.parametrize(
    "avant, apres, cle",
    [
        ('annee = "2026-2027"', 'annee = "0000-0001"', "annee"),
        ('annee = "2026-2027"', 'annee = "2101-2102"', "annee"),
        ("bilan_avant = 2027-09-30", "bilan_avant = 9999-12-31", "budget.bilan_avant"),
        ("date_debut_preconisee = 2026-11-02", "date_debut_preconisee = 0001-01-01", "regles.date_debut"),
        ("date_fin_preconisee = 2027-06-15", "date_fin_preconisee = 9999-12-31", "regles.date_fin"),
    ],
)
def test_dates_de_campagne_toml_bornees(campagne, tmp_path, capsys, avant, apres, cle):
    """Every date computed from campagne.toml exists (issue 23): a sentence, never a ValueError
    or an OverflowError."""
    _toml(campagne, avant, apres)
    assert cle in _refus(campagne, tmp_path, capsys)


def test_une_seance_des_milliers_d_annees_apres_la_campagne(campagne, tmp_path, capsys):
    (campagne / "comite").mkdir()
    (campagne / "comite" / "avis.xlsx").write_bytes(b"x")
    with (campagne / "campagne.toml").open("a", encoding="utf-8") as f:
        f.write('\n[[comite]]\ndate = 9999-12-31\navis = "comite/avis.xlsx"\n')
    assert "bien après la campagne" in _refus(campagne, tmp_path, capsys)


def test_annee_en_chiffres_pleine_chasse_lue_en_chiffres_ascii(campagne):
    from campaign.lire.campagne import charger_campagne

    _toml(campagne, 'annee = "2026-2027"', 'annee = "２０２６-２０２７"')
    assert charger_campagne(campagne).annee == "2026-2027"


@pytest.mark.parametrize("ou", ["--date-courrier", "SOURCE_DATE_EPOCH"])
def test_une_date_des_courriers_en_l_an_9999_avec_un_dossier_incomplet(campagne, tmp_path, ou):
    """The example has INCOMPLET dossiers: their completion deadline is the letters' date plus
    30 days, which would not exist. A sentence, exit 2, nothing written; in a process of its
    own, so that the run's day comes from the environment."""
    env = dict(os.environ)
    options = []
    if ou == "--date-courrier":
        options = ["--date-courrier", "9999-12-31"]
    else:
        env["SOURCE_DATE_EPOCH"] = "253402300799"  # 9999-12-31T23:59:59Z
    p = subprocess.run(
        [sys.executable, "-m", "campaign", "run", str(campagne), "--out", str(tmp_path / "s"), *options],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert p.returncode == 2 and p.stderr.startswith("Erreur : ") and p.stderr.count("\n") == 1
    assert "interne" not in p.stderr and "Traceback" not in p.stderr and "9999" in p.stderr
    assert not os.path.lexists(tmp_path / "s")


ENVOI = '\n[envoi]\nserveur = "smtp.caf26.example"\nexpediteur = {}\n'


@pytest.mark.parametrize(
    "avant, apres, cle",
    [
        (  # a second address, or a header, slipped into the Reply-To
            'courriel = "clas@caf26.example"',
            'courriel = "clas@caf26.example\\r\\nBcc: tous@ailleurs.example"',
            "caf.agent.courriel",
        ),
        ('courriel = "clas@caf26.example"', 'courriel = "clas@caf26.example, b@caf26.example"', "caf.agent"),
        ("", ENVOI.format('"Caf <clas@caf26.example>, Autre <autre@ailleurs.example>"'), "envoi.expediteur"),
        ("", ENVOI.format('"clas@caf26.example, autre@ailleurs.example"'), "envoi.expediteur"),
        ("", ENVOI.format('"Caf <clas@caf26.example>\\r\\nBcc: x@ailleurs.example"'), "envoi.expediteur"),
        ("", ENVOI.format('"Caf <clas@caf26.example> <autre@ailleurs.example>"'), "envoi.expediteur"),
        ("", ENVOI.format('"Caf <clas@caf26.example>"') + 'copie_cachee = "a@b.example;c@d.ex"', "copie"),
    ],
)
def test_les_adresses_de_la_caf_verifiees_par_run_comme_par_envoyer(
    campagne, tmp_path, capsys, avant, apres, cle
):
    """run refuses what envoyer refuses (issue 23): one address each, no header slipped in."""
    if avant:
        _toml(campagne, avant, apres)
    else:
        with (campagne / "campagne.toml").open("a", encoding="utf-8") as f:
            f.write(apres)
    err = _refus(campagne, tmp_path, capsys)
    assert cle in err and "une seule adresse de courriel" in err


def test_un_expediteur_avec_son_nom_est_accepte(campagne, tmp_path):
    with (campagne / "campagne.toml").open("a", encoding="utf-8") as f:
        f.write(ENVOI.format('"Caf de la Drôme <clas@caf26.example>"'))
    assert main(["run", str(campagne), "--out", str(tmp_path / "s"), "--sans-courriers"]) == 1
