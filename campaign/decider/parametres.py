"""National parameters by date (referentiel.md §2), read from `parametres/*.yaml`.

No number of the référentiel is written in Python: a later campagne is added by adding
dated values to the YAML files. A value missing for the campagne's date stops the run.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import yaml

from campaign.erreurs import CampaignError

DOSSIER = Path(__file__).parent / "parametres"
FICHIER_TEXTES = "textes.yaml"
ATTENDUS = (
    "taux_ps",
    "plafond_ps",
    "bonus_enfants",
    "bonus_parents",
    "effectif_min",
    "effectif_max",
    "effectif_min_derogatoire",
    "intervenants_min",
    "intervenants_min_rural",
    "seances_min",
    "duree_seance_min",
    "seances_min_rural",
    "duree_seance_min_rural",
    "semaines_min",
    "diplome_coordinateur_min",
    "experience_coordinateur_min",
)


@dataclass(frozen=True)
class Parametre:
    nom: str
    libelle: str
    unite: str
    valeur: str  # as written in the file
    depuis: dt.date
    source: str
    confirme: bool
    fichier: str

    @property
    def decimal(self) -> Decimal:
        return Decimal(self.valeur)

    @property
    def centimes(self) -> int:
        """An amount in euros as integer cents."""
        return int(self.decimal * 100)

    @property
    def fraction(self) -> Fraction:
        return Fraction(self.valeur)


class Parametres(dict):
    """Parameter name -> Parametre, for one campagne date."""

    def __getattr__(self, nom: str) -> Parametre:
        try:
            return self[nom]
        except KeyError as exc:
            raise AttributeError(nom) from exc

    @property
    def non_confirmes(self) -> list[Parametre]:
        return [p for p in self.values() if not p.confirme]


class Releve(Parametres):
    """The same parameters, remembering which of them a computation read (`lus`): a letter
    waits only for the unconfirmed parameters it actually uses (comite.md §5)."""

    def __init__(self, parametres: Parametres):
        super().__init__(parametres)
        self.lus: set[str] = set()

    def __getitem__(self, nom: str) -> Parametre:
        self.lus.add(nom)
        return super().__getitem__(nom)


def charger_parametres(date: dt.date, dossier: Path | None = None) -> Parametres:
    """The value of every parameter in force on `date` (files of `dossier`, else the shipped ones)."""
    dossier = dossier or DOSSIER
    params = Parametres()
    for chemin in sorted(dossier.glob("*.yaml")):
        if chemin.name == FICHIER_TEXTES:
            continue  # the legal texts, not parameters (campaign.textes_juridiques)
        contenu = yaml.safe_load(chemin.read_text(encoding="utf-8")) or {}
        for nom, definition in contenu.items():
            valeurs = definition.get("valeurs") or {}
            dates = sorted((dt.date.fromisoformat(str(d)), d) for d in valeurs)
            en_vigueur = [(d, brut) for d, brut in dates if d <= date]
            if not en_vigueur:
                continue
            depuis, cle_date = en_vigueur[-1]
            v = valeurs[cle_date]
            params[nom] = Parametre(
                nom,
                definition.get("libelle", nom),
                definition.get("unite", ""),
                str(v["valeur"]),
                depuis,
                v["source"],
                bool(v["confirme"]),
                chemin.name,
            )
    manquants = [nom for nom in ATTENDUS if nom not in params]
    if manquants:
        raise CampaignError(
            f"Aucune valeur en vigueur au {date.strftime('%d/%m/%Y')} pour "
            f"{', '.join(manquants)} dans {dossier}/*.yaml ; ajoutez-les avec leur date, "
            "leur source et « confirme »."
        )
    return params


def avec_reglages(params: Parametres, campagne) -> Parametres:
    """The national parameters plus the departmental settings of campagne.toml [regles]."""
    r = campagne.regles
    source = "campagne.toml [regles] (réglage départemental)"
    reglages = {
        "axes": ("Exigence sur les actions des axes", "", r.axes),
        "ecretement": ("Écrêtement au coût de l'action", "", "oui" if r.ecretement else "non"),
        "seuil_part_caf": ("Seuil d'alerte de la part Caf", "taux", str(r.seuil_part_caf)),
        "date_debut_preconisee": ("Date de début préconisée", "date", r.date_debut_preconisee.isoformat()),
        "date_fin_preconisee": ("Date de fin préconisée", "date", r.date_fin_preconisee.isoformat()),
    }
    complet = Parametres(params)
    for nom, (libelle, unite, valeur) in reglages.items():
        complet[nom] = Parametre(nom, libelle, unite, valeur, campagne.debut, source, True, "campagne.toml")
    return complet
