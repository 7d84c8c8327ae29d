"""Timing `campaign envoyer` for `make bench`: N letters to an SMTP server on this machine
(aiosmtpd, a test dependency), without rate limit, then the dry run of the same letters.

The outputs are made up (a ~20 kB PDF per letter, one in ten without an e-mail so that the
post PDF is assembled too): what is timed is the sending, not `run`.

    .venv/bin/python -m tools.bench.envoi [N]
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import socket
import sys
import tempfile
import time
from pathlib import Path

from pypdf import PdfWriter

from campaign.ecrire.courriers.publipostage import COLONNES_PUBLIPOSTAGE, PUBLIPOSTAGE
from campaign.envoyer.envoi import envoyer
from campaign.envoyer.reglages import Options

TOML = """annee = "2026-2027"
[caf]
nom = "Caf de la Drôme"
adresse = ["10 rue Marcel Barbu", "26000 Valence"]
ville = "Valence"
signataire = {{ nom = "Hélène Vasseur", qualite = "Directrice" }}
tribunal = "Tribunal administratif de Grenoble"
[caf.agent]
nom = "Marc Duval"
qualite = "Conseiller"
courriel = "clas@caf26.example"
telephone = "04 75 00 00 00"
[budget]
enveloppe = 299000.00
acompte = 0.70
[envoi]
serveur = "127.0.0.1"
port = {port}
securite = "aucune"
expediteur = "Caf de la Drôme <clas@caf26.example>"
cadence = 1000000
"""


class _Compteur:
    def __init__(self) -> None:
        self.recus = 0

    async def handle_DATA(self, server, session, envelope) -> str:
        self.recus += 1
        return "250 OK"


def _pdf(i: int) -> bytes:
    w = PdfWriter()
    w.add_blank_page(width=595, height=842)
    w.add_metadata({"/Subject": f"courrier {i} " + "x" * 20000})
    tampon = io.BytesIO()
    w.write(tampon)
    return tampon.getvalue()


def _sorties(dossier: Path, sortie: Path, n: int, port: int) -> None:
    dossier.mkdir()
    texte = TOML.format(port=port)
    (dossier / "campagne.toml").write_text(texte, encoding="utf-8")
    (sortie / "courriers").mkdir(parents=True)
    lignes = []
    for i in range(n):
        nom, contenu = f"{i:014d}-porteur-{i}.pdf", _pdf(i)
        (sortie / "courriers" / nom).write_bytes(contenu)
        courriel = "" if i % 10 == 9 else f"contact{i}@porteur{i}.example"
        lignes.append(
            [
                f"dossier_{i:04d}.xlsx",
                f"{i:014d}",
                f"Porteur n° {i}",
                courriel,
                "1 rue de la Paix",
                "26000",
                "Valence",
                f"courriers/{nom}",
                "INCOMPLET",
                "0.00",
                hashlib.sha256(contenu).hexdigest(),
                "DEMANDE-COMPLEMENT",
                "oui",
                "2026-12-01",
                hashlib.sha256(f"vue {i}".encode()).hexdigest(),
            ]
        )
    with (sortie / PUBLIPOSTAGE).open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(COLONNES_PUBLIPOSTAGE)
        w.writerows(lignes)
    produits = [PUBLIPOSTAGE, *(ligne[7] for ligne in lignes)]
    empreintes = {p: hashlib.sha256((sortie / p).read_bytes()).hexdigest() for p in produits}
    (sortie / "manifest.json").write_text(
        json.dumps({"campagne_toml": texte, "entrees": {}, "empreintes_sorties": empreintes}),
        encoding="utf-8",
    )


def mesurer(n: int = 300) -> dict[str, float | int]:
    from aiosmtpd.controller import Controller  # a test dependency: ImportError without it

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    compteur = _Compteur()
    serveur = Controller(compteur, hostname="127.0.0.1", port=port)
    serveur.start()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            dossier, sortie = Path(tmp) / "campagne", Path(tmp) / "sortie"
            _sorties(dossier, sortie, n, port)
            debut = time.perf_counter()
            envoyer(dossier, sortie, Options(), flux=io.StringIO())
            essai = time.perf_counter() - debut
            debut = time.perf_counter()
            envoyer(dossier, sortie, Options(pour_de_vrai=True), flux=io.StringIO())
            envoi = time.perf_counter() - debut
    finally:
        serveur.stop()
    return {"essai": essai, "envoi": envoi, "recus": compteur.recus, "par_la_poste": n // 10}


if __name__ == "__main__":
    m = mesurer(int(sys.argv[1]) if len(sys.argv) > 1 else 300)
    print(json.dumps(m, indent=2))
