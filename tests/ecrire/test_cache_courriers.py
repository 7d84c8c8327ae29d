"""The letters' cache never keeps half a letter: a write that fails leaves nothing behind."""

from __future__ import annotations

import resource
import subprocess
import sys

PROGRAMME = """
import sys
from pathlib import Path
from campaign.ecrire.cache_courriers import ecrire_atomique
try:
    ecrire_atomique(Path(sys.argv[1]) / "ab" / "abcd.pdf", bytes(100_000))
except OSError as exc:
    print(exc.errno)
"""


def test_a_full_disk_leaves_no_partial_letter(tmp_path):
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
