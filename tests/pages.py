"""A letter's pages read as the person who turns them: no page that holds only a signature, a
closing paragraph, or a table's header and total (sorties.md §4).

Each page's text (pdftotext) is cut into words; a page after the first is an orphan when every
word of it belongs to what may only follow other content: the closing paragraphs and the
closing formula, the signatures (names, qualities, lines), the collectifs table's header and
total row, amounts, and the running footer.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from campaign.lire.campagne import Campagne

# the closing paragraphs of the templates (a letter's `.fin` block, the minutes' signatures)
FINS = (
    "Le recours gracieux interrompt le délai du recours contentieux, qui court de nouveau à "
    "compter de la réponse de la Caf ; le silence gardé pendant deux mois sur votre recours vaut "
    "décision de rejet.",
    "Je vous prie d’agréer, Madame, Monsieur, l’expression de mes salutations distinguées.",
    "se tient à votre disposition pour tout renseignement pour vous aider à compléter votre dossier.",
    "Pour que le comité puisse se prononcer, merci d’adresser à avant le les éléments qui "
    "répondent à son motif d’ajournement ;",
    "La présidence de séance Le secrétariat de séance Pour la Signature : Le président de séance",
    # the collectifs table: its header and its total row
    "Code Lieu d’accueil Commune Enfants Décision Prestation de service Bonus enfants Bonus "
    "parents Total Total du dossier",
    "prestation de service CLAS",  # the footer
)
MOIS = "janvier février mars avril mai juin juillet août septembre octobre novembre décembre"
MOT = re.compile(r"[^\W\d_]+(?:[’'][^\W\d_]+)*", re.UNICODE)


def _mots(texte: str) -> set[str]:
    return {m.casefold() for m in MOT.findall(texte.replace("'", "’"))}


def mots_de_fin(campagne: Campagne) -> set[str]:
    """The words a page may hold and still be an orphan, for this campagne's letters."""
    caf = campagne.caf
    noms = [caf["nom"], caf["signataire"]["nom"], caf["signataire"]["qualite"], caf["agent"]["nom"]]
    for seance in campagne.comites:
        noms += [seance.president or "", seance.secretaire or ""]
    return _mots(" ".join((*FINS, *noms, MOIS)))


def pages(pdf: Path) -> list[str]:
    texte = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    return [p for p in texte.split("\f") if p.strip()]


def pages_orphelines(pdf: Path, fin: set[str]) -> list[tuple[int, str]]:
    """(page number, its text) of each page after the first whose words are all of `fin`."""
    return [(n, page) for n, page in enumerate(pages(pdf), start=1) if n > 1 and _mots(page) <= fin]
