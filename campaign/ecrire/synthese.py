"""The committee's workbook `synthese.xlsx`: the campagne at a glance, then every table.

Sheets: Synthèse (numbers and two charts, one printed page), Collectifs (the committee's
sheet, `synthese_collectifs`), Porteurs (asked against proposed, `synthese_porteurs`), Dossiers,
Anomalies, Paramètres (`synthese_feuilles`); the look in `synthese_style`. The file is
reproducible: fixed document dates and zip entry dates, so one Resultat gives one byte string.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import Workbook

from campaign.ecrire import synthese_feuilles as feuilles
from campaign.ecrire.enregistrement import enregistrer_classeur
from campaign.ecrire.synthese_collectifs import collectifs
from campaign.ecrire.synthese_page import synthese
from campaign.ecrire.synthese_porteurs import porteurs
from campaign.resultat import Resultat

ONGLETS = ("Synthèse", "Collectifs", "Porteurs", "Dossiers", "Anomalies", "Paramètres")


def ecrire_synthese(resultat: Resultat, chemin: Path, courriers: dict[str, str] | None = None) -> None:
    """Write the committee's workbook; `courriers` maps fichier -> relative path of its letter."""
    wb = Workbook()
    ws = wb.active
    ws.title = ONGLETS[0]
    for titre in ONGLETS[1:]:
        wb.create_sheet(titre)
    collectifs(wb["Collectifs"], resultat)
    communes = porteurs(wb["Porteurs"], resultat)
    feuilles.dossiers(wb["Dossiers"], resultat, courriers or {})
    feuilles.anomalies(wb["Anomalies"], resultat.anomalies)
    feuilles.parametres(wb["Paramètres"], resultat)
    synthese(ws, resultat, wb["Porteurs"], communes)
    debut = resultat.campagne.debut
    enregistrer_classeur(wb, Path(chemin), dt.datetime(debut.year, debut.month, debut.day))
