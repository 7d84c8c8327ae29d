"""The readers of a campagne's dossiers: started first, collected when the run needs them.

`campaign run` starts them before it loads its own libraries (pandas, pandera, XlsxWriter: half
a second), which load while the dossiers are read. A large folder (`SEUIL_PARALLELE`) is read
by the run's worker processes (`atelier`), in batches of `LOT` files, each batch's readings
kept in one pack (`memoire`); the files read before are taken from it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from types import TracebackType

from campaign.lire.campagne import Campagne
from campaign.lire.entrees import fichiers_du_dossier
from campaign.lire.lecture import Lecture
from campaign.run.atelier import Atelier
from campaign.run.memoire import Memoire
from campaign.run.progression import Progression

INVENTAIRE_DEMO = ".campaign-demo"  # the list of the files `campaign demo` wrote: no dossier
SEUIL_PARALLELE = 150  # below, starting a second process costs more than it saves
LOT = 16  # files read by a process at a time


class Lecteurs:
    """Every file of the folder, in name order, being read; `exclus`: names that are not
    dossiers (the Caf's templates folder; the demo's inventory is never one); with a `cache`,
    only the files not read before; read by the run's `atelier`, or by workers of their own.
    Used as a context manager: their own workers end with it, whatever happens."""

    def __init__(
        self,
        dossier: Path,
        processus: int = 2,
        exclus: tuple[str, ...] = (),
        cache: Path | None = None,
        atelier: Atelier | None = None,
    ):
        self.memoire = Memoire(cache)
        chemins = fichiers_du_dossier(dossier, (*exclus, INVENTAIRE_DEMO))
        self.gardees = {c: self.memoire.reprendre(c) for c in chemins}
        self.chemins = [c for c, lecture in self.gardees.items() if lecture is None]
        lots = [self.chemins[i : i + LOT] for i in range(0, len(self.chemins), LOT)]
        self._propre = atelier is None  # workers of their own, ended with the reading
        self.atelier = atelier or Atelier(processus)
        self._lots: Iterator[list[Lecture]]
        if self.atelier.parallele and len(self.chemins) >= SEUIL_PARALLELE:
            self._lots = self.atelier.map(self.memoire.lire, lots)  # every batch handed out now
        else:
            self._lots = map(self.memoire.lire, lots)  # read here, when collected

    def lectures(self) -> list[Lecture]:
        """The readings, in the folder's order, once all are done (progress shown meanwhile)."""
        lues: list[Lecture] = []
        with Progression("Lecture des dossiers", len(self.chemins)) as progression:
            for lot in self._lots:
                lues.extend(lot)
                progression.avancer(len(lot))
        self.arreter()
        self.memoire.ranger()
        par_chemin = dict(zip(self.chemins, lues))
        return [gardee or par_chemin[c] for c, gardee in self.gardees.items()]

    def arreter(self) -> None:
        """End their own workers (the batches not begun are dropped); the run's stay."""
        if self._propre:
            self.atelier.fermer()

    def __enter__(self) -> Lecteurs:
        return self

    def __exit__(
        self, type_: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.arreter()


def non_dossiers(campagne: Campagne, dossier: Path) -> tuple[str, ...]:
    """What the campagne folder holds that is not a dossier: the Caf's templates folder and
    last year's outputs ([historique]), when kept there (the entry itself may be a link: its
    name is what counts, not where it leads)."""
    ici = dossier.resolve()
    gardes = (campagne.gabarits, campagne.historique)
    return tuple(p.name for p in gardes if p is not None and p.absolute().parent.resolve() == ici)


def lecteurs_de_la_campagne(campagne: Campagne, dossier: Path, sortie: Path, atelier: Atelier) -> Lecteurs:
    """The readers of `campaign run`, in its `atelier`: what is not a dossier left out
    (`non_dossiers`), the readings kept beside the letters' cache."""
    cache = sortie.parent / ".cache" / "lectures"
    return Lecteurs(dossier, exclus=non_dossiers(campagne, dossier), cache=cache, atelier=atelier)
