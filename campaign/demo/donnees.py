"""Word lists for the synthetic campagne (campaign/demo.py): a Drôme-like department.

All organisations and people are invented; communes are real places, used for realism.
"""

from __future__ import annotations

# (commune, code postal, rural)
COMMUNES = (
    ("Valence", "26000", False),
    ("Romans-sur-Isère", "26100", False),
    ("Montélimar", "26200", False),
    ("Pierrelatte", "26700", False),
    ("Bourg-de-Péage", "26300", False),
    ("Bourg-lès-Valence", "26500", False),
    ("Portes-lès-Valence", "26800", False),
    ("Crest", "26400", False),
    ("Livron-sur-Drôme", "26250", False),
    ("Loriol-sur-Drôme", "26270", False),
    ("Saint-Vallier", "26240", False),
    ("Tain-l'Hermitage", "26600", False),
    ("Saint-Paul-Trois-Châteaux", "26130", False),
    ("Chabeuil", "26120", False),
    ("Donzère", "26290", False),
    ("Saint-Rambert-d'Albon", "26140", False),
    ("Étoile-sur-Rhône", "26800", False),
    ("Nyons", "26110", True),
    ("Die", "26150", True),
    ("Dieulefit", "26220", True),
    ("Buis-les-Baronnies", "26170", True),
    ("Châtillon-en-Diois", "26410", True),
    ("Saillans", "26340", True),
    ("Séderon", "26560", True),
    ("Saint-Jean-en-Royans", "26190", True),
    ("La Chapelle-en-Vercors", "26420", True),
    ("Hauterives", "26390", True),
    ("Saint-Donat-sur-l'Herbasse", "26260", True),
    ("Luc-en-Diois", "26310", True),
    ("Rémuzat", "26510", True),
)

# A word of an operator's name -> the commune it is based in.
ANCRAGES = (
    ("Diois", "Die"),
    ("Baronnies", "Buis-les-Baronnies"),
    ("Royans", "Saint-Jean-en-Royans"),
    ("Tricastin", "Saint-Paul-Trois-Châteaux"),
    ("Fontbarlettes", "Valence"),
    ("Polygone", "Valence"),
    ("Baumes", "Valence"),
    ("Chamberlière", "Valence"),
    ("Saillans", "Saillans"),
    ("Dieulefit", "Dieulefit"),
    ("Vercors", "La Chapelle-en-Vercors"),
)

ASSOCIATIONS = (
    "Association Trait d'Union",
    "Réussir Ensemble",
    "L'Atelier des Savoirs",
    "Entraide & Partage",
    "Les Cartables Solidaires",
    "Coup de Pouce Scolaire 26",
    "Association Élan Jeunesse",
    "Amicale laïque des Baumes",
    "Lire & Grandir",
    "Association Passerelles Éducatives",
    "Les Petits Curieux",
    "Savoirs Partagés en Diois",
    "Association Horizons Quartiers",
    "La Clé des Mots",
    "Accueil & Devoirs",
    "Association Rencontres Nord-Sud",
    "Familles Rurales des Baronnies",
    "L'Envol du Royans",
    "Association Tremplin",
    "Les Ateliers d'Éloïse",
    "Culture & Loisirs du Tricastin",
    "Association Grandir à Fontbarlettes",
    "Ensemble pour l'École",
    "La Boussole",
    "Association Régie de quartier Est",
    "Les Amis de la Médiathèque",
    "Vivre Ensemble à Nyons",
    "Association Main dans la Main",
    "Sport & Savoirs Drôme",
    "L'Arbre à Palabres",
)
CENTRES_SOCIAUX = (
    "Centre social Le Tricot",
    "Centre social La Passerelle",
    "Centre social des Baumes",
    "Centre social Léo Lagrange",
    "Centre social Coluche",
    "Centre social La Maison Bleue",
    "Espace de vie sociale Le Moulin",
    "Centre social Louise Michel",
    "Centre social & culturel du Diois",
    "Centre social Aragon",
    "Maison pour tous du Polygone",
    "Centre social Les Alpilles",
)
COMMUNES_PORTEUSES = ("Ville de {c}", "Commune de {c}", "Mairie de {c} – service enfance")
INTERCOMMUNALITES = (
    "Communauté de communes du Diois",
    "Communauté de communes des Baronnies en Drôme provençale",
    "Communauté de communes Royans-Vercors",
    "Dieulefit-Bourdeaux Communauté de communes",
)
AUTRES = (
    "MJC Boris Vian",
    "MJC Robert Martin",
    "Foyer rural de Saillans",
    "Maison de quartier Chamberlière",
    "Fédération des œuvres laïques – antenne Sud",
)

RUES = (
    "rue Jean Jaurès",
    "avenue Victor Hugo",
    "place de la République",
    "rue des Écoles",
    "boulevard Gambetta",
    "rue Pasteur",
    "chemin des Mûriers",
    "allée des Tilleuls",
    "rue du Temple",
    "avenue de Romans",
    "rue Émile Zola",
    "place de la Mairie",
)
LIEUX = (
    "École élémentaire Jean Moulin",
    "École Paul Bert",
    "Collège Émile Loubet",
    "Collège Jean Macé",
    "Médiathèque",
    "Salle polyvalente",
    "Local associatif",
    "Maison de quartier",
    "Centre social – salle 2",
    "Salle des fêtes",
    "Bibliothèque municipale",
    "Espace jeunes",
    "École du Centre",
    "Lycée Camille Vernet",
)

QUALITES = {
    "Association": ("Président", "Présidente", "Co-présidente"),
    "Centre social": ("Président", "Présidente", "Directeur", "Directrice"),
    "Commune": ("Maire", "Adjointe au maire déléguée à l'éducation", "Maire"),
    "Intercommunalité": ("Président", "Vice-présidente enfance-jeunesse"),
    "Autre": ("Président", "Directrice", "Directeur"),
}

# Level ranges of a collectif (niveau_min, niveau_max) and their weight.
TRANCHES = (
    (("CP", "CE2"), 4),
    (("CE1", "CM2"), 4),
    (("CP", "CM2"), 3),
    (("CM1", "CM2"), 2),
    (("6e", "5e"), 3),
    (("6e", "3e"), 3),
    (("4e", "3e"), 2),
    (("2nde", "Terminale"), 1),
)

# The defect files, one defect each (demo.py writes them as defaut_<name>.xlsx).
DEFAUTS = (
    "libelle_retape",
    "oui_x",
    "montant_texte",
    "duree_texte",
    "ligne_vide",
    "nom_feuille",
    "sans_budget",
    "mot_nombre",
    "date_impossible",
    "siret_doublon_a",
    "siret_doublon_b",
)
INCOMPLETS = (
    "sans_budget",
    "mot_nombre",
    "date_impossible",
    "siret_doublon_a",
    "siret_doublon_b",
)  # the defects that make a dossier INCOMPLET
# defect -> the cells it overwrites (sheet, cell, value); the other defects are structural:
# ligne_vide (Collectifs row 3 left empty), nom_feuille, sans_budget, siret_doublon_a/b.
CELLULES_DEFAUTS = {
    "libelle_retape": (("Porteur", "A1", "NOM DE LA STRUCTURE"), ("Collectifs", "F1", "Nombre d'enfants :")),
    "oui_x": (("Projet", "E1", "oui "), ("Collectifs", "P2", "X")),  # a field key: its answer
    "montant_texte": (("Budget", "C60", "1 200 €"),),
    "duree_texte": (("Collectifs", "L2", "1h30"),),
    "mot_nombre": (("Collectifs", "F3", "douze"),),
    "date_impossible": (("Collectifs", "O2", "31/02/2027"),),
}

# Co-funders of the budget (line code, weight) and how often each bonus answer is Oui.
COFINANCEURS = (
    ("P74-COMMUNE", 8),
    ("P74-DEPARTEMENT", 4),
    ("P74-ETAT", 3),
    ("P74-EPCI", 2),
    ("P74-AUTRES", 2),
    ("P74-REGION", 1),
    ("P74-ORGANISMES", 1),
    ("P74-EUROPE", 1),
)
BONUS_PROBABILITES = (
    ("be_projet", 0.65),
    ("be_materiel", 0.5),
    ("be_intervenants", 0.35),
    ("be_sorties", 0.55),
    ("bp_projet", 0.5),
    ("bp_intervenants", 0.3),
    ("bp_actions", 0.4),
    ("bp_public", 0.3),
)

# Collectif-level reasons for a REFUS (rule of referentiel.md §4) and dossier-level ones.
REFUS_COLLECTIF = (
    "trop_enfants",
    "trop_peu",
    "encadrement",
    "frequence",
    "rural_frequence",
    "semaines_26",
    "aide_devoirs",
    "ferme_parents",
    "sans_reperage",
    "maternelle",
)
REFUS_DOSSIER = ("sans_cofinancement", "diplome_bas", "sans_experience", "axe_incomplet", "principes")
