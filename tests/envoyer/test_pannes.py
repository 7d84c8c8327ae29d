"""campaign envoyer against a server that misbehaves as real ones do (envoi.md §6), scripted on
127.0.0.1: for each fault, what the server holds (never twice), the journal's rows, the exit
code and the sentence. Bounds are shortened with the hidden --delais (answer, message)."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
from email import message_from_bytes
from email.policy import default
from pathlib import Path

import pytest
from serveur_scripte import Script
from serveur_smtp import ATTENTES, journal

from campaign.cli import main

pytestmark = pytest.mark.lent  # make test-rapide leaves it out

RACINE = Path(__file__).parents[2]
COURRIELS = 3  # letters of the scripted campagne that leave by e-mail
DELAIS = "2,60"


def commande(base: Path, *options: str, delais: str = DELAIS) -> list[str]:
    return [
        sys.executable,
        "-m",
        "campaign",
        "envoyer",
        str(base / "campagne"),
        "--out",
        str(base / "sortie"),
        "--attentes",
        ATTENTES,
        "--delais",
        delais,
        *options,
    ]


def processus(base: Path, avant=None) -> subprocess.CompletedProcess:
    """`envoyer --pour-de-vrai` in a process of its own (`avant`: run in it before it starts),
    so that a hang is seen as one; the bound is the test's, no measure of speed."""
    return subprocess.run(
        commande(base, "--pour-de-vrai"),
        cwd=RACINE,
        capture_output=True,
        text=True,
        timeout=300,
        env=os.environ.copy(),
        preexec_fn=avant,
    )


def envoyer(base: Path, *options: str, delais: str = DELAIS) -> int:
    """The same command, in this process."""
    return main(commande(base, *options, delais=delais)[3:])


def pieces(scripte) -> list[str]:
    """The attachments' names of every message the server holds, in order of arrival."""
    noms = []
    for octets in scripte.recus:
        m = message_from_bytes(octets, policy=default)
        noms.append(next(m.iter_attachments()).get_filename())  # type: ignore[attr-defined]
    return noms


def derniers(base: Path) -> dict[str, str]:
    """Each letter's last row in the journal, POSTE aside."""
    return {r["courrier"]: r["resultat"] for r in journal(base) if r["resultat"] != "POSTE"}


@pytest.mark.parametrize(
    "faute, phrase",
    [
        ("couper", "connexion fermée par le serveur"),
        ("silence", "pas de réponse complète du serveur en 2 s"),
        ("bizarre", "sans réponse valable"),
    ],
)
def test_after_the_data_a_failure_is_held_never_retried(campagne_scriptee, scripte, capsys, faute, phrase):
    base = campagne_scriptee
    scripte.script = Script(apres_donnees=faute, au_message=2)
    assert envoyer(base, "--pour-de-vrai") == 1
    sortie = capsys.readouterr().out
    assert len(scripte.recus) == 2  # the server holds one copy of the second letter, no more
    suspendu = pieces(scripte)[1]
    assert derniers(base) == {
        f"courriers/{pieces(scripte)[0]}": "ENVOYE",
        f"courriers/{suspendu}": "TENTATIVE",
    }
    assert "remis au serveur sans réponse" in sortie and phrase in sortie and suspendu in sortie
    assert "Envoi arrêté" in sortie

    scripte.script = Script()
    assert envoyer(base, "--pour-de-vrai") == 1  # held; the others leave
    sortie = capsys.readouterr().out
    assert "Retenus" in sortie and "remis au serveur sans réponse" in sortie and suspendu in sortie
    assert len(scripte.recus) == COURRIELS and len(set(pieces(scripte))) == COURRIELS
    assert derniers(base)[f"courriers/{suspendu}"] == "TENTATIVE"

    assert envoyer(base, "--pour-de-vrai", "--renvoyer-modifies") == 0  # a person checked: once
    assert pieces(scripte).count(suspendu) == 2 and len(scripte.recus) == COURRIELS + 1
    assert envoyer(base, "--pour-de-vrai", "--renvoyer-modifies") == 0
    assert len(scripte.recus) == COURRIELS + 1


def test_421_to_ehlo_is_a_busy_server_not_a_missing_starttls(campagne_scriptee, scripte, capsys):
    scripte.script = Script(ehlo_421=True)
    assert envoyer(campagne_scriptee, "--pour-de-vrai") == 2
    err = capsys.readouterr().err
    assert "saturé" in err and "421" in err and "STARTTLS" not in err and "rien n'a été envoyé" in err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert scripte.recus == [] and journal(campagne_scriptee) == []


@pytest.mark.parametrize(
    "cadence, phrase", [(0.001, "plus de 100 lignes"), (0.3, "pas de réponse complète du serveur en 2 s")]
)
def test_endless_continuation_lines_end_within_the_bounds(campagne_scriptee, scripte, cadence, phrase):
    """Fast: the 100 lines' bound; slow: the answer's. Run as a process, so that a hang
    would be seen as one (the test's own bound is no measure of speed)."""
    scripte.script = Script(salut_sans_fin=cadence)
    fini = processus(campagne_scriptee)
    assert fini.returncode == 2, fini.stderr
    assert phrase in fini.stderr and "injoignable" in fini.stderr and "Traceback" not in fini.stderr
    assert scripte.recus == [] and journal(campagne_scriptee) == []


def test_auth_refused_on_reconnection_is_exit_1_with_the_summary(campagne_scriptee, scripte, capsys):
    """One letter went; the server closes, then refuses the login: what went is said (exit 1)."""
    scripte.script = Script(fermer_apres=1, auth_refusee_des=2)
    assert envoyer(campagne_scriptee, "--pour-de-vrai") == 1
    sortie = capsys.readouterr()
    assert "Envoyés par courriel : 1" in sortie.out
    assert "Envoi arrêté" in sortie.out and "refuse l'identifiant" in sortie.out
    assert sortie.err == ""
    assert len(scripte.recus) == 1
    assert sorted(derniers(campagne_scriptee).values()) == ["ECHEC-TEMPORAIRE", "ENVOYE"]

    scripte.script = Script()
    assert envoyer(campagne_scriptee, "--pour-de-vrai") == 0  # later: the rest, never the first again
    assert len(scripte.recus) == COURRIELS and len(set(pieces(scripte))) == COURRIELS


def test_a_slow_server_within_the_bounds_gets_every_letter(campagne_scriptee, scripte):
    scripte.script = Script(lenteur=0.2)
    assert envoyer(campagne_scriptee, "--pour-de-vrai", delais="30,120") == 0
    assert len(scripte.recus) == COURRIELS and len(set(pieces(scripte))) == COURRIELS


def test_a_message_longer_than_its_bound_is_a_temporary_failure(campagne_scriptee, scripte, capsys):
    """Each answer in time, the whole exchange not: cut before the end of the data, retried,
    then the sending stops; nothing is held, nothing reached the server."""
    scripte.script = Script(lenteur_message=1.5)  # MAIL, RCPT, DATA: 4.5 s before the data
    assert envoyer(campagne_scriptee, "--pour-de-vrai", delais="30,3") == 1
    sortie = capsys.readouterr().out
    assert "échange de plus de 3 s pour un seul message" in sortie and "ne répond plus" in sortie
    assert scripte.recus == []
    assert "TENTATIVE" not in derniers(campagne_scriptee).values()


@pytest.mark.parametrize("limite", [900, 1200, 1500, 2000])
def test_a_full_disk_under_the_journal_names_the_campagne_folder(campagne_scriptee, scripte, limite):
    """The journal cannot grow past `limite` bytes (its first rows): the sending stops at
    once, the sentence names the campagne folder's disk (not --out). Whichever row could not
    be written, a letter was handed over only after its TENTATIVE row was on disk, and the
    rerun never sends a letter twice."""

    def petit_disque():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limite, limite))

    fini = processus(campagne_scriptee, petit_disque)
    sorties = fini.stdout + fini.stderr
    assert f"disque du dossier de campagne {campagne_scriptee / 'campagne'} est plein" in sorties
    assert "--out n'y change rien" in sorties and "Traceback" not in sorties
    avant = derniers(campagne_scriptee)  # the journal reads strictly: no half row of ours left
    assert fini.returncode == (1 if avant else 2), sorties
    assert sorted(pieces(scripte)) == sorted(c.removeprefix("courriers/") for c in avant)

    tenues = [c for c, r in avant.items() if r == "TENTATIVE"]
    assert envoyer(campagne_scriptee, "--pour-de-vrai") == (1 if tenues else 0)
    assert len(scripte.recus) == COURRIELS and len(set(pieces(scripte))) == COURRIELS
