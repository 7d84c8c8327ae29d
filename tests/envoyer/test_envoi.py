"""campaign envoyer against a real SMTP server: what it receives, parsed back and checked."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
from pathlib import Path
from zoneinfo import ZoneInfo

from pypdf import PdfReader
from serveur_smtp import COURRIELS_PIEGE, attendus, envoyer, journal, noms_recus, par_courriel, publipostage


def verifier_message(base: Path, octets: bytes, destinataires: list[str] | None = None) -> dict[str, str]:
    """One message parsed back: recipient, subject, attachment == the PDF == its sha256 in
    publipostage.csv, never a draft. -> its publipostage row."""
    from email import message_from_bytes
    from email.policy import default

    m = message_from_bytes(octets, policy=default)
    pieces = list(m.iter_attachments())
    nom = pieces[0].get_filename()
    ligne = next(r for r in publipostage(base) if r["courrier"] == f"courriers/{nom}")
    # a completion request: the operator's pre-filled dossier beside the PDF (issue 25)
    assert len(pieces) == (2 if ligne["classeur"] else 1)
    if ligne["classeur"]:
        classeur = pieces[1]
        assert f"courriers/{classeur.get_filename()}" == ligne["classeur"]
        assert classeur.get_content_type().endswith("spreadsheetml.sheet")
        assert classeur.get_content() == (base / "sortie" / ligne["classeur"]).read_bytes()
    assert ligne["nature"] == "DEMANDE-COMPLEMENT" and ligne["envoyable"] == "oui"
    contenu = pieces[0].get_content()
    assert contenu == (base / "sortie" / ligne["courrier"]).read_bytes()
    assert hashlib.sha256(contenu).hexdigest() == ligne["sha256"]
    assert m["To"] == ligne["courriel"]
    assert m["Subject"] == f"CLAS 2026-2027 — Demande de compléments — {ligne['destinataire']}"
    assert m["Reply-To"] == "clas@caf26.example" and m["Message-ID"]
    paris = dt.datetime.now(ZoneInfo("Europe/Paris")).utcoffset()
    assert m["Date"].datetime.utcoffset() == paris  # the Caf's time, whatever the machine's
    assert "Bcc" not in m and "clas-archives" not in octets.decode("ascii")
    corps = m.get_body(("plain",)).get_content()
    assert "Marc Duval" in corps and "04 75 00 00 00" in corps and "1er décembre 2026" in corps
    assert "avant le 31 décembre 2026" in corps  # the letter's deadline (30 days), said in the e-mail
    if ligne["classeur"]:
        attache = " ".join(corps.split())
        nom_classeur = ligne["classeur"].removeprefix("courriers/")
        assert f"Le classeur joint, {nom_classeur}, est votre propre dossier, prérempli" in attache
        assert "surlignées" in attache and "renvoyez-le-nous" in attache
    if destinataires is not None:
        assert destinataires == [ligne["courriel"], "clas-archives@caf26.example"]
    return ligne


# --- the dry run --------------------------------------------------------------------------


def test_dry_run_sends_nothing_and_writes_every_message(campagne, boite, capsys, monkeypatch):
    monkeypatch.delenv("CAMPAIGN_SMTP_MOT_DE_PASSE")  # the dry run asks no password
    assert envoyer(campagne) == 0
    sortie = capsys.readouterr().out
    assert boite.recus == [] and boite.rcpt_tentes == []
    assert not (campagne / "campagne" / "envois").exists()
    apercus = sorted((campagne / "sortie" / "envoi" / "apercu").iterdir())
    assert sorted(p.name.removesuffix(".eml") + ".pdf" for p in apercus) == attendus(campagne)
    for p in apercus:
        verifier_message(campagne, p.read_bytes())
    assert f"À envoyer maintenant par courriel : {len(apercus)}" in sortie
    assert "ESSAI" in sortie and "--pour-de-vrai" in sortie
    with (campagne / "sortie" / "envoi" / "a_poster.csv").open(encoding="utf-8") as f:
        raisons = {r["fichier"]: r["raison"] for r in csv.DictReader(f)}
    assert raisons["zz_piege.xlsx"] == "COURRIEL-INUTILISABLE"
    assert raisons["zz_sans_courriel.xlsx"] == "SANS-COURRIEL"


# --- sending ------------------------------------------------------------------------------


def test_sends_each_letter_once_and_never_a_draft(campagne, boite, capsys):
    assert envoyer(campagne, "--pour-de-vrai") == 0
    assert noms_recus(boite) == attendus(campagne)
    for recu in boite.recus:
        ligne = verifier_message(campagne, recu.octets, recu.destinataires)
        assert recu.expediteur == "clas@caf26.example" and ligne["nature"] != "PROPOSITION"
    assert not COURRIELS_PIEGE & set(boite.rcpt_tentes)  # never sent to any of them
    lignes = journal(campagne)
    assert [r["resultat"] for r in lignes if r["resultat"] != "POSTE"] == ["TENTATIVE", "ENVOYE"] * len(
        attendus(campagne)
    )
    assert all(r["code_smtp"] == "250" for r in lignes if r["resultat"] == "ENVOYE")
    postes = {r["fichier"] for r in lignes if r["resultat"] == "POSTE"}
    assert {"zz_piege.xlsx", "zz_sans_courriel.xlsx"} <= postes
    assert f"Envoyés par courriel : {len(attendus(campagne))}" in capsys.readouterr().out

    # a second run: nothing sent, nothing printed again
    avant = sorted(p.name for p in (campagne / "campagne" / "envois").iterdir())
    assert envoyer(campagne, "--pour-de-vrai") == 0
    assert len(boite.recus) == len(attendus(campagne))
    assert sorted(p.name for p in (campagne / "campagne" / "envois").iterdir()) == avant
    assert len(journal(campagne)) == len(lignes)
    sortie = capsys.readouterr().out
    assert "Envoyés par courriel : 0" in sortie and "Par la poste : 0" in sortie
    assert f"déjà partis : {len(attendus(campagne)) + len(postes)}" in sortie


def test_post_pdf_every_letter_on_an_odd_page(campagne, boite):
    assert envoyer(campagne, "--pour-de-vrai") == 0
    envois = campagne / "campagne" / "envois"
    (pdf,) = envois.glob("a_poster-*.pdf")
    with pdf.with_suffix(".csv").open(encoding="utf-8") as f:
        lignes = list(csv.DictReader(f))
    assert len(lignes) >= 3
    poste = PdfReader(pdf)
    page = 1
    for ligne in lignes:
        lettre = PdfReader(campagne / "sortie" / ligne["courrier"])
        assert page % 2 == 1
        assert poste.pages[page - 1].extract_text() == lettre.pages[0].extract_text()
        page += len(lettre.pages) + len(lettre.pages) % 2
    assert len(poste.pages) == page - 1
    assert "imprimer" in poste.metadata["/Title"] and "impression" in poste.metadata["/Subject"]
    piege = next(r for r in lignes if r["fichier"] == "zz_piege.xlsx")
    assert piege["attention"] == "Claude Dupont, Présidente" and piege["commune"] == "Crest"


def test_temporary_failure_then_success(campagne, boite):
    boite.comportement.echecs_data = 1
    assert envoyer(campagne, "--pour-de-vrai") == 0
    assert noms_recus(boite) == attendus(campagne)
    resultats = [r["resultat"] for r in journal(campagne)]
    assert resultats[:4] == ["TENTATIVE", "ECHEC-TEMPORAIRE", "TENTATIVE", "ENVOYE"]
    assert journal(campagne)[1]["code_smtp"] == "451"


def test_refused_recipient_goes_to_the_post(campagne, boite, capsys):
    refuse = par_courriel(campagne)[0]
    boite.comportement.refuser[refuse["courriel"]] = "550 5.1.1 Boîte inconnue"
    assert envoyer(campagne, "--pour-de-vrai") == 1
    autres = [
        r["courrier"].removeprefix("courriers/")
        for r in par_courriel(campagne)
        if r["courriel"] != refuse["courriel"]
    ]
    assert noms_recus(boite) == sorted(autres)
    lignes = [r for r in journal(campagne) if r["courrier"] == refuse["courrier"]]
    assert [r["resultat"] for r in lignes] == ["TENTATIVE", "REFUSE", "POSTE"]
    assert lignes[1]["code_smtp"] == "550"
    assert "Refusés par le serveur" in capsys.readouterr().out
    (pdf,) = (campagne / "campagne" / "envois").glob("a_poster-*.csv")
    assert refuse["courrier"] in pdf.read_text(encoding="utf-8")
    # it is not retried by e-mail, nor printed twice
    assert envoyer(campagne, "--pour-de-vrai") == 0
    assert len(boite.recus) == len(autres)


def test_dropped_after_the_data_is_held_never_sent_twice(campagne, boite, capsys):
    """The server took the fourth message, then dropped the connection before answering: it
    may hold it. Not retried: its last row stays TENTATIVE, the sending stops (exit 1); the
    rerun holds it and sends the others; --renvoyer-modifies sends it, once."""
    boite.comportement.couper_au = 4
    assert envoyer(campagne, "--pour-de-vrai") == 1
    assert len(boite.recus) == 4
    sortie = capsys.readouterr().out
    suspendu = next(boite_recu.message for boite_recu in boite.recus[3:])
    nom = next(suspendu.iter_attachments()).get_filename()
    assert "Retenus" in sortie and "remis au serveur sans réponse" in sortie and nom in sortie
    lignes = journal(campagne)
    assert [r["resultat"] for r in lignes if r["courrier"] == f"courriers/{nom}"] == ["TENTATIVE"]
    assert "ECHEC-TEMPORAIRE" not in {r["resultat"] for r in lignes}

    assert envoyer(campagne, "--pour-de-vrai") == 1  # held: a person checks the mailbox
    assert "remis au serveur sans réponse" in capsys.readouterr().out
    assert noms_recus(boite) == attendus(campagne)  # each letter once, that one included
    assert envoyer(campagne, "--pour-de-vrai", "--renvoyer-modifies") == 0
    assert noms_recus(boite).count(nom) == 2 and len(boite.recus) == len(attendus(campagne)) + 1
    assert envoyer(campagne, "--pour-de-vrai", "--renvoyer-modifies") == 0
    assert len(boite.recus) == len(attendus(campagne)) + 1


def test_a_server_that_stops_answering_stops_the_sending(campagne, boite, capsys):
    """Dropped before the data, retried, then the sending stops: the next letters are not
    each retried for minutes."""
    boite.comportement.couper_au_rcpt = True
    assert envoyer(campagne, "--pour-de-vrai") == 1
    lignes = journal(campagne)
    assert {r["courrier"] for r in lignes if r["resultat"] != "POSTE"} == {lignes[0]["courrier"]}
    assert [r["resultat"] for r in lignes if r["resultat"] != "POSTE"] == [
        "TENTATIVE",
        "ECHEC-TEMPORAIRE",
    ] * 4
    assert "ne répond plus" in capsys.readouterr().out
    assert boite.recus == []
    boite.comportement.couper_au_rcpt = False
    assert envoyer(campagne, "--pour-de-vrai") == 0  # later: everything, that one included
    assert noms_recus(boite) == attendus(campagne)


def test_pdf_changed_by_hand_sends_nothing(campagne, boite, capsys):
    change = par_courriel(campagne)[1]
    chemin = campagne / "sortie" / change["courrier"]
    chemin.write_bytes(chemin.read_bytes() + b"%")
    for options in ((), ("--pour-de-vrai",)):
        assert envoyer(campagne, *options) == 2
        err = capsys.readouterr().err
        assert change["courrier"].removeprefix("courriers/") in err and "relancez make campaign" in err
    assert boite.recus == [] and boite.rcpt_tentes == [] and journal(campagne) == []


def test_workbook_changed_by_hand_sends_nothing(campagne, boite, capsys):
    """The pre-filled dossier attached to a completion request is checked against manifest.json
    like its PDF (envoi.md §6)."""
    change = next(r for r in par_courriel(campagne) if r["classeur"])
    chemin = campagne / "sortie" / change["classeur"]
    chemin.write_bytes(chemin.read_bytes() + b"\0")
    for options in ((), ("--pour-de-vrai",)):
        assert envoyer(campagne, *options) == 2
        err = capsys.readouterr().err
        assert change["classeur"].removeprefix("courriers/") in err and "relancez make campaign" in err
    assert boite.recus == [] and boite.rcpt_tentes == [] and journal(campagne) == []


def test_every_completion_request_sends_its_workbook(campagne, boite):
    assert envoyer(campagne, "--pour-de-vrai") == 0
    lignes = [r for r in par_courriel(campagne) if r["nature"] == "DEMANDE-COMPLEMENT"]
    assert lignes and all(r["classeur"] == r["courrier"].removesuffix(".pdf") + ".xlsx" for r in lignes)
    recus = [verifier_message(campagne, recu.octets) for recu in boite.recus]
    assert {r["classeur"] for r in recus} == {r["classeur"] for r in lignes}


def test_publipostage_edited_by_hand_sends_nothing(campagne, boite, capsys):
    """A draft marked sendable and another address typed in: refused before anything, and the
    run puts the file back as it was."""
    from campaign.cli import main

    chemin = campagne / "sortie" / "publipostage.csv"
    lignes = publipostage(campagne)
    for r in lignes:
        r["envoyable"], r["courriel"] = "oui", "pirate@ailleurs.example"
    with chemin.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(lignes[0]))
        w.writeheader()
        w.writerows(lignes)
    for options in ((), ("--pour-de-vrai",)):
        assert envoyer(campagne, *options) == 2
        err = capsys.readouterr().err
        assert "publipostage.csv" in err and "relancez make campaign" in err
    assert boite.recus == [] and boite.rcpt_tentes == []
    assert not (campagne / "sortie" / "envoi" / "apercu").exists()
    assert main(["run", str(campagne / "campagne"), "--out", str(campagne / "sortie")]) == 1
    assert envoyer(campagne, "--pour-de-vrai") == 0
    assert "pirate@ailleurs.example" not in boite.rcpt_tentes
    assert noms_recus(boite) == attendus(campagne)


def test_limite_then_the_rest(campagne, boite, capsys):
    assert envoyer(campagne, "--pour-de-vrai", "--limite", "2") == 0
    assert len(boite.recus) == 2
    assert "Limite --limite atteinte" in capsys.readouterr().out
    assert envoyer(campagne, "--pour-de-vrai") == 0
    assert noms_recus(boite) == attendus(campagne)


def test_seulement(campagne, boite, capsys):
    choisi = par_courriel(campagne)[0]
    assert envoyer(campagne, "--pour-de-vrai", "--seulement", choisi["siret"]) == 0
    assert {r.destinataires[0] for r in boite.recus} == {choisi["courriel"]}
    assert envoyer(campagne, "--seulement", "12345678901234") == 2
    assert "12345678901234" in capsys.readouterr().err


def test_attachment_and_headers_survive_a_hostile_name(campagne, boite):
    """The operator's name reaches the subject only with its control characters replaced."""
    from campaign.envoyer.courriel import objet
    from campaign.envoyer.publipostage import lire
    from campaign.lire.campagne import charger_campagne

    c = lire(campagne / "sortie")[0]
    hostile = c.__class__(**{**c.__dict__, "destinataire": "A\r\nBcc: x@evil.example\x00" + "é" * 200})
    texte = objet(charger_campagne(campagne / "campagne"), hostile)
    assert "\n" not in texte and "\r" not in texte and "\x00" not in texte
    assert texte.endswith("A Bcc: x@evil.example " + "é" * 58)


def test_a_refused_bcc_changes_nothing(campagne, boite):
    boite.comportement.refuser["clas-archives@caf26.example"] = "550 5.1.1 Archives pleines"
    assert envoyer(campagne, "--pour-de-vrai") == 0
    assert noms_recus(boite) == attendus(campagne)
    assert all(r.destinataires == [r.message["To"]] for r in boite.recus)
