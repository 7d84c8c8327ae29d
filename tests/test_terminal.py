"""The terminal never makes `campaign run` fail (issue 23): characters it cannot show are
replaced (`PYTHONIOENCODING=ascii`, cp1252, latin-1, the C locale), and a reader that left (a
closed stdout: `| head`) ends nothing early; the exit code and the outputs are those of a run
on a good terminal. Each case in a process of its own, as a user runs it."""

from __future__ import annotations

import pytest
from ensembles import complet
from terminal import TERMINAUX as TERMINAL
from terminal import campaign

pytestmark = pytest.mark.lent  # make test-rapide leaves it out

TERMINAUX = {nom: t for nom, t in TERMINAL.items() if nom != "utf-8"}  # those that cannot show all


@pytest.mark.parametrize("terminal", TERMINAUX)
@pytest.mark.parametrize("ferme", [False, True], ids=["lu", "stdout fermé"])
def test_run_finit_avec_son_code_et_ses_sorties(campagne, tmp_path, terminal, ferme):
    out = tmp_path / "sortie"
    env, codage = TERMINAUX[terminal]
    p = campaign(["run", str(campagne), "--out", str(out), "--sans-courriers"], env, ferme)
    erreurs = p.stderr.decode("utf-8", "replace")
    assert p.returncode == 1, erreurs  # some example dossiers are INCOMPLET: 1, as on any terminal
    assert "Erreur" not in erreurs and "Traceback" not in erreurs
    assert complet(out)
    if not ferme:
        resume = p.stdout.decode(codage)  # only what the terminal can show
        assert "Campagne 2026-2027" in resume and "sultats" in resume and "?" in resume


def test_un_lecteur_parti_sur_un_terminal_utf8(campagne, tmp_path):
    """`campaign run … | head` on a good terminal: quiet, exit 1 as without `head`."""
    out = tmp_path / "sortie"
    p = campaign(["run", str(campagne), "--out", str(out), "--sans-courriers"], {"PYTHONUTF8": "1"}, True)
    assert p.returncode == 1 and p.stderr == b""
    assert complet(out)
