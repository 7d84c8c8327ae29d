"""The committee's sessions declared in `campagne.toml` (comite.md §1).

```toml
[[comite]]
date = 2027-01-20                     # the day the committee met
avis = "comite/avis-2027-01-20.xlsx"  # path under comite/ of the campagne folder
president = "Claire Martin"           # optional: who signs the minutes
membres = ["Claire Martin, présidente", "Paul Roux, CAF"]  # optional: the members present
quorum = 5                            # optional: members needed for the committee to sit
secretaire = "Dominique Bernard"      # optional: who keeps the minutes
```

A block that cannot be applied stops the run before anything is read or written: nothing
is decided on a half-declared session.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from campaign.erreurs import CampaignError

DOSSIER_COMITE = "comite"
EXEMPLE = 'avis = "comite/avis-2027-01-20.xlsx"'


@dataclass(frozen=True)
class Seance:
    """One `[[comite]]` block: a session of the committee and the file of its avis."""

    date: dt.date
    avis: str  # path under the campagne folder, always under comite/, with '/'
    president: str | None = None
    membres: tuple[str, ...] = ()
    quorum: int | None = None
    secretaire: str | None = None

    @property
    def jour(self) -> str:
        return self.date.isoformat()


def _erreur(chemin: Path, n: int, message: str) -> CampaignError:
    return CampaignError(f"{chemin} : dans le bloc [[comite]] n° {n}, {message}")


def _chemin_avis(chemin: Path, n: int, avis: object) -> str:
    if not isinstance(avis, str) or not avis.strip():
        raise _erreur(
            chemin,
            n,
            f"la clé « avis » doit être le chemin du fichier rendu par le "
            f"comité, entre guillemets, par exemple {EXEMPLE}.",
        )
    relatif = PurePosixPath(avis.strip().replace("\\", "/"))
    if (
        relatif.is_absolute()
        or ".." in relatif.parts
        or len(relatif.parts) < 2
        or relatif.parts[0] != DOSSIER_COMITE
    ):
        raise _erreur(
            chemin,
            n,
            f"le fichier « {avis} » doit se trouver dans le dossier "
            f"{DOSSIER_COMITE}/ de la campagne, par exemple {EXEMPLE}.",
        )
    if not (chemin.parent / relatif).is_file():
        raise _erreur(
            chemin,
            n,
            f"le fichier « {relatif} » est introuvable ; copiez le classeur "
            "rendu par le comité à cet endroit ou corrigez le chemin.",
        )
    return str(relatif)


SEANCES_ANNEES = 3  # a session at most in the third year after the campagne's first one
CLES = ("date", "avis", "president", "membres", "quorum", "secretaire")
MEMBRES_MAX = 100


def _composition(chemin: Path, n: int, bloc: dict) -> tuple[tuple[str, ...], int | None, str | None]:
    """membres, quorum and secretaire of a session: each optional, each checked."""
    membres = bloc.get("membres", [])
    if (
        not isinstance(membres, list)
        or len(membres) > MEMBRES_MAX
        or not all(isinstance(m, str) and m.strip() for m in membres)
    ):
        raise _erreur(
            chemin,
            n,
            "la clé « membres » doit être la liste des membres présents, chacun entre guillemets, "
            'par exemple membres = ["Claire Martin, présidente", "Paul Roux, Caf"], ou être retirée.',
        )
    quorum = bloc.get("quorum")
    if quorum is not None and (
        isinstance(quorum, bool) or not isinstance(quorum, int) or not 1 <= quorum <= MEMBRES_MAX
    ):
        raise _erreur(
            chemin,
            n,
            f"la clé « quorum » doit être un nombre de membres entre 1 et {MEMBRES_MAX}, "
            "sans guillemets, par exemple quorum = 5, ou être retirée.",
        )
    secretaire = bloc.get("secretaire")
    if secretaire is not None and (not isinstance(secretaire, str) or not secretaire.strip()):
        raise _erreur(
            chemin,
            n,
            "la clé « secretaire » doit être un nom entre guillemets, "
            'par exemple secretaire = "Dominique Bernard", ou être retirée.',
        )
    return tuple(m.strip() for m in membres), quorum, secretaire.strip() if secretaire else None


def seances(d: dict, chemin: Path, premiere_annee: int) -> tuple[Seance, ...]:
    """The `[[comite]]` blocks of a parsed campagne.toml, checked, in date order.

    A session before 1 January of the campagne's first year cannot have examined its dossiers
    (comite.md §5): it stops the run."""
    blocs = d.get("comite", [])
    if not isinstance(blocs, list) or not all(isinstance(b, dict) for b in blocs):
        raise CampaignError(
            f"{chemin} : « comite » doit être une suite de blocs [[comite]], "
            f"chacun avec date = 2027-01-20 et {EXEMPLE}."
        )
    trouvees: list[Seance] = []
    for n, bloc in enumerate(blocs, start=1):
        date = bloc.get("date")
        if not isinstance(date, dt.date) or isinstance(date, dt.datetime):
            raise _erreur(
                chemin,
                n,
                "la clé « date » doit être le jour de la séance, une date "
                "sans guillemets ni heure, par exemple date = 2027-01-20.",
            )
        if date < dt.date(premiere_annee, 1, 1):
            raise _erreur(
                chemin,
                n,
                f"la séance du {date.isoformat()} précède la campagne (elle commence en "
                f"{premiere_annee}) ; corrigez la date de la séance.",
            )
        if date.year > premiere_annee + SEANCES_ANNEES:  # a slip of the keyboard (9999-12-31)
            raise _erreur(
                chemin,
                n,
                f"la séance du {date.isoformat()} est bien après la campagne (elle finit en "
                f"{premiere_annee + 1}) ; corrigez la date de la séance.",
            )
        president = bloc.get("president")
        if president is not None and (not isinstance(president, str) or not president.strip()):
            raise _erreur(
                chemin,
                n,
                "la clé « president » doit être un nom entre guillemets, "
                'par exemple president = "Claire Martin", ou être retirée.',
            )
        inconnues = sorted(set(bloc) - set(CLES))
        if inconnues:
            raise _erreur(
                chemin,
                n,
                f"la clé « {inconnues[0]} » n'est pas attendue ; un bloc "
                f"[[comite]] n'a que {', '.join(CLES[:-1])} et {CLES[-1]}.",
            )
        seance = Seance(
            date,
            _chemin_avis(chemin, n, bloc.get("avis")),
            president.strip() if president else None,
            *_composition(chemin, n, bloc),
        )
        for autre in trouvees:
            if autre.date == seance.date:
                raise _erreur(
                    chemin,
                    n,
                    f"la séance du {seance.jour} est déjà déclarée ; une date ne peut figurer qu'une fois.",
                )
            if autre.avis.casefold() == seance.avis.casefold():
                raise _erreur(
                    chemin,
                    n,
                    f"le fichier « {seance.avis} » est déjà celui de la séance "
                    f"du {autre.jour} ; chaque séance a son propre fichier.",
                )
        trouvees.append(seance)
    return tuple(sorted(trouvees, key=lambda s: s.date))


def non_declares(racine: Path, seances: tuple[Seance, ...]) -> list[str]:
    """Files under comite/ that no [[comite]] block names (listed on the console, not used)."""
    dossier = racine / DOSSIER_COMITE
    if not dossier.is_dir():
        return []
    declares = {s.avis.casefold() for s in seances}
    chemins = (PurePosixPath(*f.relative_to(racine).parts) for f in dossier.rglob("*") if f.is_file())
    return sorted(
        str(c)
        for c in chemins  # hidden and lock files are not the committee's
        if not any(part.startswith((".", "~$")) for part in c.parts) and str(c).casefold() not in declares
    )
