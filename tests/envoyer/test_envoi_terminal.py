"""The terminal never makes `campaign envoyer` fail (issue 23), least of all after sending:
characters it cannot show are replaced, a closed stdout ends nothing early; the exit code,
the journal and what the server received are those of a good terminal. In a process of its
own, as a user runs it."""

from __future__ import annotations

import os
import subprocess
import sys
from email import message_from_bytes
from email.policy import default
from pathlib import Path

import pytest
from serveur_smtp import ATTENTES, journal

from campaign.cli import main

pytestmark = pytest.mark.lent  # make test-rapide leaves it out

RACINE = Path(__file__).parents[2]
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


TERMINAUX = {
    "ascii": {"PYTHONIOENCODING": "ascii"},
    "cp1252": {"PYTHONIOENCODING": "cp1252"},
    "LANG=C": {"LANG": "C", "LC_ALL": "C", "PYTHONCOERCECLOCALE": "0", "PYTHONUTF8": "0"},
    "utf-8": {"PYTHONUTF8": "1"},
}


def _processus(base, options: tuple[str, ...], env: dict[str, str], ferme: bool):
    environnement = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "PYTHONIO"))}
    environnement.update(env)
    lecture, ecriture = os.pipe()
    if ferme:
        os.close(lecture)
    try:
        return subprocess.run(
            commande(base, *options),
            cwd=RACINE,
            stdout=ecriture if ferme else subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=environnement,
            timeout=300,
        )
    finally:
        os.close(ecriture)
        if not ferme:
            os.close(lecture)


@pytest.mark.parametrize("terminal", TERMINAUX)
@pytest.mark.parametrize("ferme", [False, True], ids=["lu", "stdout fermé"])
def test_l_envoi_pour_de_vrai_finit_avec_son_code(campagne_scriptee, scripte, terminal, ferme):
    if terminal in ("utf-8", "cp1252") and not ferme:
        pytest.skip("a terminal that shows every character of the summary, read to the end")
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
