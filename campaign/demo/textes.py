"""The demo campagne's non-dossier files: notes, a scanned letter, its campagne.toml."""

NOTES_TXT = """Notes – campagne CLAS {annee}

- Relancer la MJC pour le budget (manque la ligne 64).
- Le centre social a renvoyé son dossier deux fois (version corrigée ?) : vérifier le SIRET.
- Courrier reçu par la poste et scanné : scan_courrier.xlsx (ce n'est pas un tableur).
- Comité technique prévu fin septembre.
"""

SCAN_COURRIER = """Madame, Monsieur,

Veuillez trouver ci-joint notre demande de financement au titre du CLAS pour l'année
scolaire {annee}. Le dossier papier a été déposé à l'accueil de la Caf.

Cordialement,
Le secrétariat
"""

CAMPAGNE_TOML = """annee = "{annee}"

[caf]
nom = "Caf de la Drôme (démonstration)"
adresse = ["10 rue Marcel Barbu", "26000 Valence"]
ville = "Valence"
signataire = {{ nom = "Hélène Vasseur", qualite = "Directrice" }}
agent = {{ nom = "Marc Duval", qualite = "Conseiller technique parentalité", \
courriel = "clas@caf26.example", telephone = "04 75 00 00 00" }}
tribunal = "Tribunal administratif de Grenoble"

[budget]
enveloppe = {enveloppe:.2f}
acompte = 0.70
bilan_avant = 2027-09-30

[regles]
axes = "toutes_actions"
ecretement = true
seuil_part_caf = 0.80
date_debut_preconisee = 2026-11-02
date_fin_preconisee = 2027-06-15

[envoi]
serveur = "smtp.caf26.example"
utilisateur = "clas@caf26.example"
expediteur = "Caf de la Drôme <clas@caf26.example>"
{suite}"""

# the committee's choice when the requests exceed the envelope, and last year's outputs
ARBITRAGE_ET_HISTORIQUE = """
[arbitrage]
mode = "plafond_porteur"

[historique]
precedente = "{precedente}"
"""
