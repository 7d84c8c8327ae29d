"""campaign envoyer when things go wrong: a killed process, a refused login, outputs that no
longer match the campagne, a second command at the same time; the password nowhere."""

from __future__ import annotations

import base64
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from serveur_smtp import ATTENTES, MOT_DE_PASSE, UTILISATEUR, attendus, envoyer, journal, noms_recus

from campaign.run.verrou import Verrou

pytestmark = pytest.mark.lent  # make test-rapide leaves it out

RACINE = Path(__file__).parents[2]


def test_killed_halfway_then_exactly_the_rest(campagne, boite, capsys):
    """SIGKILL while the server holds the third message: the rerun sends the others, holds
    that one back (did it leave?), and --renvoyer-modifies sends it after a person checked."""
    boite.comportement.bloquer_au = 3
    commande = [
        sys.executable,
        "-m",
        "campaign",
        "envoyer",
        str(campagne / "campagne"),
        "--out",
        str(campagne / "sortie"),
        "--attentes",
        ATTENTES,
        "--pour-de-vrai",
    ]
    processus = subprocess.Popen(
        commande, cwd=RACINE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=os.environ.copy()
    )
    try:
        assert boite.comportement.bloque.wait(60)
    finally:
        processus.send_signal(signal.SIGKILL)
        processus.wait()
    assert len(boite.recus) == 3
    assert [r["resultat"] for r in journal(campagne)] == ["TENTATIVE", "ENVOYE"] * 2 + ["TENTATIVE"]
    suspendu = journal(campagne)[-1]["courrier"]

    boite.comportement.bloquer_au = None
    assert envoyer(campagne, "--pour-de-vrai") == 1  # held back: a person must check
    sortie = capsys.readouterr().out
    assert "Retenus" in sortie and suspendu in sortie
    tous = attendus(campagne)
    assert len(boite.recus) == len(tous)  # counted on the server: each letter once
    assert noms_recus(boite) == tous

    assert envoyer(campagne, "--pour-de-vrai", "--renvoyer-modifies") == 0
    assert len(boite.recus) == len(tous) + 1
    assert noms_recus(boite).count(suspendu.removeprefix("courriers/")) == 2
    assert envoyer(campagne, "--pour-de-vrai") == 0
    assert len(boite.recus) == len(tous) + 1


def test_refused_login_stops_at_once(campagne, boite, capsys, monkeypatch):
    monkeypatch.setenv("CAMPAIGN_SMTP_MOT_DE_PASSE", "pas-le-bon")
    assert envoyer(campagne, "--pour-de-vrai") == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and UTILISATEUR in err and "pas-le-bon" not in err
    assert boite.recus == [] and journal(campagne) == []
    assert not (campagne / "campagne" / "envois").exists()  # the campagne folder as it was


def test_password_is_written_nowhere(campagne, boite, capsys):
    assert envoyer(campagne, "--pour-de-vrai") == 0
    assert envoyer(campagne) == 0
    sorties = capsys.readouterr()
    formes = [
        MOT_DE_PASSE.encode("utf-8"),
        MOT_DE_PASSE.encode("latin-1"),
        base64.b64encode(f"\0{UTILISATEUR}\0{MOT_DE_PASSE}".encode()),
        base64.b64encode(MOT_DE_PASSE.encode()),
    ]
    fichiers = [p for p in campagne.rglob("*") if p.is_file()]
    assert len(fichiers) > 20 and any(p.name == "journal.csv" for p in fichiers)
    for p in fichiers:
        contenu = p.read_bytes()
        assert not any(f in contenu for f in formes), p
    assert MOT_DE_PASSE not in sorties.out + sorties.err


def test_outputs_older_than_the_campagne(campagne, boite, capsys):
    dossier = campagne / "campagne" / "zz_ecole_des_parents.xlsx"
    shutil.copy2(campagne / "campagne" / "zz_les_ptits_loups.xlsx", dossier)  # a dossier replaced
    assert envoyer(campagne, "--pour-de-vrai") == 2
    err = capsys.readouterr().err
    assert "zz_ecole_des_parents.xlsx" in err and "relancez make campaign" in err
    assert boite.recus == [] and boite.rcpt_tentes == []
    (campagne / "campagne" / "nouveau.xlsx").write_bytes(b"x")
    dossier.unlink()
    assert envoyer(campagne) == 2
    err = capsys.readouterr().err
    assert "« nouveau.xlsx » a été ajouté" in err
    assert "« zz_ecole_des_parents.xlsx » a été retiré" in err


def test_campagne_toml_changed_since_the_run(campagne, boite, capsys):
    toml = campagne / "campagne" / "campagne.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8").replace("cadence = 60000", "cadence = 10"), encoding="utf-8"
    )
    assert envoyer(campagne, "--pour-de-vrai") == 2
    assert "campagne.toml a changé" in capsys.readouterr().err


def test_a_second_command_at_the_same_time(campagne, boite, capsys):
    enfant = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        verrou = Verrou(campagne / "campagne" / "envois" / ".journal.csv.verrou", "x", "x")
        verrou.chemin.parent.mkdir()
        verrou.chemin.write_text(f'{{"pid": {enfant.pid}, "commande": "campaign envoyer"}}')
        assert envoyer(campagne, "--pour-de-vrai") == 2
        assert str(enfant.pid) in capsys.readouterr().err
        verrou.chemin.unlink()
        sortie = campagne / "sortie"
        (campagne / ".sortie.verrou").write_text(f'{{"pid": {enfant.pid}, "commande": "campaign run"}}')
        assert envoyer(campagne) == 2
        assert "campaign run" in capsys.readouterr().err
        from campaign.cli import main

        assert main(["run", str(campagne / "campagne"), "--out", str(sortie)]) == 2
    finally:
        enfant.kill()
        enfant.wait()
    assert boite.recus == []


def test_no_envoi_table(campagne, capsys):
    toml = campagne / "campagne" / "campagne.toml"
    texte = toml.read_text(encoding="utf-8")
    toml.write_text(texte[: texte.index("[envoi]")], encoding="utf-8")
    assert envoyer(campagne) == 2
    assert "[envoi]" in capsys.readouterr().err


@pytest.mark.parametrize(
    "ajout, attendu",
    [
        ('mot_de_passe = "secret"', "ne s'écrit jamais"),
        ('serveur = "smtp.caf26.example"\nsecurite = "aucune"', "« envoi.securite »"),
        ('securite = "tls"', "« envoi.securite »"),
        ("cadence = 0", "« envoi.cadence »"),
        ('copie_cachee = "archives@caf, autre@caf.fr"', "« envoi.copie_cachee »"),
        ('autorite = "absente.pem"', "« envoi.autorite »"),
        ('sever = "x"', "« envoi.sever »"),
    ],
)
def test_envoi_table_is_validated_by_run(tmp_path, capsys, ajout, attendu):
    from campaign.cli import main

    dossier = tmp_path / "campagne"
    dossier.mkdir()
    lignes = {"serveur": '"127.0.0.1"', "securite": '"aucune"', "expediteur": '"clas@caf26.example"'}
    for ligne in ajout.splitlines():
        cle, _, valeur = ligne.partition(" = ")
        lignes[cle] = valeur
    envoi = "\n".join(f"{k} = {v}" for k, v in lignes.items())
    toml = (RACINE / "inputs" / "2026-2027" / "campagne.toml").read_text(encoding="utf-8")
    toml = toml.partition("\n[envoi]")[0]
    (dossier / "campagne.toml").write_text(f"{toml}\n[envoi]\n{envoi}\n", encoding="utf-8")
    assert main(["run", str(dossier), "--out", str(tmp_path / "s")]) == 2
    assert attendu in capsys.readouterr().err
    assert not (tmp_path / "s").exists()


def test_ctrl_c_stops_at_once_and_loses_nothing(campagne, boite):
    boite.comportement.bloquer_au = 2
    commande = [
        sys.executable,
        "-m",
        "campaign",
        "envoyer",
        str(campagne / "campagne"),
        "--out",
        str(campagne / "sortie"),
        "--attentes",
        ATTENTES,
        "--pour-de-vrai",
    ]
    processus = subprocess.Popen(
        commande, cwd=RACINE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=os.environ.copy(), text=True
    )
    try:
        assert boite.comportement.bloque.wait(60)
        debut = time.monotonic()
        processus.send_signal(signal.SIGINT)
        _, err = processus.communicate(timeout=30)
    finally:
        processus.kill()
    assert processus.returncode == 130 and "Interrompu" in err
    assert time.monotonic() - debut < 4  # no QUIT waiting on a server in the middle of a message
    assert [r["resultat"] for r in journal(campagne)] == ["TENTATIVE", "ENVOYE", "TENTATIVE"]
    assert not (campagne / ".sortie.verrou").exists()
    assert not (campagne / "campagne" / "envois" / ".journal.csv.verrou").exists()


def test_an_unknown_certificate_stops_before_anything(campagne, boite, capsys):
    import trustme

    trustme.CA().cert_pem.write_to_path(str(campagne / "campagne" / "certificats" / "ac-caf.pem"))
    assert envoyer(campagne, "--pour-de-vrai") == 2
    err = capsys.readouterr().err
    assert "certificat du serveur de courriel 127.0.0.1 n'est pas reconnu" in err and "autorite" in err
    assert boite.recus == [] and journal(campagne) == []


def test_a_rerun_that_only_redates_the_letters_sends_nothing_again(campagne, boite, capsys):
    """The empreinte leaves the date out: the same letter dated another day is the same
    letter. A dossier whose letter changed gets its new letter. An open workbook's lock file
    is not a dossier."""
    from campaign.cli import main

    assert envoyer(campagne, "--pour-de-vrai") == 0
    n = len(boite.recus)
    dossier, sortie = campagne / "campagne", campagne / "sortie"
    assert main(["run", str(dossier), "--out", str(sortie), "--date-courrier", "2026-12-15"]) == 1
    (dossier / ".~lock.zz_atelier_des_sciences.xlsx#").write_text("ouvert")
    assert envoyer(campagne, "--pour-de-vrai") == 0
    assert len(boite.recus) == n
    assert "déjà partis" in capsys.readouterr().out
    # a dossier changed (another address and name): its new letter leaves, once
    from classeurs import ecrire_classeur
    from serveur_smtp import siret

    ecrire_classeur(
        dossier / "zz_atelier_des_sciences.xlsx",
        sans=("Budget",),
        porteur={
            "nom": "Atelier des sciences de Crest",
            "siret": siret("7328293201000"),
            "contact_courriel": "direction@atelier-sciences.example",
            "adresse": "2 place de la Liberté",
            "commune": "Crest",
            "code_postal": "26400",
        },
    )
    assert main(["run", str(dossier), "--out", str(sortie), "--date-courrier", "2026-12-15"]) == 1
    assert envoyer(campagne, "--pour-de-vrai") == 0
    assert [r.destinataires[0] for r in boite.recus[n:]] == ["direction@atelier-sciences.example"]


def test_password_asked_on_the_terminal_never_echoed(campagne, boite):
    """No variable: the password is asked on the terminal (getpass: not echoed)."""
    import pty
    import select

    env = {k: v for k, v in os.environ.items() if k != "CAMPAIGN_SMTP_MOT_DE_PASSE"}
    maitre, esclave = pty.openpty()
    commande = [
        sys.executable,
        "-m",
        "campaign",
        "envoyer",
        str(campagne / "campagne"),
        "--out",
        str(campagne / "sortie"),
        "--attentes",
        ATTENTES,
        "--pour-de-vrai",
    ]
    processus = subprocess.Popen(
        commande, cwd=RACINE, stdin=esclave, stdout=esclave, stderr=esclave, env=env, start_new_session=True
    )
    os.close(esclave)
    lu, ecrit = b"", False
    try:
        while True:
            prets, _, _ = select.select([maitre], [], [], 60)
            assert prets, lu
            try:
                morceau = os.read(maitre, 4096)
            except OSError:  # the command ended: the terminal is gone
                break
            if not morceau:
                break
            lu += morceau
            if not ecrit and b"Mot de passe de clas@caf26.example" in lu:
                os.write(maitre, MOT_DE_PASSE.encode() + b"\n")
                ecrit = True
    finally:
        processus.wait(timeout=60)
        os.close(maitre)
    assert processus.returncode == 0, lu.decode(errors="replace")
    assert ecrit and MOT_DE_PASSE.encode() not in lu
    assert noms_recus(boite) == attendus(campagne)


def test_an_autorite_that_holds_no_certificate_is_named_as_such(campagne, boite, capsys):
    (campagne / "campagne" / "certificats" / "ac-caf.pem").write_text("pas un certificat\n")
    for options in ((), ("--pour-de-vrai",)):
        assert envoyer(campagne, *options) == 2
        err = capsys.readouterr().err
        assert "ac-caf.pem" in err and "ne contient aucun certificat" in err
        assert "n'est pas reconnu" not in err
    assert boite.recus == [] and boite.rcpt_tentes == [] and journal(campagne) == []


@pytest.mark.parametrize(
    "abimer, ligne",
    [
        (lambda b: b"\xef\xbb\xbf" + b.decode().replace(",", ";").encode(), 1),  # a French spreadsheet
        (lambda b: b.replace(b"message_id\r\n", b"message_id,note\r\n", 1), 1),  # a column added
        (lambda b: b[:40] + b"\r\n", 1),  # the header cut
        (lambda b: b.replace(b"\r\n", b",vu\r\n", 3).replace(b",vu\r\n", b"\r\n", 2), 3),  # an extra cell
    ],
)
def test_a_damaged_journal_starts_nothing(campagne, boite, capsys, abimer, ligne):
    """Any damage but a cut last line: exit 2 before any connection, dry run included, the
    line named, the journal's bytes unchanged."""
    assert envoyer(campagne, "--pour-de-vrai", "--limite", "1") == 0
    chemin = campagne / "campagne" / "envois" / "journal.csv"
    abime = abimer(chemin.read_bytes())
    chemin.write_bytes(abime)
    capsys.readouterr()
    n = len(boite.rcpt_tentes)
    for options in ((), ("--pour-de-vrai",)):
        assert envoyer(campagne, *options) == 2
        err = capsys.readouterr().err
        assert f"la ligne {ligne} " in err and "Traceback" not in err
    assert len(boite.rcpt_tentes) == n and len(boite.recus) == 1
    assert chemin.read_bytes() == abime
