"""The legal texts the rules come from and the letters cite (`decider/parametres/textes.yaml`).

Beside the layers, like `formulaire.py`: the rules name their text by id (`Regle.texte`)
and the writers print its title and date, both from this one file.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

FICHIER = Path(__file__).parent / "decider" / "parametres" / "textes.yaml"


@dataclass(frozen=True)
class TexteJuridique:
    """A text: its id, full title, short name (cited in a sentence), author, date, link."""

    id: str
    titre: str
    court: str
    auteur: str
    date: str  # a year or an ISO date, as the text is dated
    lien: str
    source: str
    confirme: bool

    @property
    def citation(self) -> str:
        """'référentiel national du CLAS de la Cnaf, 2021': the text named in a sentence."""
        return f"{self.court}, {self.date[:4]}"


@lru_cache(maxsize=1)
def textes() -> dict[str, TexteJuridique]:
    """Every text of the file, by id."""
    contenu = yaml.safe_load(FICHIER.read_text(encoding="utf-8")) or {}
    return {
        cle: TexteJuridique(
            cle,
            v["titre"],
            v["court"],
            v["auteur"],
            str(v["date"]),
            v.get("lien") or "",
            v["source"],
            bool(v["confirme"]),
        )
        for cle, v in contenu.items()
    }


def texte(cle: str) -> TexteJuridique:
    """The text `cle`; a rule naming an unknown text is a bug of its declaration."""
    try:
        return textes()[cle]
    except KeyError as exc:
        raise KeyError(f"texte juridique inconnu : {cle} (voir {FICHIER.name})") from exc
