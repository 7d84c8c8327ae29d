"""The committee's workbook `synthese.xlsx`: the campagne at a glance, then every table.

Sheets: Synthèse (numbers and two charts, one printed page), Enveloppe (the envelope against
the retained total, and what each mode of fitting it would give: `synthese_enveloppe`),
Collectifs (the committee's sheet, `synthese_collectifs`), Porteurs (asked against proposed,
`synthese_porteurs`), Types et communes (the totals by type of operator and by commune,
`synthese_porteurs`), Dossiers, Anomalies, Paramètres (`synthese_feuilles`); the look in
`synthese_style`. The file is reproducible: fixed document dates and zip entry dates, so one
Resultat gives one byte string.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from campaign.ecrire.synthese import feuilles
from campaign.ecrire.synthese.collectifs import collectifs
from campaign.ecrire.synthese.enveloppe import enveloppe
from campaign.ecrire.synthese.page import synthese
from campaign.ecrire.synthese.porteurs import porteurs, types_et_communes
from campaign.ecrire.synthese.xlsx import Feuille, Page, Styles, fermer, ouvrir, sans_ramasse_miettes
from campaign.resultat import Resultat

ONGLETS = (
    "Synthèse",
    "Enveloppe",
    "Collectifs",
    "Porteurs",
    "Types et communes",
    "Dossiers",
    "Anomalies",
    "Paramètres",
)


def ecrire_synthese(resultat: Resultat, chemin: Path, courriers: dict[str, str] | None = None) -> None:
    """Write the committee's workbook; `courriers` maps fichier -> relative path of its letter."""
    debut = resultat.campagne.debut
    with sans_ramasse_miettes():
        classeur = ouvrir(dt.datetime(debut.year, debut.month, debut.day))
        styles = Styles(classeur)
        onglets = {titre: classeur.add_worksheet(titre) for titre in ONGLETS}
        enveloppe(Feuille(onglets["Enveloppe"], styles), resultat)
        collectifs(Feuille(onglets["Collectifs"], styles), resultat)
        porteurs(Feuille(onglets["Porteurs"], styles), resultat)
        communes = types_et_communes(Feuille(onglets["Types et communes"], styles), resultat)
        feuilles.dossiers(Feuille(onglets["Dossiers"], styles), resultat, courriers or {})
        feuilles.anomalies(Feuille(onglets["Anomalies"], styles), resultat.anomalies)
        feuilles.parametres(Feuille(onglets["Paramètres"], styles), resultat)
        synthese(Page(onglets["Synthèse"], styles), resultat, "Types et communes", communes)
        fermer(classeur, Path(chemin))
