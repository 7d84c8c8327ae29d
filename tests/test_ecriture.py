"""A file written whole or not at all (the caches, the record of the last run, the post batches):
a write that fails leaves nothing behind, not even its temporary file."""

from __future__ import annotations

import resource
import subprocess
import sys

from campaign.run.fichiers import ecrire_entier

PROGRAMME = """
import sys
from pathlib import Path
from campaign.run.fichiers import ecrire_entier
try:
    ecrire_entier(Path(sys.argv[1]) / "ab" / "abcd.pdf", bytes(100_000), durable=True)
except OSError as exc:
    print(exc.errno)
"""


def test_a_full_disk_leaves_no_partial_file(tmp_path):
    def limiter() -> None:  # every file beyond 4 kB fails, as on a full disk
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))

    fait = subprocess.run(
        [sys.executable, "-c", PROGRAMME, str(tmp_path)],
        capture_output=True,
        text=True,
        preexec_fn=limiter,
        timeout=60,
        check=True,
    )
    assert fait.stdout.strip() == "27"  # EFBIG: the write did fail
    assert [p.name for p in (tmp_path / "ab").iterdir()] == []


def test_the_file_is_replaced_whole(tmp_path):
    chemin = tmp_path / "a" / "b.json"
    ecrire_entier(chemin, b"avant")
    ecrire_entier(chemin, b"apres")
    assert chemin.read_bytes() == b"apres" and [p.name for p in chemin.parent.iterdir()] == ["b.json"]
