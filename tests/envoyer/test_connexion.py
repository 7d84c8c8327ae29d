"""The SMTP session alone: implicit TLS, no TLS on this machine, certificates verified."""

from __future__ import annotations

import ssl
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from serveur_smtp import MOT_DE_PASSE, UTILISATEUR, Boite, port_libre

from campaign.envoyer.connexion import Connexion
from campaign.envoyer.journal import ENVOYE, REFUSE
from campaign.lire.campagne import Envoi


def _envoi(port: int, securite: str, autorite: Path | None = None, utilisateur: str | None = None) -> Envoi:
    return Envoi("127.0.0.1", port, securite, utilisateur, "Caf <clas@caf26.example>", None, 30, autorite)


MESSAGE = b"From: clas@caf26.example\r\nTo: sam@asso.example\r\nSubject: essai\r\n\r\nBonjour.\r\n"


def test_no_tls_on_this_machine():
    boite = Boite()
    serveur = Controller(boite, hostname="127.0.0.1", port=port_libre())
    serveur.start()
    try:
        cnx = Connexion(_envoi(serveur.port, "aucune"), None)
        cnx.ouvrir()
        boite.comportement.refuser["inconnu@asso.example"] = "550 5.1.1 Inconnu"
        assert cnx.remettre("clas@caf26.example", "sam@asso.example", [], MESSAGE).resultat == ENVOYE
        r = cnx.remettre("clas@caf26.example", "inconnu@asso.example", [], MESSAGE)
        assert (r.resultat, r.code) == (REFUSE, 550)
        cnx.fermer()
    finally:
        serveur.stop()
    assert [r.destinataires for r in boite.recus] == [["sam@asso.example"]]


def test_implicit_tls(ac, tmp_path):
    contexte = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ac.issue_cert("127.0.0.1").configure_cert(contexte)
    boite = Boite()
    serveur = Controller(boite, hostname="127.0.0.1", port=port_libre(), ssl_context=contexte)
    serveur.start()
    try:
        pem = tmp_path / "ac.pem"
        ac.cert_pem.write_to_path(str(pem))
        cnx = Connexion(_envoi(serveur.port, "ssl", pem), None)
        cnx.ouvrir()
        assert cnx.remettre("clas@caf26.example", "sam@asso.example", [], MESSAGE).resultat == ENVOYE
        cnx.fermer()
    finally:
        serveur.stop()
    assert len(boite.recus) == 1


def test_certificates_are_always_verified(serveur, boite):
    """The session's server has a certificate from the tests' CA: unknown to the system."""
    cnx = Connexion(_envoi(serveur.port, "starttls", utilisateur=UTILISATEUR), MOT_DE_PASSE)
    with pytest.raises(ssl.SSLCertVerificationError):
        cnx.ouvrir()
    assert boite.recus == []
