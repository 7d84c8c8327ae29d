"""What the analyst reads: a progress line while sending, then a summary of every letter's
fate, in French, with what to do next."""

from __future__ import annotations

import math
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from campaign.envoyer.poste import APoster
from campaign.envoyer.publipostage import Courrier
from campaign.envoyer.repartition import Repartition
from campaign.run.console import lisible
from campaign.run.progression import Progression

RAISONS_POSTE = {
    "SANS-COURRIEL": ("sans courriel", "sans courriel"),
    "COURRIEL-INUTILISABLE": ("courriel inutilisable", "courriels inutilisables"),
    "REFUSE": ("refusé par le serveur", "refusés par le serveur"),
}


def _accord(n: int, formes: tuple[str, str]) -> str:
    return f"{n} {formes[n > 1]}"


@dataclass
class Bilan:
    repartition: Repartition
    pour_de_vrai: bool
    envoyes: list[Courrier] = field(default_factory=list)  # or, in a dry run, that would be
    refuses: list[tuple[Courrier, str]] = field(default_factory=list)
    echecs: list[tuple[Courrier, str]] = field(default_factory=list)
    incertains: list[tuple[Courrier, str]] = field(default_factory=list)  # handed, no answer: held
    pdf_modifies: list[Courrier] = field(default_factory=list)
    postes: list[APoster] = field(default_factory=list)
    fichier_poste: Path | None = None
    apercu: Path | None = None
    limite_atteinte: bool = False
    arret: str = ""  # why the sending stopped early
    cadence: int = 0  # messages a minute, for the dry run's estimate

    @property
    def code(self) -> int:
        r = self.repartition
        ennuis = (self.refuses, self.echecs, self.incertains, self.pdf_modifies, r.retenus, self.arret)
        return 1 if any(ennuis) else 0


class Avancement:
    """`Envoi ━━━━━━━━━━ 12/60 0:00:26 28 par minute — 1 échec` on a terminal
    (`campaign.run.progression`), nothing elsewhere."""

    def __init__(self, total: int, flux: TextIO | None = None):
        self.total, self.fait, self.echecs = total, 0, 0
        self.debut = time.monotonic()
        self.progression = Progression("Envoi", total, flux).__enter__()
        self.actif = self.progression.actif

    def avancer(self, echec: bool = False) -> None:
        self.fait += 1
        self.echecs += echec
        minutes = max(time.monotonic() - self.debut, 1e-6) / 60
        self.progression.avancer(
            detail=f"{self.fait / minutes:.0f} par minute — {self.echecs} "
            f"échec{'s' if self.echecs > 1 else ''}"
        )

    def finir(self) -> None:
        self.progression.__exit__(None, None, None)


def _liste(titre: str, lignes: list[str], ecrire) -> None:
    ecrire(f"{titre} : {len(lignes)}")
    for ligne in lignes[:20]:
        ecrire(f"  - {ligne}")
    if len(lignes) > 20:
        ecrire(f"  … et {len(lignes) - 20} autres")


def _nom(c: Courrier) -> str:
    return f"{c.fichier} ({c.courrier})"


def afficher(b: Bilan, annee: str, commande: str, flux: TextIO | None = None) -> None:
    flux = flux or sys.stdout

    def ecrire(texte: str = "") -> None:  # operators' file names, a server's reply: escaped
        print(lisible(texte), file=flux)

    r = b.repartition
    ecrire(f"Envoi des courriers {annee}" + ("" if b.pour_de_vrai else " — ESSAI : rien n'est envoyé"))
    ecrire(f"Courriers pouvant partir : {len(r.envoyables)} ; déjà partis : {len(r.deja_partis)}")
    verbe = "Envoyés" if b.pour_de_vrai else "À envoyer maintenant"
    ecrire(
        f"{verbe} par courriel : {len(b.envoyes)}"
        + (f" (aperçus des messages : {b.apercu})" if b.apercu and b.envoyes else "")
    )
    if not b.pour_de_vrai and b.cadence and len(b.envoyes) > b.cadence:
        minutes = math.ceil(len(b.envoyes) / b.cadence)
        ecrire(
            f"Durée de l'envoi à la cadence de {b.cadence} messages par minute : environ {minutes} minutes."
        )
    if b.limite_atteinte:
        ecrire("Limite --limite atteinte : les autres courriers partiront à la prochaine commande.")
    retenus = [*r.retenus, *b.incertains]
    if retenus:
        _liste(
            "Retenus (partent seulement avec --renvoyer-modifies)",
            [f"{_nom(c)} : {pourquoi}" for c, pourquoi in retenus],
            ecrire,
        )
    if b.pdf_modifies:
        _liste(
            "PDF modifiés depuis le dernier run, non envoyés (relancez make campaign)",
            [_nom(c) for c in b.pdf_modifies],
            ecrire,
        )
    if b.refuses:
        _liste(
            "Refusés par le serveur (partent par la poste)",
            [f"{_nom(c)} : {t}" for c, t in b.refuses],
            ecrire,
        )
    if b.echecs:
        _liste(
            "En échec temporaire (relancez la commande plus tard)",
            [f"{_nom(c)} : {t}" for c, t in b.echecs],
            ecrire,
        )
    raisons = Counter(a.raison for a in b.postes)
    detail = ", ".join(
        _accord(n, RAISONS_POSTE.get(raison, (raison, raison))) for raison, n in sorted(raisons.items())
    )
    ecrire(
        f"Par la poste : {len(b.postes)}"
        + (f" ({detail})" if detail else "")
        + (
            f" — {'à imprimer' if b.pour_de_vrai else 'aperçu'} : {b.fichier_poste}"
            if b.fichier_poste
            else ""
        )
    )
    projets = sum(c.nature == "PROPOSITION" for c in r.non_envoyables)
    autres = len(r.non_envoyables) - projets
    detail = ", ".join(
        x
        for x in (
            _accord(projets, ("projet de décision", "projets de décision")) if projets else "",
            _accord(
                autres,
                (
                    "calculé avec un paramètre national non confirmé",
                    "calculés avec un paramètre national non confirmé",
                ),
            )
            if autres
            else "",
        )
        if x
    )
    ecrire(f"Non envoyables : {len(r.non_envoyables)}" + (f" ({detail})" if detail else ""))
    if b.arret:
        ecrire(f"Envoi arrêté : {b.arret}")
    if not b.pour_de_vrai and (b.envoyes or b.postes):
        ecrire(f"Pour envoyer pour de vrai : {commande} --pour-de-vrai (ou make envoi ENVOI=oui).")
