"""The demo's inventory: the list of the files `campaign demo` wrote in its folder.

`campaign demo` writes only into an empty folder or one it wrote. It keeps, in the folder,
the file `INVENTAIRE` (JSON: each file it wrote, by its path relative to the folder, with its
sha256). Before writing, everything in the folder must be in that list, with the bytes it
wrote: a dossier dropped there, a campagne.toml edited by hand, the journal of a sending
(envois/) are not the demo's, and the folder is then left as it is (exit 2, naming them).

The list is written before the files, with no sha256 for the files about to be written (a
demo interrupted half-way wrote them: a rerun may replace them), then again with every
file's sha256 once all are written.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from campaign import formats
from campaign.erreurs import CampaignError
from campaign.run.lecteurs import INVENTAIRE_DEMO

INVENTAIRE = INVENTAIRE_DEMO  # hidden, and the run does not list it among the dossiers
NOMMES_MAX = 5  # strangers named in the sentence; the others counted


def _sha256(chemin: Path) -> str:
    return hashlib.sha256(chemin.read_bytes()).hexdigest()


def _liste(out: Path) -> dict[str, str | None]:
    """The files the demo wrote in `out`, from its inventory; {} when there is none."""
    chemin = out / INVENTAIRE
    if not chemin.is_file() or chemin.is_symlink():
        return {}
    try:
        donnees = json.loads(chemin.read_text(encoding="utf-8"))
        fichiers = donnees["fichiers"]
        if isinstance(fichiers, dict) and all(  # paths inside the folder, never beyond it
            isinstance(k, str)
            and (v is None or isinstance(v, str))
            and k
            and not Path(k).is_absolute()
            and ".." not in Path(k).parts
            for k, v in fichiers.items()
        ):
            return fichiers
    except (OSError, ValueError, KeyError, TypeError):
        pass
    return {}


def etrangers(out: Path) -> list[str]:
    """What is in `out` that the demo did not write, or changed since: paths relative to it."""
    ecrits = _liste(out)
    dossiers = {p for c in ecrits for p in Path(c).parents}  # an empty comite/ is the demo's
    trouves: list[str] = []
    for racine, sous, noms in os.walk(out):  # links are listed, never followed
        relatif = Path(racine).relative_to(out)
        for nom in sorted(sous):
            if os.path.islink(os.path.join(racine, nom)):
                trouves.append((relatif / nom).as_posix())
        for nom in sorted(noms):
            chemin = (relatif / nom).as_posix()
            if chemin == INVENTAIRE and ecrits:
                continue
            if chemin not in ecrits or os.path.islink(os.path.join(racine, nom)):
                trouves.append(chemin)
            elif ecrits[chemin] is not None and ecrits[chemin] != _sha256(out / chemin):
                trouves.append(f"{chemin} (modifié depuis la démonstration)")
        vides = [n for n in sous if not os.listdir(os.path.join(racine, n))]
        trouves.extend((relatif / n).as_posix() + "/" for n in sorted(vides) if (relatif / n) not in dossiers)
    return sorted(trouves)


def verifier(out: Path) -> None:
    """CampaignError (nothing touched) unless `out` holds only what the demo wrote there."""
    trouves = etrangers(out)
    if not trouves:
        return
    noms = formats.quelques_noms(trouves, NOMMES_MAX)
    raise CampaignError(
        f"Le dossier {out} n'est pas vide et contient ce que la démonstration n'y a pas écrit : "
        f"{noms} ; choisissez un dossier vide (ou déplacez ces fichiers), rien n'a été "
        "écrit ni supprimé."
    )


def ecrire(out: Path, fichiers: dict[str, str | None]) -> None:
    """The inventory of `out`: each path written (or about to be) with its sha256 (or None)."""
    texte = json.dumps({"fichiers": dict(sorted(fichiers.items()))}, ensure_ascii=False, indent=1)
    (out / INVENTAIRE).write_text(texte + "\n", encoding="utf-8")


def ecrits(out: Path) -> dict[str, str | None]:
    """The files the inventory lists (the previous demo's, before a rerun)."""
    return _liste(out)


def sceller(out: Path, chemins: list[str]) -> None:
    """The inventory once `chemins` are written: each with its sha256, beside those listed."""
    ecrire(out, {**_liste(out), **{c: _sha256(out / c) for c in chemins}})


def annoncer(out: Path, chemins: list[str]) -> None:
    """Before writing `chemins`: listed without sha256 (a demo interrupted wrote them)."""
    ecrire(out, {**_liste(out), **dict.fromkeys(chemins)})
