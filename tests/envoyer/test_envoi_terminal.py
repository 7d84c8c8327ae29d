"""The terminal never makes `campaign envoyer` fail (issue 23), least of all after sending:
characters it cannot show are replaced, a closed stdout ends nothing early; the exit code,
the journal and what the server received are those of a good terminal. In a process of its
own, as a user runs it."""

from __future__ import annotations

import sys
from email import message_from_bytes
from email.policy import default
from pathlib import Path

import pytest
from serveur_smtp import ATTENTES, journal
from terminal import TERMINAUX as TERMINAL
from terminal import campaign

from campaign.cli import main

pytestmark = pytest.mark.lent  # make test-rapide leaves it out

COURRIELS = 3  # letters of the scripted campagne that leave by e-mail


def commande(base: Path, *options: str) -> list[str]:
    dossiers = ["envoyer", str(base / "campagne"), "--out", str(base / "sortie"), "--attentes", ATTENTES]
    return [sys.executable, "-m", "campaign", *dossiers, *options]


def pieces(scripte) -> list[str]:
    """The attachments' names of every message the server holds."""
    return [
        next(message_from_bytes(o, policy=default).iter_attachments()).get_filename()  # type: ignore[attr-defined]
        for o in scripte.recus
    ]


TERMINAUX = {nom: TERMINAL[nom][0] for nom in ("ascii", "cp1252", "LANG=C", "utf-8")}
# a terminal that shows every character of the summary, read to the end, has nothing to prove
CAS = [(t, f) for t in TERMINAUX for f in (False, True) if f or t in ("ascii", "LANG=C")]


def _processus(base, options: tuple[str, ...], env: dict[str, str], ferme: bool):
    return campaign(commande(base, *options)[3:], env, ferme)


@pytest.mark.parametrize(("terminal", "ferme"), CAS, ids=[f"{t}-{'fermé' if f else 'lu'}" for t, f in CAS])
def test_l_envoi_pour_de_vrai_finit_avec_son_code(campagne_scriptee, scripte, terminal, ferme):
    p = _processus(campagne_scriptee, ("--pour-de-vrai",), TERMINAUX[terminal], ferme)
    erreurs = p.stderr.decode("utf-8", "replace")
    assert p.returncode == 0, erreurs
    assert "Erreur" not in erreurs and "Traceback" not in erreurs
    assert len(scripte.recus) == COURRIELS and len(set(pieces(scripte))) == COURRIELS
    envoyes = [r for r in journal(campagne_scriptee) if r["resultat"] == "ENVOYE"]
    assert len(envoyes) == COURRIELS
    if not ferme:
        assert b"Envoy" in p.stdout  # « Envoyés », the é replaced where it cannot be shown
        assert (b"Envoy?s" in p.stdout) == (terminal in ("ascii", "LANG=C"))


@pytest.mark.parametrize("terminal", ["ascii", "utf-8"])
def test_l_essai_finit_avec_son_code_et_ses_apercus(campagne_scriptee, scripte, capsys, terminal):
    attendu = main(commande(campagne_scriptee)[3:])  # the same dry run, in this process
    capsys.readouterr()
    apercus = sorted(p.name for p in (campagne_scriptee / "sortie" / "envoi" / "apercu").iterdir())
    p = _processus(campagne_scriptee, (), TERMINAUX[terminal], True)
    assert p.returncode == attendu and p.stderr == b""
    assert sorted(p.name for p in (campagne_scriptee / "sortie" / "envoi" / "apercu").iterdir()) == apercus
    assert scripte.recus == []
