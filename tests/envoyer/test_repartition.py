"""Where each letter goes, from publipostage.csv and the journal (no server)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from serveur_smtp import DECISION

from campaign import adresse_courriel as adresse
from campaign.envoyer.courriel import objet
from campaign.envoyer.journal import ENVOYE, POSTE, REFUSE, TENTATIVE, Journal
from campaign.envoyer.reglages import Options
from campaign.envoyer.repartition import repartir
from campaign.lire.campagne import charger_campagne

RACINE = Path(__file__).parents[2]


def test_a_decision_taken_again_is_held_back(tmp_path):
    journal = Journal(tmp_path)
    journal.ajouter(DECISION, TENTATIVE, DECISION.courriel)
    journal.ajouter(DECISION, ENVOYE, DECISION.courriel, 250, "Ok")
    nouvelle = replace(DECISION, empreinte="e2" * 32, date_courrier="2027-03-10")
    r = repartir([nouvelle], journal.lire(), Options(pour_de_vrai=True))
    assert [c for c, _ in r.retenus] == [nouvelle] and r.a_envoyer == []
    assert "daté du 2027-01-20" in r.retenus[0][1]
    r = repartir([nouvelle], journal, Options(pour_de_vrai=True, renvoyer_modifies=True))
    assert [(a.courrier, a.remplace) for a in r.a_envoyer] == [(nouvelle, "2027-01-20")]
    campagne = charger_campagne(RACINE / "inputs" / "2026-2027")
    assert objet(campagne, nouvelle, "2027-01-20") == (
        "CLAS 2026-2027 — Décision — Les Petits Savants (remplace le courrier du 20 janvier 2027)"
    )
    # the same decision again (same empreinte, another date): already gone
    r = repartir([replace(DECISION, date_courrier="2027-02-01")], journal, Options())
    assert len(r.deja_partis) == 1 and r.a_envoyer == []


def test_drafts_never_leave_and_fates(tmp_path):
    journal = Journal(tmp_path)
    brouillon = replace(DECISION, nature="PROPOSITION", envoyable=True)  # even if the CSV says so
    non = replace(DECISION, envoyable=False, siret="1" * 14)
    refuse = replace(DECISION, siret="2" * 14)
    poste = replace(DECISION, siret="3" * 14, courriel="")
    interrompue = replace(DECISION, siret="4" * 14)
    journal.ajouter(refuse, TENTATIVE)
    journal.ajouter(refuse, REFUSE, code=550)
    journal.ajouter(interrompue, TENTATIVE)
    journal.ajouter(replace(DECISION, siret="5" * 14), POSTE)
    r = repartir(
        [brouillon, non, refuse, poste, interrompue, replace(DECISION, siret="5" * 14)],
        journal.lire(),
        Options(),
    )
    assert r.non_envoyables == [brouillon, non]
    assert [(a.courrier, a.raison) for a in r.a_poster] == [(refuse, "REFUSE"), (poste, "SANS-COURRIEL")]
    assert [c for c, _ in r.retenus] == [interrompue] and len(r.deja_partis) == 1


@pytest.mark.parametrize(
    "texte, raison",
    [
        ("sam@asso.example", None),
        ("prenom.nom+clas@centre-social.fr", None),
        ("", "SANS-COURRIEL"),
        ("  ", "SANS-COURRIEL"),
        ("a@b.fr\nc@d.fr", "COURRIEL-INUTILISABLE"),
        ("a@b.fr, c@d.fr", "COURRIEL-INUTILISABLE"),
        ("a@b.fr;c@d.fr", "COURRIEL-INUTILISABLE"),
        ("Sam <sam@asso.fr>", "COURRIEL-INUTILISABLE"),
        ('"sam"@asso.fr', "COURRIEL-INUTILISABLE"),
        ("sam@asso.fr\r\nBcc: x@y.fr", "COURRIEL-INUTILISABLE"),
        ("élodie@asso.fr", "COURRIEL-INUTILISABLE"),
        ("sam@asso", "COURRIEL-INUTILISABLE"),
        ("sam@maison-.example", "COURRIEL-INUTILISABLE"),
        ("sam..x@asso.fr", "COURRIEL-INUTILISABLE"),
        ("sam@asso.fr (bureau)", "COURRIEL-INUTILISABLE"),
    ],
)
def test_address(texte, raison):
    assert adresse.raison(texte) == raison


def test_progress_line_on_a_terminal():
    import io
    import re

    from campaign.envoyer.compte_rendu import Avancement

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    flux = Terminal()
    a = Avancement(3, flux)
    a.avancer()
    a.avancer(echec=True)
    a.avancer(echec=True)
    a.finir()
    texte = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", flux.getvalue())
    assert "Envoi" in texte and "3/3" in texte and "par minute — 2 échecs" in texte
    vide = io.StringIO()
    a = Avancement(3, vide)
    a.avancer()
    a.finir()
    assert a.actif is False and vide.getvalue() == ""  # nothing drawn into a file or a pipe


def test_the_cafs_own_email_template(tmp_path):
    """Looked up in the Caf's folder first; not HTML-escaped; a missing value is an error."""
    from campaign.envoyer import courriel
    from campaign.erreurs import CampaignError

    campagne = charger_campagne(RACINE / "inputs" / "2026-2027")
    propre = tmp_path / "gabarits-caf26"
    propre.mkdir()
    (propre / "courriel.txt.j2").write_text(
        "Bonjour {{ vue.destinataire }} & <b>{{ vue.agent.nom }}</b>\n", encoding="utf-8"
    )
    c = replace(DECISION, destinataire="Les <Petits> & Savants")
    assert (
        courriel.corps(courriel.environnement(propre), campagne, c)
        == "Bonjour Les <Petits> & Savants & <b>Marc Duval</b>\n"
    )
    assert "Marc Duval" in courriel.corps(courriel.environnement(), campagne, c)  # the shipped one
    (propre / "courriel.txt.j2").write_text("{{ vue.inconnu }}", encoding="utf-8")
    with pytest.raises(CampaignError, match=r"courriel\.txt\.j2 .*gabarits-caf26.*n'a pas été envoyé"):
        courriel.corps(courriel.environnement(propre), campagne, c)


def test_compte_rendu_echappe_les_caracteres_de_controle():
    """A file name or a server's reply with terminal escapes is printed escaped, never acted on."""
    import io

    from campaign.envoyer.compte_rendu import Bilan, afficher
    from campaign.envoyer.repartition import Repartition

    piege = replace(DECISION, fichier="a\x1b]0;titre\x07\x1b[2J.xlsx")
    bilan = Bilan(Repartition(envoyables=[piege]), pour_de_vrai=True, refuses=[(piege, "550 non\x1b[31m")])
    flux = io.StringIO()
    afficher(bilan, "2026-2027", "campaign envoyer x", flux)
    texte = flux.getvalue()
    assert "\x1b" not in texte and "\x07" not in texte
    assert "a\\x1b]0;titre\\x07\\x1b[2J.xlsx (courriers/" in texte and "550 non\\x1b[31m" in texte
