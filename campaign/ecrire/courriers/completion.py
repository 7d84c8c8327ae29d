"""What a request for completion says (referentiel §7): each blocking anomaly in words a
volunteer reads, "feuille Collectifs, collectif C2, « Nombre d'enfants » (case F3)", never
a bare `Collectifs!F3`; a duplicate SIRET without the other file's name (it may be another
operator's, when the SIRET was mistyped).

Pure: from the anomalies (fichier, feuille, cellule, champ, valeur, code, message) and the
collectifs' codes by row; the anomaly codes and the CSV's messages are not changed.
"""

from __future__ import annotations

import datetime as dt
import re

from campaign import formats
from campaign import formulaire as F
from campaign.lire.anomalies import BLOQUANT, Anomalie

DELAI_COMPLETION = dt.timedelta(days=30)


def date_limite(date_courrier: dt.date) -> dt.date:
    """The day by which a completion request asks for the dossier back (letter and e-mail)."""
    return date_courrier + DELAI_COMPLETION


ADRESSE = re.compile(r"^\s*([^\s!]+)!([A-Z]{1,3})(\d+)\s*:\s*")  # 'Collectifs!F3 : '
ADRESSE_DANS = re.compile(r"\b([A-Z][a-zé]+)!([A-Z]{1,3}\d+)\b")  # one left inside a sentence
LIBELLES = {c.cle: c.libelle for c in F.PORTEUR + F.PROJET + F.COLLECTIFS + F.BUDGET}


def lieu(a: Anomalie, collectifs: dict[tuple[str, str], str]) -> str:
    """Where to correct, in words: 'Feuille Collectifs, collectif C2, « Nombre d'enfants »
    (case F3)'; '' when the anomaly names no cell (a missing sheet says it in its sentence)."""
    if not a.feuille or not a.cellule:
        return ""
    parties = [f"Feuille {a.feuille}"]
    m = re.fullmatch(r"[A-Z]{1,3}(\d+)", a.cellule or "")
    if a.feuille == "Collectifs" and m:
        code = collectifs.get((a.fichier, m.group(1)))
        parties.append(f"collectif {code}" if code else f"ligne {m.group(1)}")
    if a.champ:  # the field's label (a key is turned into its label)
        parties.append(f"« {LIBELLES.get(a.champ, a.champ)} »")
    return f"{', '.join(parties)} (case {a.cellule})"


def phrase(a: Anomalie, collectifs: dict[tuple[str, str], str]) -> str:
    """The anomaly's sentence for its own operator, where to correct first."""
    if a.code == "DOUBLON-SIRET":
        corps = (
            f"le SIRET {a.valeur} figure aussi dans un autre dossier reçu par la Caf. Si les deux "
            "dossiers sont les vôtres, indiquez-nous lequel fait foi ; sinon, vérifiez le SIRET "
            "saisi et renvoyez le classeur corrigé."
        )
    else:
        corps = ADRESSE.sub("", a.message, count=1)
        corps = ADRESSE_DANS.sub(lambda m: f"feuille {m.group(1)}, case {m.group(2)}", corps)
    ou = lieu(a, collectifs)
    if not ou:
        return formats.typographie(corps)
    return formats.typographie(
        f"{ou} : {corps[:1].lower()}{corps[1:]}" if corps[:2] != "« " else f"{ou} : {corps}"
    )


def vue_completion(
    anomalies: list[Anomalie], date_courrier: dt.date, collectifs: dict[tuple[str, str], str]
) -> dict:
    """The request for completion: each blocking anomaly in words, and the date to resend by."""
    bloquantes = sorted((a for a in anomalies if a.gravite == BLOQUANT), key=Anomalie.cle_tri)
    return {
        "anomalies": [
            {"feuille": a.feuille, "cellule": a.cellule, "message": phrase(a, collectifs)} for a in bloquantes
        ],
        "date_limite": formats.date_longue(date_limite(date_courrier)),
        "delai": formats.pluriel(DELAI_COMPLETION.days, "jour"),
        "classeur": "",  # the pre-filled workbook sent with it, once written (`joindre_classeur`)
    }


def joindre_classeur(vue: dict, nom: str) -> None:
    """A completion request's view names the pre-filled workbook sent beside it (the run
    writes it: `campaign.dossier_vierge.a_corriger`); the letter then says so."""
    vue["completion"]["classeur"] = nom
