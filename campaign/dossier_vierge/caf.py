"""The Caf that sends the blank dossier, as the form states it: its name and the officer to
contact, the date to return the dossier by, the documents to attach and the notice on personal
data (campagne.toml `[caf]`). Data built above the writer (`caf_de`); without a campagne.toml,
`SANS_CAMPAGNE` says « votre Caf » and gives the shipped defaults."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from campaign.lire.campagne import DONNEES_PERSONNELLES, PIECES_JUSTIFICATIVES, Campagne


@dataclass(frozen=True)
class CafDuDossier:
    nom: str = ""  # "" : the form says « votre Caf »
    contact: str = ""  # the CLAS officer: name, quality, e-mail, telephone
    date_retour: dt.date | None = None  # None: « à la date indiquée par votre Caf »
    pieces: tuple[str, ...] = PIECES_JUSTIFICATIVES
    donnees_personnelles: str = DONNEES_PERSONNELLES

    @property
    def la_caf(self) -> str:
        """« la Caf de la Drôme », or « votre Caf » when the Caf is not known."""
        if not self.nom:
            return "votre Caf"
        return self.nom if self.nom.lower().startswith(("la ", "le ", "l'", "l’")) else f"la {self.nom}"


SANS_CAMPAGNE = CafDuDossier()


def caf_de(campagne: Campagne) -> CafDuDossier:
    """The blank dossier's view of a campagne's `[caf]` table."""
    caf = campagne.caf
    agent = caf["agent"]
    telephone = agent["telephone"].strip().replace(" ", "\u00a0")  # the number on one line
    parties = (agent["nom"], agent["qualite"], agent["courriel"], telephone)
    contact = ", ".join(x.strip() for x in parties if x.strip())
    return CafDuDossier(
        nom=caf["nom"].strip(),
        contact=contact,
        date_retour=caf["date_retour_dossier"],
        pieces=caf["pieces_justificatives"],
        donnees_personnelles=caf["donnees_personnelles"],
    )
