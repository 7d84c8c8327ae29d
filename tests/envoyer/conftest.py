"""The session's SMTP server on 127.0.0.1 (STARTTLS with a certificate from a test CA, login
required), and a campagne whose outputs point at it.

The server lives for the whole session on one free port, so that the campagne (whose
`campagne.toml` names that port, and whose manifest records `campagne.toml`) is run once;
each test copies the campagne and its outputs, and sets the server's behaviour.
"""

from __future__ import annotations

import shutil
import ssl

import pytest
import trustme
from aiosmtpd.controller import Controller
from classeurs import ecrire_classeur
from serveur_scripte import Scripte
from serveur_smtp import (
    DATE,
    EN_PLUS,
    LIVREE,
    MOT_DE_PASSE,
    UTILISATEUR,
    Boite,
    Comportement,
    _authentifier,
    port_libre,
    siret,
)


@pytest.fixture(scope="session")
def ac():
    return trustme.CA()


@pytest.fixture(scope="session")
def serveur(ac):
    contexte = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ac.issue_cert("127.0.0.1", "localhost").configure_cert(contexte)
    boite = Boite()
    controleur = Controller(
        boite,
        hostname="127.0.0.1",
        port=port_libre(),
        tls_context=contexte,
        require_starttls=True,
        auth_required=True,
        auth_require_tls=True,
        authenticator=_authentifier,
    )
    controleur.start()
    yield controleur
    controleur.stop()


@pytest.fixture
def boite(serveur) -> Boite:
    """The session's server, emptied and well-behaved for this test."""
    b: Boite = serveur.handler
    b.comportement, b.recus, b.rcpt_tentes, b.datas = Comportement(), [], [], 0
    return b


def _campagne(base, envoi: str, fichiers: list) -> None:
    """A campagne (those shipped dossiers, plus EN_PLUS) whose [envoi] is `envoi`, and its outputs."""
    from campaign.cli import main

    dossier = base / "campagne"
    dossier.mkdir(exist_ok=True)
    for f in fichiers:
        shutil.copy2(f, dossier / f.name)
    for i, (nom_fichier, (nom, courriel)) in enumerate(EN_PLUS.items()):
        ecrire_classeur(
            dossier / nom_fichier,
            sans=("Budget",),
            porteur={
                "nom": nom,
                "siret": siret(f"7328293201{i:03d}"),
                "contact_courriel": courriel,
                "adresse": f"{i + 2} place de la Liberté",
                "commune": "Crest",
                "code_postal": "26400",
            },
        )
    toml = (LIVREE / "campagne.toml").read_text(encoding="utf-8").partition("\n[envoi]")[0]
    (dossier / "campagne.toml").write_text(f"{toml}\n[envoi]\n{envoi}", encoding="utf-8")
    assert main(["run", str(dossier), "--out", str(base / "sortie"), "--date-courrier", DATE]) == 1


@pytest.fixture(scope="session")
def modele(tmp_path_factory, serveur, ac):
    """The campagne (a part of the shipped one, plus EN_PLUS) and its outputs, run once."""
    base = tmp_path_factory.mktemp("envoi")
    (base / "campagne" / "certificats").mkdir(parents=True)
    ac.cert_pem.write_to_path(str(base / "campagne" / "certificats" / "ac-caf.pem"))
    _campagne(
        base,
        f"""serveur = "127.0.0.1"
port = {serveur.port}
securite = "starttls"
utilisateur = "{UTILISATEUR}"
expediteur = "Caf de la Drôme <clas@caf26.example>"
copie_cachee = "clas-archives@caf26.example"
cadence = 60000
autorite = "certificats/ac-caf.pem"
""",
        sorted(LIVREE.glob("defaut_*.xlsx")) + sorted(LIVREE.glob("dossier_00[1-3]_*.xlsx")),
    )
    return base


@pytest.fixture(scope="session")
def scripte():
    """The scripted server (serveur_scripte): faults on demand, no TLS, on this machine."""
    serveur = Scripte(UTILISATEUR, MOT_DE_PASSE)
    yield serveur
    serveur.fermer()


@pytest.fixture(scope="session")
def modele_scripte(tmp_path_factory, scripte):
    """A small campagne (EN_PLUS: three letters by e-mail) sending to the scripted server."""
    base = tmp_path_factory.mktemp("envoi-scripte")
    _campagne(
        base,
        f"""serveur = "127.0.0.1"
port = {scripte.port}
securite = "aucune"
utilisateur = "{UTILISATEUR}"
expediteur = "Caf de la Drôme <clas@caf26.example>"
cadence = 60000
""",
        [],
    )
    return base


@pytest.fixture
def campagne_scriptee(modele_scripte, scripte, tmp_path, monkeypatch):
    """A fresh copy of that campagne; the server emptied and well-behaved."""
    shutil.copytree(modele_scripte / "campagne", tmp_path / "campagne")
    shutil.copytree(modele_scripte / "sortie", tmp_path / "sortie")
    monkeypatch.setenv("CAMPAIGN_SMTP_MOT_DE_PASSE", MOT_DE_PASSE)
    scripte.remettre_a_zero()
    return tmp_path


@pytest.fixture
def campagne(modele, tmp_path, monkeypatch):
    """A fresh copy of the campagne and its outputs; the password in the environment."""
    shutil.copytree(modele / "campagne", tmp_path / "campagne")
    shutil.copytree(modele / "sortie", tmp_path / "sortie")
    monkeypatch.setenv("CAMPAIGN_SMTP_MOT_DE_PASSE", MOT_DE_PASSE)
    return tmp_path
