"""The operator dossier as data: sheets, fields, labels, types and lists (dossier.md §3-§5).

Everything that reads or writes a dossier (the reader, the validation, the blank template,
the demo generator) takes its layout from here, so that there is one description of it.
"""

from __future__ import annotations

from dataclasses import dataclass

STATUTS = ("Association", "Commune", "Intercommunalité", "Centre social", "Autre")
DIPLOMES = ("Sans diplôme", "CAP/BEP", "Bac", "Bac+2", "Bac+3", "Bac+4", "Bac+5 et plus")
NIVEAUX = (
    "Maternelle",
    "CP",
    "CE1",
    "CE2",
    "CM1",
    "CM2",
    "6e",
    "5e",
    "4e",
    "3e",
    "2nde",
    "1re",
    "Terminale",
    "Post-bac",
)
OUI_NON = ("Oui", "Non")


@dataclass(frozen=True)
class Champ:
    """One field of the dossier: its key, its French label and how its value is read."""

    cle: str
    libelle: str
    type: str  # texte, siret, rna, code_postal, courriel, choix, entier, ouinon, date, duree, montant
    requis: bool = True
    choix: tuple[str, ...] = ()
    aide: str = ""


def _c(cle, libelle, type_="texte", requis=True, choix=(), aide=""):
    return Champ(cle, libelle, type_, requis, tuple(choix), aide)


PORTEUR = (
    _c("nom", "Nom de la structure", aide="Nom exact de l'organisme porteur."),
    _c("siret", "SIRET", "siret", aide="14 chiffres, espaces permis."),
    _c("statut", "Statut juridique", "choix", choix=STATUTS),
    _c("rna", "N° RNA", "rna", requis=False, aide="W suivi de 9 chiffres (associations)."),
    _c("adresse", "Adresse"),
    _c("code_postal", "Code postal", "code_postal", aide="5 chiffres."),
    _c("commune", "Commune"),
    _c("representant", "Représentant légal"),
    _c("representant_qualite", "Qualité du représentant légal"),
    _c("contact_nom", "Personne à contacter"),
    _c("contact_courriel", "Courriel", "courriel"),
    _c("contact_telephone", "Téléphone", requis=False),
    _c("coordinateur_nom", "Nom du coordinateur"),
    _c("coordinateur_diplome", "Diplôme le plus élevé du coordinateur", "choix", choix=DIPLOMES),
    _c(
        "coordinateur_experience",
        "Expérience du coordinateur (années)",
        "entier",
        aide="Nombre entier d'années.",
    ),
    _c("premiere_demande", "Première demande", "ouinon"),
    _c("pluriannuel", "Projet pluriannuel", "ouinon"),
    _c("principes", "Engagement à respecter les principes de la charte", "ouinon"),
    _c("formation", "Inscription aux formations du comité technique", "ouinon"),
    _c("date_signature", "Date de signature", "date", aide="Par exemple 15/06/2026."),
)

AXES = {
    "enfants": ("E1", "E2", "E3", "E4", "E5"),
    "parents": ("P1", "P2", "P3", "P4", "P5"),
    "ecole": ("S1", "S2", "S3"),
    "territoire": ("T1", "T2"),
}

PROJET = (
    _c("E1", "Appui et méthodologie au travail scolaire", "ouinon"),
    _c("E2", "Ouverture culturelle : ressources locales et sorties", "ouinon"),
    _c("E3", "Développement des capacités de vie collective", "ouinon"),
    _c("E4", "Valorisation des compétences et de l'entraide", "ouinon"),
    _c("E5", "Suivi régulier des présences", "ouinon"),
    _c("P1", "Information des parents à l'inscription", "ouinon"),
    _c("P2", "Temps de convivialité enfants/parents", "ouinon"),
    _c("P3", "Compréhension des codes de l'école", "ouinon"),
    _c("P4", "Orientation vers les partenaires du territoire", "ouinon"),
    _c("P5", "Échanges réguliers avec les parents", "ouinon"),
    _c("S1", "Relations avec les établissements scolaires", "ouinon"),
    _c("S2", "Collaboration avec les équipes éducatives pour l'orientation", "ouinon"),
    _c("S3", "Réunion de concertation avec l'école (lancement et bilan)", "ouinon"),
    _c("T1", "Relations avec les associations et partenaires", "ouinon"),
    _c("T2", "Dynamique de partenariat local", "ouinon"),
)

BUDGET = (
    _c("C60", "60 - Achats", "montant", requis=False),
    _c("C61", "61 - Services extérieurs", "montant", requis=False),
    _c("C62", "62 - Autres services extérieurs", "montant", requis=False),
    _c("C63", "63 - Impôts et taxes", "montant", requis=False),
    _c("C64", "64 - Charges de personnel", "montant", requis=False),
    _c("C65", "65 - Autres charges de gestion courante", "montant", requis=False),
    _c("C66", "66 - Charges financières", "montant", requis=False),
    _c("C67", "67 - Charges exceptionnelles", "montant", requis=False),
    _c("C68", "68 - Dotations aux amortissements", "montant", requis=False),
    _c("CI", "Charges indirectes affectées à l'action", "montant", requis=False),
    _c("PSF", "Dont charges de postes financés par une PS à la fonction", "montant", requis=False),
    _c("C86", "86 - Contributions volontaires en nature (bénévolat...)", "montant", requis=False),
    _c("P70", "70 - Participation des familles et ventes", "montant", requis=False),
    _c("P73", "73 - Dotations et produits de tarification", "montant", requis=False),
    _c("P74-ETAT", "74 - Subvention État", "montant", requis=False),
    _c("P74-REGION", "74 - Subvention Région", "montant", requis=False),
    _c("P74-DEPARTEMENT", "74 - Subvention Département", "montant", requis=False),
    _c("P74-EPCI", "74 - Subvention Intercommunalité", "montant", requis=False),
    _c("P74-COMMUNE", "74 - Subvention Commune(s)", "montant", requis=False),
    _c("P74-CAF-CLAS", "74 - Caf : prestation de service CLAS et bonus demandés", "montant", requis=False),
    _c("P74-CAF-AUTRE", "74 - Caf : autres financements", "montant", requis=False),
    _c("P74-ORGANISMES", "74 - Autres organismes sociaux", "montant", requis=False),
    _c("P74-EUROPE", "74 - Fonds européens", "montant", requis=False),
    _c("P74-AUTRES", "74 - Autres subventions (fondations...)", "montant", requis=False),
    _c("P75", "75 - Autres produits de gestion courante", "montant", requis=False),
    _c("P76", "76 - Produits financiers", "montant", requis=False),
    _c("P77", "77 - Produits exceptionnels", "montant", requis=False),
    _c("P78", "78 - Reprises sur amortissements et provisions", "montant", requis=False),
    _c("P87", "87 - Contributions volontaires en nature", "montant", requis=False),
)
CHARGES = ("C60", "C61", "C62", "C63", "C64", "C65", "C66", "C67", "C68", "CI")
PRODUITS = tuple(c.cle for c in BUDGET if c.cle.startswith("P") and c.cle != "PSF")
COFINANCEMENTS = (
    "P74-ETAT",
    "P74-REGION",
    "P74-DEPARTEMENT",
    "P74-EPCI",
    "P74-COMMUNE",
    "P74-ORGANISMES",
    "P74-EUROPE",
    "P74-AUTRES",
)

COLLECTIFS = (
    _c("code", "Code collectif", aide="Un code court et unique, par exemple C1."),
    _c("lieu", "Lieu d'accueil"),
    _c("commune", "Commune"),
    _c("niveau_min", "Niveau le plus bas", "choix", choix=NIVEAUX),
    _c("niveau_max", "Niveau le plus haut", "choix", choix=NIVEAUX),
    _c("enfants", "Nombre d'enfants", "entier"),
    _c("enfants_handicap", "Dont enfants en situation de handicap", "entier"),
    _c("rural", "Milieu rural", "ouinon"),
    _c("intervenants_salaries", "Intervenants salariés", "entier"),
    _c("intervenants_benevoles", "Intervenants bénévoles", "entier"),
    _c("seances_semaine", "Séances par semaine", "entier"),
    _c("duree_seance", "Durée d'une séance", "duree", aide="En heures : 1h30, 1,5 ou 90 min."),
    _c("semaines", "Nombre de semaines", "entier"),
    _c("date_debut", "Date de début", "date"),
    _c("date_fin", "Date de fin", "date"),
    _c("besoin_repere", "Besoin repéré au préalable", "ouinon"),
    _c("accord_parents", "Accord des parents", "ouinon"),
    _c("aide_devoirs_seule", "Aide aux devoirs exclusivement", "ouinon"),
    _c("ouvert_parents", "Accessible aux parents", "ouinon"),
    _c("be_projet", "Bonus enfants : projet socio-éducatif structuré", "ouinon"),
    _c("be_materiel", "Bonus enfants : matériel pédagogique spécifique", "ouinon"),
    _c("be_intervenants", "Bonus enfants : intervenants extérieurs rémunérés", "ouinon"),
    _c("be_sorties", "Bonus enfants : sorties culturelles", "ouinon"),
    _c("bp_projet", "Bonus parents : projet d'accompagnement des parents", "ouinon"),
    _c("bp_intervenants", "Bonus parents : intervenants extérieurs rémunérés", "ouinon"),
    _c("bp_actions", "Bonus parents : actions spécifiques (droits, orientation, numérique)", "ouinon"),
    _c("bp_public", "Bonus parents : public allophone, illettrisme, AEF", "ouinon"),
)

COLLECTIFS_MAX = 30  # referentiel.md §1: a dossier has 1 to 30 collectifs

# Sheet name -> its fields. The order is the order of the blank dossier.
FEUILLES = {"Porteur": PORTEUR, "Projet": PROJET, "Collectifs": COLLECTIFS, "Budget": BUDGET}

CHAMPS = {(feuille, c.cle): c for feuille, champs in FEUILLES.items() for c in champs}
