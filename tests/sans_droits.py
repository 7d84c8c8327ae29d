"""A child process without root's rights, for the permission tests: root reads and writes
everywhere (CI runs as root), so there the child runs as `nobody` (setpriv), in a folder
it can reach; as any other user, it runs as that user."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

RACINE = Path(__file__).parents[1]
NOBODY = 65534


@contextmanager
def dossier_atteignable() -> Iterator[Path]:
    """A fresh folder that the child can traverse and read (pytest's are root's alone)."""
    dossier = Path(tempfile.mkdtemp(prefix="campaign-droits-"))
    dossier.chmod(0o755)
    try:
        yield dossier
    finally:
        for racine, noms, _ in os.walk(dossier):
            for nom in noms:
                (Path(racine) / nom).chmod(0o755)
        shutil.rmtree(dossier)


def sans_privilege(arguments: list[str]) -> subprocess.CompletedProcess:
    """Run `python arguments…` as an unprivileged user; its exit code, stdout and stderr."""
    commande = [sys.executable, *arguments]
    if os.geteuid() == 0:
        if shutil.which("setpriv") is None:
            raise RuntimeError("setpriv (util-linux) is needed to run the permission tests as root")
        commande = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", *commande]
    return subprocess.run(
        commande,
        capture_output=True,
        text=True,
        cwd=RACINE,
        env={**os.environ, "PYTHONPATH": str(RACINE), "HOME": "/nonexistent"},
        timeout=120,
    )
