"""WeasyPrint copies the letters' fonts into a temporary folder per renderer; every process that
makes letters (the run, its workers, a test session) removes its own when it ends, so that a
season of runs does not fill the temporary folder."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

PROGRAMME = textwrap.dedent(
    """
    import tempfile
    from pathlib import Path
    from campaign.run.atelier import Atelier
    from campaign.ecrire.courriers.pdf import rendu as rendu_pdf
    from campaign.ecrire.gabarits import dossiers_gabarits

    dossiers = dossiers_gabarits()
    with Atelier(2) as atelier:  # two workers make letters, then end with the run
        list(atelier.map(rendu_pdf.echauffer, [dossiers, dossiers]))
    rendu_pdf.echauffer(dossiers)  # and the main process itself
    print(len(list(Path(tempfile.gettempdir()).glob("weasyprint-*"))))
    """
)


def test_no_font_folder_left_after_the_processes_end(tmp_path):
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    fini = subprocess.run(
        [sys.executable, "-c", PROGRAMME], env=env, capture_output=True, text=True, timeout=300, check=True
    )
    pendant = int(fini.stdout.split()[-1])
    assert pendant >= 1  # the main process's folder at least, while it lived: the test can fail
    assert sorted(p.name for p in tmp_path.glob("weasyprint-*")) == []
