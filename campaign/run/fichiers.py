"""A file written whole or not at all: its bytes go to a temporary file beside it, renamed over
it at the end (`os.replace`, atomic on POSIX); on any failure (a full disk, an interruption) the
temporary file is removed and the error raised as it came. Used for every file that a reader
may find half-written otherwise: the caches, the record of the last run, the post batches.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def ecrire_entier(chemin: Path, contenu: bytes, durable: bool = False) -> None:
    """Write `contenu` to `chemin` (its folder made if need be); `durable`: on the disk itself
    before the rename (fsync), for what must survive a power cut."""
    chemin.parent.mkdir(parents=True, exist_ok=True)
    fd, provisoire = tempfile.mkstemp(dir=chemin.parent, prefix=f".{chemin.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(contenu)
            if durable:
                f.flush()
                os.fsync(f.fileno())
        os.replace(provisoire, chemin)
    except BaseException:
        Path(provisoire).unlink(missing_ok=True)
        raise
