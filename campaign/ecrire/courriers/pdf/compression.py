"""The letters' PDF streams compressed at zlib's own default level, not at level 9.

pydyf, which writes WeasyPrint's PDFs, deflates every stream (page contents, fonts, object
streams) at zlib's slowest level, 9. Measured on the letters of 300 dossiers: level 6 makes
files 1.2 % larger (41.4 KB against 40.9 KB a letter) and takes a twentieth less of a cold
run's CPU. The streams hold the same bytes once inflated: the same text, the same pixels.

Within `niveau_par_defaut()`, pydyf's `zlib` is this module's `_Zlib`: zlib itself, but for
`compressobj`, whose level is `NIVEAU`. The same level is given whatever pydyf asks, so the
same letter still gives the same bytes in any process. pydyf is pinned; a version that no
longer calls `zlib.compressobj` makes the test of this module fail, not the letters.
"""

from __future__ import annotations

import contextlib
import zlib
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pydyf

NIVEAU = 6  # zlib's Z_DEFAULT_COMPRESSION level


class _Zlib(ModuleType):
    """zlib, with `compressobj` at `NIVEAU` whatever level is asked."""

    def __init__(self) -> None:
        super().__init__("zlib")

    def __getattr__(self, nom: str) -> Any:
        return getattr(zlib, nom)

    @staticmethod
    def compressobj(level: int = NIVEAU, *args: Any, **kwargs: Any) -> Any:
        return zlib.compressobj(NIVEAU, *args, **kwargs)


_ZLIB = _Zlib()


@contextlib.contextmanager
def niveau_par_defaut() -> Iterator[None]:
    """Within: the PDFs pydyf writes are deflated at `NIVEAU`; after, pydyf's as it was."""
    avant, pydyf.zlib = pydyf.zlib, _ZLIB
    try:
        yield
    finally:
        pydyf.zlib = avant
