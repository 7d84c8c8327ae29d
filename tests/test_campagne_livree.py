"""The campagne shipped in inputs/2026-2027: each planted defect is reported on its cell,
each tolerated spelling is read right, and every refusal is the one its data warrant."""

from pathlib import Path

import pytest

from campaign import formulaire as F
from campaign.formulaire import DIPLOMES
from campaign.lire.campagne import charger_campagne
from campaign.run import pipeline

LIVREE = Path(__file__).parent.parent / "inputs" / "2026-2027"


@pytest.fixture(scope="module")
def run():
    lectures = pipeline.lire(LIVREE)
    tables, anomalies, etats = pipeline.valider(lectures)
    resultat = pipeline.decider(charger_campagne(LIVREE), lectures, tables, anomalies, etats)
    return resultat, etats, tables


def _anomalies(resultat, fichier):
    return {(a.feuille, a.cellule, a.code) for a in resultat.anomalies if a.fichier == fichier}


@pytest.mark.parametrize(
    "fichier, attendu, statut",
    [
        ("defaut_mot_nombre.xlsx", ("Collectifs", "F3", "ENTIER-INVALIDE"), "INCOMPLET"),
        ("defaut_date_impossible.xlsx", ("Collectifs", "O2", "DATE-INVALIDE"), "INCOMPLET"),
        ("defaut_sans_budget.xlsx", ("Budget", "", "FEUILLE-MANQUANTE"), "INCOMPLET"),
        ("defaut_siret_doublon_a.xlsx", ("Porteur", "B2", "DOUBLON-SIRET"), "INCOMPLET"),
        ("defaut_siret_doublon_b.xlsx", ("Porteur", "B2", "DOUBLON-SIRET"), "INCOMPLET"),
        ("scan_courrier.xlsx", ("", "", "FICHIER-ILLISIBLE"), "ILLISIBLE"),
        ("notes.txt", ("", "", "FORMAT-NON-RECONNU"), "ILLISIBLE"),
    ],
)
def test_defauts_signales_sur_leur_cellule(run, fichier, attendu, statut):
    resultat, etats, _ = run
    assert _anomalies(resultat, fichier) == {attendu}
    assert etats[fichier] == statut


@pytest.mark.parametrize(
    "fichier, feuille, position, cle, valeur",
    [
        ("defaut_montant_texte.xlsx", "Budget", 1, "C60", 120_000),  # « 1 200 € »
        ("defaut_duree_texte.xlsx", "Collectifs", 1, "duree_seance", 1.5),  # « 1h30 »
        ("defaut_oui_x.xlsx", "Projet", 1, "E1", True),  # « oui »
        ("defaut_oui_x.xlsx", "Collectifs", 1, "besoin_repere", True),  # « X »
        ("defaut_ligne_vide.xlsx", "Collectifs", 2, "code", "C2"),  # after an empty row
        ("defaut_libelle_retape.xlsx", "Porteur", 1, "nom", "Centre social La Passerelle"),
        ("defaut_libelle_retape.xlsx", "Collectifs", 1, "enfants", 12),  # « Nombre d'enfants : »
        ("defaut_nom_feuille.xlsx", "Collectifs", 1, "code", "C1"),  # sheet « collectifs »
    ],
)
def test_ecarts_toleres_lus_sans_anomalie(run, fichier, feuille, position, cle, valeur):
    resultat, etats, tables = run
    assert etats[fichier] == "TRAITE" and _anomalies(resultat, fichier) == set()
    v = tables[feuille].valeurs
    ligne = v[(v["fichier"] == fichier) & (v["position"] == position)].iloc[0]
    assert ligne[cle] == valeur


def test_cellule_de_la_ligne_apres_la_ligne_vide(run):
    _, _, tables = run
    t = tables["Collectifs"]
    i = t.valeurs.index[(t.valeurs["fichier"] == "defaut_ligne_vide.xlsx") & (t.valeurs["position"] == 2)][0]
    assert t.cellules.at[i, "enfants"] == "F4"


# --- an independent reading of referentiel.md §4, one collectif at a time ---------------


def motifs_attendus(c, d) -> set[str]:
    """The référentiel's 2026-2027 rules, written out plainly for one collectif."""
    m = set()
    if c.niveau_min == "Maternelle" or c.niveau_max == "Post-bac":
        m.add("R-NIVEAU")
    minimum = 5 if (c.rural or c.enfants_handicap >= 1) else 8
    if c.enfants > 12 or c.enfants < minimum:
        m.add("R-EFFECTIF")
    requis = 1 if (c.rural and c.enfants < 8) else 2
    if c.intervenants_salaries + c.intervenants_benevoles < requis:
        m.add("R-ENCADREMENT")
    ordinaire = c.seances_semaine >= 2 and c.duree_seance >= 1.5
    rural = c.rural and c.seances_semaine >= 1 and c.duree_seance >= 2
    if not (ordinaire or rural):
        m.add("R-FREQUENCE")
    if c.semaines < 27:
        m.add("R-SEMAINES")
    if not c.besoin_repere or not c.accord_parents:
        m.add("R-REPERAGE")
    if c.aide_devoirs_seule:
        m.add("R-AIDE-DEVOIRS")
    if not c.ouvert_parents:
        m.add("R-OUVERT-PARENTS")
    if (
        DIPLOMES.index(d["coordinateur_diplome"]) < DIPLOMES.index("Bac+2")
        or d["coordinateur_experience"] < 1
    ):
        m.add("R-COORDINATION")
    if not d["principes"]:
        m.add("R-PRINCIPES")
    for code, actions in (
        ("R-AXE-ENFANTS", "E1 E2 E3 E4 E5"),
        ("R-AXE-PARENTS", "P1 P2 P3 P4 P5"),
        ("R-AXE-ECOLE", "S1 S2 S3"),
        ("R-AXE-TERRITOIRE", "T1 T2"),
    ):
        if not all(d[a] for a in actions.split()):
            m.add(code)
    cofinancement = sum(d[k] for k in F.COFINANCEMENTS)
    if cofinancement == 0:
        m.add("R-COFINANCEMENT")
    return m


def test_chaque_refus_a_les_motifs_que_ses_donnees_justifient(run):
    resultat, _, _ = run
    c, d = resultat.decisions.collectifs, resultat.decisions.dossiers
    assert len(c) > 100 and (c["decision"] == "REFUS").sum() >= 10
    for ligne in c.itertuples(index=False):
        attendus = motifs_attendus(ligne, d.loc[ligne.fichier])
        obtenus = set(filter(None, ligne.motifs.split("|")))
        assert obtenus == attendus, (ligne.fichier, ligne.code)
        assert ligne.decision == ("REFUS" if attendus else "ACCORD")


def test_la_campagne_livree_couvre_les_motifs(run):
    resultat, _, _ = run
    motifs = set("|".join(resultat.decisions.collectifs["motifs"]).split("|")) - {""}
    assert len(motifs) >= 12  # a realistic mix, not one kind of refusal
