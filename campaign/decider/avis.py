"""Which avis of a committee file may be applied (comite.md §2): each row matched to a
collectif by SIRET (or file) and code, never by position, and checked against today's
proposition. A row that cannot be applied is an anomaly of the committee file.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

import pandas as pd

from campaign import formats
from campaign.lire.anomalies import Anomalie, anomalie
from campaign.lire.comite import DEFAVORABLE, FAVORABLE, ILLISIBLE, FichierComite, LigneAvis

Cle = tuple[str, str]  # (fichier, code collectif)
# the codes of what rests on the committee rather than on a rule (comite.md §3, §5)
C_DEFAVORABLE, C_DEROGATION = "C-AVIS-DEFAVORABLE", "C-DEROGATION"


@dataclass(frozen=True)
class Avis:
    """An avis of the committee on one collectif, as applied."""

    avis: str  # Favorable, Défavorable, Ajourné
    commentaire: str
    date: dt.date


@dataclass(frozen=True)
class Proposition:
    """What the rules alone decided for a collectif, as the committee's workbook shows it."""

    decision: str  # ACCORD or REFUS
    total: int  # cents


def ecarte(proposition: str, avis: str) -> bool:
    """The avis departs from the proposition: it needs the committee's reason (§3)."""
    return (proposition, avis) in (("ACCORD", DEFAVORABLE), ("REFUS", FAVORABLE))


class Rapprochement:
    """Matches the rows of committee files to the collectifs of this run's TRAITE dossiers."""

    def __init__(self, collectifs: pd.DataFrame, dossiers: pd.DataFrame):
        """`collectifs`: the proposition (fichier, code, decision, total); `dossiers`: every
        file of the folder (fichier, statut, siret)."""
        statuts = dossiers.set_index("fichier")["statut"]
        sirets = dossiers.set_index("fichier")["siret"]
        self.propositions: dict[Cle, Proposition] = {}
        self.par_siret: dict[tuple[str, str], Cle] = {}
        for f, code, decision, total in collectifs[["fichier", "code", "decision", "total"]].itertuples(
            index=False
        ):
            cle = (f, str(code).strip())
            self.propositions[cle] = Proposition(decision, int(total))
            if sirets.get(f):
                self.par_siret[(sirets[f], cle[1])] = cle
        self.statuts = statuts
        self.fichiers_par_siret: dict[str, list[str]] = defaultdict(list)
        for f, s in sirets.items():
            if s:
                self.fichiers_par_siret[s].append(str(f))

    def collectif(self, ligne: LigneAvis) -> Cle | None:
        if ligne.siret:
            return self.par_siret.get((ligne.siret, ligne.collectif))
        cle = (ligne.fichier, ligne.collectif)
        return cle if cle in self.propositions else None

    def inconnu(self, ligne: LigneAvis) -> str:
        """Why a row names no collectif of a TRAITE dossier, and what to do (AVIS-INCONNU)."""
        qui = f"le SIRET {ligne.siret}" if ligne.siret else f"le fichier « {ligne.fichier} »"
        fichiers = (
            self.fichiers_par_siret.get(ligne.siret, [])
            if ligne.siret
            else ([ligne.fichier] if ligne.fichier in self.statuts.index else [])
        )
        suite = (
            "L'avis n'est pas appliqué ; il le sera quand le dossier sera traité, s'il n'a pas "
            "changé entre-temps."
        )
        if len(fichiers) > 1:
            return (
                f"Plusieurs dossiers portent {qui} ({', '.join(sorted(fichiers))}) : aucun n'est "
                f"traité tant que le doublon demeure. {suite}"
            )
        if fichiers and self.statuts[fichiers[0]] != "TRAITE":
            return (
                f"Le dossier « {fichiers[0]} » ({qui}) est {self.statuts[fichiers[0]]} dans cette "
                f"exécution. {suite}"
            )
        if fichiers:
            return (
                f"Le dossier « {fichiers[0]} » n'a pas de collectif « {ligne.collectif} » : "
                "vérifiez le code du collectif ; l'avis n'est pas appliqué."
            )
        return (
            f"Aucun dossier de la campagne ne porte {qui} : vérifiez le SIRET et le code du "
            "collectif ; l'avis n'est pas appliqué."
        )


@dataclass
class Examen:
    """A committee file checked: the avis that may be applied, and the anomalies."""

    recevables: dict[Cle, tuple[LigneAvis, Avis]]
    anomalies: list[Anomalie]


def _anomalie(f: FichierComite, ligne: LigneAvis, code: str, champ: str, message: str) -> Anomalie:
    valeur = ligne.valeurs.get(champ, "")
    return anomalie(
        code,
        f.seance.avis,
        feuille=f.feuille,
        cellule=ligne.cellules.get(champ, ""),
        champ=champ,
        valeur=valeur,
        message=message,
    )


def examiner(f: FichierComite, r: Rapprochement) -> Examen:
    """The rows of one committee file that may be applied, each checked as comite.md §2 says."""
    anomalies = list(f.anomalies)
    par_collectif: dict[Cle, list[LigneAvis]] = defaultdict(list)
    for ligne in f.lignes:
        if ligne.avis == ILLISIBLE:
            continue
        cle = r.collectif(ligne)
        if cle is None:
            anomalies.append(_anomalie(f, ligne, "AVIS-INCONNU", "Collectif", r.inconnu(ligne)))
        else:
            par_collectif[cle].append(ligne)
    recevables: dict[Cle, tuple[LigneAvis, Avis]] = {}
    for cle, lignes in par_collectif.items():
        if len({(lg.avis, lg.commentaire) for lg in lignes}) > 1:
            autres = ", ".join(str(lg.ligne) for lg in lignes)
            for lg in lignes:
                anomalies.append(
                    _anomalie(
                        f,
                        lg,
                        "AVIS-CONTRADICTOIRE",
                        "Avis du comité",
                        f"Le collectif {cle[1]} du dossier « {cle[0]} » reçoit des avis ou commentaires "
                        f"différents aux lignes {autres} : aucun n'est appliqué. Ne gardez qu'une ligne.",
                    )
                )
            continue
        ligne = lignes[0]
        proposition = r.propositions[cle]
        revoir = _a_revoir(f, ligne, cle, proposition)
        if revoir is not None:
            anomalies.append(revoir)
            continue
        if ecarte(proposition.decision, ligne.avis) and not ligne.commentaire:
            anomalies.append(
                _anomalie(
                    f,
                    ligne,
                    "AVIS-SANS-MOTIF",
                    "Commentaire",
                    f"L'avis {ligne.avis} s'écarte de la proposition ({proposition.decision}) du collectif "
                    f"{cle[1]} sans commentaire : il n'est pas appliqué. Écrivez dans le commentaire la "
                    "raison de l'avis, qui sera citée dans le courrier.",
                )
            )
            continue
        recevables[cle] = (ligne, Avis(ligne.avis, ligne.commentaire, f.seance.date))
    return Examen(recevables, anomalies)


def _a_revoir(f: FichierComite, ligne: LigneAvis, cle: Cle, p: Proposition) -> Anomalie | None:
    """The collectif changed since the committee saw it (AVIS-A-REVOIR)."""
    if ligne.decision is not None and ligne.decision != p.decision:
        champ, vu, maintenant = "Décision", ligne.decision, p.decision
    elif ligne.total is not None and ligne.total != p.total:
        champ, vu = "Total", formats.euros(ligne.total) if ligne.total >= 0 else str(ligne.valeurs["Total"])
        maintenant = formats.euros(p.total)
    else:
        return None
    return _anomalie(
        f,
        ligne,
        "AVIS-A-REVOIR",
        champ,
        f"Le collectif {cle[1]} du dossier « {cle[0]} » a changé depuis la séance du "
        f"{formats.date_longue(f.seance.date)} "
        f"({champ} vu par le comité : {vu} ; aujourd'hui : {maintenant}) : l'avis n'est pas "
        "appliqué. Soumettez ce collectif à nouveau au comité.",
    )
