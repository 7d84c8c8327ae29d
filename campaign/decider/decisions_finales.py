"""The committee's avis applied, collectif by collectif (comite.md §3).

Sessions are applied in date order; a later avis on a collectif replaces an earlier one, an
empty cell never withdraws one. Amounts are computed again by `decision.calculer`, with the
retained collectifs (ACCORD after the avis, or an ACCORD proposition not yet examined)
counting as ACCORD: a derogation is computed exactly as an eligible collectif.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from campaign import formats
from campaign.decider import motivations
from campaign.decider.arbitrage import MONTANTS, Arbitrage, arbitrer
from campaign.decider.avis import C_DEFAVORABLE, C_DEROGATION, Avis, Cle, Rapprochement, ecarte, examiner
from campaign.decider.decision import Decisions, calculer
from campaign.decider.enveloppe import appliquer as reduire_a_l_enveloppe
from campaign.decider.parametres import Parametres
from campaign.erreurs import CampaignError
from campaign.lire.anomalies import Anomalie
from campaign.lire.comite import AJOURNE, AVIS_APPLIQUES, DEFAVORABLE, FAVORABLE, FichierComite


@dataclass
class BilanSeance:
    """What one session did, for the manifest, the console and its minutes."""

    fichier: FichierComite
    lignes_avis: int  # rows of its file carrying an avis or a Commentaire
    appliques: int  # avis applied at this session (not those repeated from an earlier one)
    divergents: list[tuple[Cle, str, Avis]]  # (collectif, proposition, avis) departing
    ajournes: list[tuple[Cle, Avis]]
    anomalies: list[Anomalie]
    total_decide: int = 0  # cents, sessions up to and including this one
    total_projete: int = 0
    # the minutes' annex: each collectif given an avis at this session, as it stands after it
    annexe: list[LigneAnnexe] = field(default_factory=list)
    arbitrage: Arbitrage | None = None  # the envelope fitted once this session's avis applied

    @property
    def refuses(self) -> list[Anomalie]:
        """The anomalies that kept an avis from applying (a long Commentaire does not)."""
        return [a for a in self.anomalies if a.code not in AVIS_APPLIQUES]


@dataclass(frozen=True)
class LigneAnnexe:
    """A collectif examined at a session: its proposition, the avis, and the decision and
    amount (cents) it has once that session's avis are applied."""

    fichier: str
    collectif: str
    proposition: str
    avis: str
    decision: str
    total: int


@dataclass
class Comite:
    """The decision stage after the committee: final collectifs and dossiers, and sessions."""

    collectifs: pd.DataFrame  # one row per collectif: the proposition, the avis, the final
    dossiers: pd.DataFrame  # indexed by fichier: etat, decision_finale, total_final, date_seance
    calcul: Decisions  # the amounts recomputed over the retained collectifs (`retenu`)
    seances: list[BilanSeance] = field(default_factory=list)
    textes: pd.DataFrame | None = None  # the rules' reasons of the final amounts (`textes_finaux`)
    # the envelope against the retained amounts, its scenarios and the mode applied (arbitrage.md)
    arbitrage: Arbitrage | None = None

    @property
    def anomalies(self) -> list[Anomalie]:
        return [a for s in self.seances for a in s.anomalies]

    @functools.cached_property
    def collectifs_finaux(self) -> pd.DataFrame:
        """For the letters: each collectif's answers with its final amounts (`motifs_comite`),
        made when first asked (a run without letters never pays for it)."""
        from campaign.decider import motifs_comite

        return motifs_comite.collectifs_finaux(self.calcul.collectifs, self.collectifs)

    @functools.cached_property
    def textes_decision(self) -> dict[str, list[dict]]:
        """For the letters: each file's reasons once the committee's derogations and its
        Commentaires are applied to the reasons in force (`motifs_comite`)."""
        from campaign.decider import motifs_comite

        assert self.textes is not None, "the reasons in force (textes_finaux) come first"
        return motifs_comite.textes_des_decisions(self.collectifs_finaux, self.textes)


def appliquer(
    fichiers: list[FichierComite],
    proposition: Decisions,
    d: pd.DataFrame,
    c: pd.DataFrame,
    dossiers: pd.DataFrame,
    p: Parametres,
    enveloppe: int | None = None,
    mode: str | None = None,
) -> Comite:
    """Apply the sessions' avis to the proposition, then fit the envelope (cents) with the
    mode chosen (arbitrage.md §2); `d`, `c` are the inputs of `calculer`. A mode that cannot
    fit the final amounts stops the run with its figures."""
    r = Rapprochement(proposition.collectifs, dossiers)
    en_vigueur: dict[Cle, Avis] = {}
    bilans = []
    arbitre = (enveloppe, mode)
    comite = _final(proposition, d, c, p, en_vigueur, *arbitre)
    for f in fichiers:
        examen = examiner(f, r)
        appliques, divergents, ajournes = 0, [], []
        nouveaux: dict[Cle, Avis] = {}  # given at this session (not repeated from an earlier one)
        for cle, (_, avis) in examen.recevables.items():
            avant = en_vigueur.get(cle)
            if avant is not None and (avant.avis, avant.commentaire) == (avis.avis, avis.commentaire):
                continue  # the same avis again: it keeps its first session's date
            en_vigueur[cle] = nouveaux[cle] = avis
            appliques += 1
            if ecarte(r.propositions[cle].decision, avis.avis):
                divergents.append((cle, r.propositions[cle].decision, avis))
            if avis.avis == AJOURNE:
                ajournes.append((cle, avis))
        comite = _final(proposition, d, c, p, en_vigueur, *arbitre)
        bilans.append(
            BilanSeance(
                f,
                len(f.lignes),
                appliques,
                sorted(divergents),
                sorted(ajournes),
                examen.anomalies,
                *totaux(comite),
                _annexe(comite, nouveaux),
                comite.arbitrage,
            )
        )
    comite.seances = bilans
    _verifier_arbitrage(comite.arbitrage)
    return comite


def _verifier_arbitrage(arbitrage: Arbitrage | None) -> None:
    """A mode chosen that cannot fit the envelope stops the run (arbitrage.md §2)."""
    s = arbitrage.choisi if arbitrage else None
    if s is None or not s.impossible:
        return
    raise CampaignError(
        f"campagne.toml : le mode d'arbitrage « {s.mode.code} » ({s.mode.libelle.lower()}) ne peut pas "
        f"tenir dans l'enveloppe : {s.impossible}, pour {formats.euros(s.avant)} de financements "
        'retenus. Choisissez un autre mode dans [arbitrage] (par exemple "prorata_total"), '
        "ou retirez la clé pour ne rien réduire."
    )


def _annexe(comite: Comite, examines: dict[Cle, Avis]) -> list[LigneAnnexe]:
    """Every collectif given an avis in a session's file, with what it became after it."""
    f = comite.collectifs
    lignes = []
    for fichier, code, proposition, decision, total in zip(
        f["fichier"], f["code_collectif"].astype(str).str.strip(), f["proposition"], f["decision"], f["total"]
    ):
        avis = examines.get((fichier, code))
        if avis is not None:
            lignes.append(LigneAnnexe(fichier, code, proposition, avis.avis, decision, int(total)))
    return lignes


def totaux(comite: Comite) -> tuple[int, int]:
    """(total decided: DECIDE dossiers' total_final, total projected: every collectif's total)."""
    return int(comite.dossiers["total_final"].sum()), int(comite.collectifs["total"].sum())


def _final(
    proposition: Decisions,
    d: pd.DataFrame,
    c: pd.DataFrame,
    p: Parametres,
    en_vigueur: dict[Cle, Avis],
    enveloppe: int | None = None,
    mode: str | None = None,
) -> Comite:
    prop = proposition.collectifs
    cles = list(zip(prop["fichier"], prop["code"].astype(str).str.strip()))
    vigueur = [en_vigueur.get(k) for k in cles]
    avis = pd.Series([a.avis if a else "" for a in vigueur], index=prop.index, dtype=object)
    accord = prop["accord"].to_numpy(dtype=bool)
    decision = np.select(
        [avis == FAVORABLE, avis == DEFAVORABLE, avis == AJOURNE],
        ["ACCORD", "REFUS", "AJOURNE"],
        "PROPOSITION",
    )
    retenus = pd.Series((decision == "ACCORD") | ((decision == "PROPOSITION") & accord), index=prop.index)
    calcul = calculer(d, c, p, retenus) if en_vigueur else proposition
    arbitrage = None
    if enveloppe is not None:  # after F-ECRETEMENT and the avis (arbitrage.md §2)
        arbitrage = arbitrer(calcul.collectifs[["fichier", *MONTANTS]], enveloppe, mode)
        if arbitrage.applique is not None:
            c_, d_, k_ = reduire_a_l_enveloppe(
                calcul.collectifs, calcul.dossiers, calcul.constats, arbitrage, p
            )
            calcul = dataclasses.replace(calcul, collectifs=c_, dossiers=d_, constats=k_)
    f = calcul.collectifs
    derogation = (decision == "ACCORD") & ~accord
    defavorable = (decision == "REFUS") & accord
    final = pd.DataFrame(
        {
            "fichier": prop["fichier"],
            "position": prop["position"],
            "code_collectif": prop["code"],
            "proposition": prop["decision"],
            "avis": avis,
            "avis_date": [a.date.isoformat() if a else "" for a in vigueur],
            "commentaire": [a.commentaire if a else "" for a in vigueur],
            "decision": decision,
            "derogation": derogation,
            "motifs": [_joindre(m, C_DEFAVORABLE if x else "") for m, x in zip(prop["motifs"], defavorable)],
            "avertissements": [
                _joindre(a, C_DEROGATION if x else "") for a, x in zip(f["avertissements"], derogation)
            ],
            **{
                m: f[m].astype("int64")
                for m in ("part_charges", "ps", "bonus_enfants", "bonus_parents", "total")
            },
        }
    )
    return Comite(final, _dossiers(final), calcul, arbitrage=arbitrage)


def _joindre(codes: str, code: str) -> str:
    return "|".join(sorted(filter(None, [*codes.split("|"), code])))


def _dossiers(final: pd.DataFrame) -> pd.DataFrame:
    g = final.groupby("fichier", sort=True)
    n = g.size()
    propositions = final["decision"].eq("PROPOSITION").groupby(final["fichier"]).sum()
    ajournes = final["decision"].eq("AJOURNE").groupby(final["fichier"]).sum()
    accords = final["decision"].eq("ACCORD").groupby(final["fichier"]).sum()
    etat = np.select([propositions > 0, ajournes > 0], ["PROPOSITION", "AJOURNE"], "DECIDE")
    decide = etat == "DECIDE"
    decision_finale = np.where(
        decide, np.select([accords == n, accords > 0], ["ACCORD", "ACCORD PARTIEL"], "REFUS"), ""
    )
    total = g["total"].sum()
    dates = final["avis_date"].groupby(final["fichier"]).max()
    return pd.DataFrame(
        {
            "etat": etat,
            "decision_finale": decision_finale,
            "total_final": np.where(decide, total, 0).astype("int64"),
            "total_projete": total.astype("int64"),
            "date_seance": [dt.date.fromisoformat(x) if x else None for x in dates],
        },
        index=n.index,
    )


def textes_finaux(
    comite: Comite, proposition: Decisions, textes: pd.DataFrame, p: Parametres
) -> pd.DataFrame:
    """The rules' reasons of the final amounts: a retained collectif read as accorded (so
    that a derogation gets its computation and bonus texts, a refused one none)."""
    if comite.calcul is proposition:
        return textes  # no avis in force: the proposition's reasons, made once
    calcul = comite.calcul
    c = calcul.collectifs.assign(accord=calcul.collectifs["retenu"])
    return motivations.textes(Decisions(c, calcul.dossiers, calcul.constats), p)
