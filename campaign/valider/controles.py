"""The pandera model of each sheet, generated from the dossier layout, plus the checks
that compare fields (dossier.md §2-§5).

Each schema validates the campagne-wide table of one sheet (one row per dossier, or per
collectif), with provenance columns `fichier` and `position`. Check names are the stable
anomaly codes, so that a failure maps straight to its anomaly.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from campaign import adresse
from campaign import formulaire as F

_DTYPES = {
    "entier": "Int64",
    "montant": "Int64",
    "ouinon": "boolean",
    "duree": "Float64",
    "date": "datetime64[ns]",
}
_MOTIFS = {
    "siret": (r"[0-9]{14}", "SIRET-INVALIDE"),  # ASCII digits only: `\d` takes any script's
    "rna": (r"W[0-9]{9}", "RNA-INVALIDE"),
    "code_postal": (r"[0-9]{5}", "CODE-POSTAL-INVALIDE"),
    # one address, strictly (issue 9): no formula start, no space or line break, none of , ; < > ( ) "
    "courriel": (
        r"(?![=+\-@])[A-Za-z0-9._%+'&!#$*/=?^`{|}~-]+"
        r"@(?:[^\W_][\w-]*\.)+[^\W\d_]{2,}",
        "COURRIEL-INVALIDE",
    ),
}
_BORNES = {  # field -> (min, max) beyond the type's own
    "semaines": (0, 52)
}


def dtype(champ: F.Champ) -> str:
    return _DTYPES.get(champ.type, "string")


def luhn(chiffres: str) -> bool:
    """The Luhn check of a string of digits (the SIRET's key)."""
    produits = (int(ch) * (2 if i % 2 else 1) for i, ch in enumerate(reversed(chiffres)))
    return sum(n - 9 if n > 9 else n for n in produits) % 10 == 0


def luhn_valide(s: pd.Series) -> pd.Series:
    """The SIRET's last digit is a Luhn check digit (La Poste's SIRET excepted)."""

    def ok(v: str) -> bool:
        if len(v) != 14 or not v.isdigit():
            return True  # reported by the pattern check
        if v.startswith("356000000"):
            return sum(int(c) for c in v) % 5 == 0
        return luhn(v)

    return s.map(ok).astype(bool)


def _colonne(champ: F.Champ) -> pa.Column:
    checks = []
    if champ.type == "choix":
        checks.append(pa.Check.isin(list(champ.choix), name="CHOIX-INVALIDE"))
    if champ.type in _MOTIFS:
        motif, code = _MOTIFS[champ.type]
        checks.append(pa.Check.str_matches(f"^(?:{motif})\\Z", name=code))
    if champ.type == "siret":
        checks.append(pa.Check(luhn_valide, name="SIRET-INVALIDE"))
    if champ.type == "montant":
        checks.append(pa.Check.ge(0, name="MONTANT-NEGATIF"))
    elif champ.type == "entier":
        bas, haut = _BORNES.get(champ.cle, (0, None))
        if haut is None:
            checks.append(pa.Check.ge(bas, name="VALEUR-HORS-LIMITES"))
        else:
            checks.append(pa.Check.in_range(bas, haut, name="VALEUR-HORS-LIMITES"))
    nullable = not champ.requis and champ.type != "montant"
    return pa.Column(dtype(champ), checks=checks, nullable=nullable, required=True)


def _schema(feuille: str, checks: list[pa.Check]) -> pa.DataFrameSchema:
    colonnes = {c.cle: _colonne(c) for c in F.FEUILLES[feuille]}
    colonnes["fichier"] = pa.Column("string")
    colonnes["position"] = pa.Column("Int64")
    return pa.DataFrameSchema(colonnes, checks=checks, name=feuille, strict=False)


# --- checks that compare fields: True where the row is fine --------------------------


def _niveaux_ordonnes(df: pd.DataFrame) -> pd.Series:
    rang = {n: i for i, n in enumerate(F.NIVEAUX)}
    bas = df["niveau_min"].map(rang, na_action="ignore")
    haut = df["niveau_max"].map(rang, na_action="ignore")
    return ~(bas > haut).fillna(False).astype(bool)


def _handicap_dans_effectif(df: pd.DataFrame) -> pd.Series:
    return ~(df["enfants_handicap"] > df["enfants"]).fillna(False).astype(bool)


def _dates_ordonnees(df: pd.DataFrame) -> pd.Series:
    return ~(df["date_fin"] <= df["date_debut"]).fillna(False).astype(bool)


def _semaines_coherentes(df: pd.DataFrame) -> pd.Series:
    jours = (df["date_fin"] - df["date_debut"]).dt.days
    semaines_possibles = (jours + 1 + 6) // 7  # weeks touched by the period
    return ~(df["semaines"] > semaines_possibles).fillna(False).astype(bool)


def _code_unique(df: pd.DataFrame) -> pd.Series:
    code = df["code"].str.strip().str.upper()
    return ~(code.notna() & pd.DataFrame({"f": df["fichier"], "c": code}).duplicated(keep=False)).astype(bool)


def _psf_dans_c64(df: pd.DataFrame) -> pd.Series:
    return ~(df["PSF"] > df["C64"]).fillna(False).astype(bool)


def _charges_non_nulles(df: pd.DataFrame) -> pd.Series:
    charges = df[list(F.CHARGES)]
    return ~((charges.fillna(0).sum(axis=1) == 0) & charges.notna().all(axis=1)).astype(bool)


def _siret_unique(df: pd.DataFrame) -> pd.Series:
    return ~(df["siret"].notna() & df["siret"].duplicated(keep=False)).astype(bool)


def _adresse_courte(df: pd.DataFrame) -> pd.Series:
    """The address fits the envelope's window: 6 lines of 38 characters (campaign.adresse)."""
    champs = ("nom", "representant", "representant_qualite", "adresse", "code_postal", "commune")
    valeurs = df[list(champs)].astype(object).where(df[list(champs)].notna(), "").astype(str)
    return pd.Series(
        [not adresse.trop_longue(adresse.bloc(*ligne)) for ligne in valeurs.itertuples(index=False)],
        index=df.index,
    )


def _wide(fn, code: str) -> pa.Check:
    return pa.Check(fn, name=code, ignore_na=False)


SCHEMAS = {
    "Porteur": _schema(
        "Porteur", [_wide(_siret_unique, "DOUBLON-SIRET"), _wide(_adresse_courte, "ADRESSE-TROP-LONGUE")]
    ),
    "Projet": _schema("Projet", []),
    "Collectifs": _schema(
        "Collectifs",
        [
            _wide(_niveaux_ordonnes, "NIVEAUX-INVERSES"),
            _wide(_handicap_dans_effectif, "HANDICAP-SUPERIEUR-EFFECTIF"),
            _wide(_dates_ordonnees, "DATES-INVERSEES"),
            _wide(_semaines_coherentes, "SEMAINES-INCOHERENTES"),
            _wide(_code_unique, "CODE-COLLECTIF-DOUBLE"),
        ],
    ),
    "Budget": _schema(
        "Budget", [_wide(_psf_dans_c64, "PSF-SUPERIEUR-C64"), _wide(_charges_non_nulles, "BUDGET-VIDE")]
    ),
}

# The cell a cross-field check points at, and the fields its message quotes.
CHAMP_DU_CONTROLE = {
    "DOUBLON-SIRET": "siret",
    "ADRESSE-TROP-LONGUE": "adresse",
    "NIVEAUX-INVERSES": "niveau_max",
    "HANDICAP-SUPERIEUR-EFFECTIF": "enfants_handicap",
    "DATES-INVERSEES": "date_fin",
    "SEMAINES-INCOHERENTES": "semaines",
    "CODE-COLLECTIF-DOUBLE": "code",
    "PSF-SUPERIEUR-C64": "PSF",
    "BUDGET-VIDE": None,
}


def code_du_controle(feuille: str, cle: str, controle: str) -> str:
    """Anomaly code of a failed column check (pandera names its built-in checks itself)."""
    champ = F.CHAMPS[(feuille, cle)]
    if controle.startswith("isin"):
        return "CHOIX-INVALIDE"
    if controle.startswith("str_matches"):
        return _MOTIFS[champ.type][1]
    if controle.startswith(("greater_than", "less_than", "in_range")):
        return "MONTANT-NEGATIF" if champ.type == "montant" else "VALEUR-HORS-LIMITES"
    return controle  # a custom check, named after its code
