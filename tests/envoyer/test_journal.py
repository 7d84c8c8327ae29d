"""The journal read strictly (envoi.md §6): exactly what the program wrote, or a sentence naming
the line and nothing started; the one remedy, a cut last line set aside by --reparer-journal."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from serveur_smtp import DECISION as LETTRE

from campaign.cli import main
from campaign.envoyer.journal import COLONNES, ECHEC, ENVOYE, POSTE, REFUSE, TENTATIVE, Journal, neutraliser
from campaign.erreurs import CampaignError


def _reel(dossier: Path) -> bytes:
    """A journal as a sending writes it: attempts, a retry, a refusal, the post, a hostile name."""
    journal = Journal(dossier)
    piege = replace(LETTRE, fichier='=HYPERLINK("http://x"),\n"a".xlsx', siret="", courrier="courriers/p.pdf")
    autre = replace(LETTRE, fichier="b.xlsx", siret="73282932000082", empreinte="e2" * 32)
    for courrier, resultats in (
        (LETTRE, (TENTATIVE, ENVOYE)),
        (autre, (TENTATIVE, ECHEC, TENTATIVE, REFUSE, POSTE)),
    ):
        for resultat in resultats:
            journal.ajouter(courrier, resultat, "sam@asso.example", 250, "2.0.0 Ok: queued as 12")
    journal.ajouter(piege, TENTATIVE, "x@y.example")
    journal.ajouter(piege, ENVOYE, "x@y.example", 250, "=1+1 queued")
    return journal.chemin.read_bytes()


def _ecrit_par_le_programme(lignes: list[dict[str, str]]) -> bytes:
    """The oracle: the journal those rows make, written as §4 says (csv defaults, neutralised)."""
    tampon = io.StringIO()
    w = csv.writer(tampon)
    w.writerow(COLONNES)
    for r in lignes:
        w.writerow([neutraliser(r[c]) for c in COLONNES])
    return tampon.getvalue().encode("utf-8")


def test_a_real_journal_reads_back_exactly(tmp_path):
    brut = _reel(tmp_path)
    assert brut.startswith(",".join(COLONNES).encode() + b"\r\n")
    assert b"'=HYPERLINK" in brut and b"'=1+1" in brut  # neutralised against formulas
    lignes = Journal(tmp_path).lire().lignes
    assert len(lignes) == 9 and lignes[-1]["reponse_serveur"] == "=1+1 queued"
    assert lignes[-1]["fichier"] == '=HYPERLINK("http://x"),\n"a".xlsx'
    assert _ecrit_par_le_programme(lignes) == brut
    assert replace(LETTRE, siret="").identite == ("a.xlsx", "DECISION", "e1" * 32)  # known by its file


def _ligne(brut: bytes, n: int, changer) -> bytes:
    lignes = brut.split(b"\r\n")
    assert b",ENVOYE," in lignes[n - 1] or n != 3
    lignes[n - 1] = changer(lignes[n - 1])
    return b"\r\n".join(lignes)


def _entete_coupe(b: bytes) -> bytes:
    return b[:30] + b"\r\n"


DEGATS = {
    "une colonne ajoutée à l'en-tête": (lambda b: b.replace(b"message_id\r\n", b"message_id,note\r\n", 1), 1),
    "l'en-tête coupé": (_entete_coupe, 1),
    "réenregistré par un tableur français": (
        lambda b: b"\xef\xbb\xbf" + b.decode().replace(",", ";").encode(),
        1,
    ),
    "une cellule de trop sur une ligne ENVOYE": (lambda b: _ligne(b, 3, lambda x: x + b",vu"), 3),
    "un résultat inconnu": (lambda b: b.replace(b",ENVOYE,", ",ENVOYÉ,".encode(), 1), 3),
    "des fins de ligne changées": (lambda b: b.replace(b"\r\n", b"\n"), 1),
    "des guillemets ajoutés": (lambda b: b.replace(b",DECISION,", b',"DECISION",', 1), 2),
    "une ligne vide": (lambda b: b.replace(b"\r\n", b"\r\n\r\n", 2).replace(b"\r\n\r\n", b"\r\n", 1), 3),
    "un octet qui n'est pas de l'UTF-8": (lambda b: b.replace(b"Ok: queued as 12", b"Ok\xe9", 1), 2),
}


@pytest.mark.parametrize("degat", DEGATS)
def test_any_damage_starts_nothing_and_names_the_line(tmp_path, degat):
    abime, ligne = DEGATS[degat]
    brut = abime(_reel(tmp_path))
    chemin = tmp_path / "envois" / "journal.csv"
    chemin.write_bytes(brut)
    with pytest.raises(CampaignError) as exc:
        Journal(tmp_path).lire()
    assert f"la ligne {ligne} " in str(exc.value) and "Rien n'a été envoyé" in str(exc.value)
    with pytest.raises(CampaignError):
        Journal(tmp_path).reparer()  # no remedy for it either
    assert chemin.read_bytes() == brut


def test_a_cut_last_line_is_shown_then_set_aside_by_the_repair(tmp_path, capsys):
    brut = _reel(tmp_path)
    chemin = tmp_path / "envois" / "journal.csv"
    complet = brut.rstrip(b"\r\n").rsplit(b"\r\n", 1)[0] + b"\r\n"
    coupe = complet + b"2026-12-01T10:00:00.000+00:00,a.xlsx,courriers/a.pdf,7328"
    chemin.write_bytes(coupe)
    with pytest.raises(CampaignError) as exc:
        Journal(tmp_path).lire()
    assert "--reparer-journal" in str(exc.value) and "2026-12-01T10:00:00.000+00:00,a.xlsx" in str(exc.value)
    assert chemin.read_bytes() == coupe

    assert main(["envoyer", str(tmp_path), "--reparer-journal"]) == 0
    assert "mise de côté" in capsys.readouterr().out
    assert chemin.read_bytes() == complet
    (cote,) = (tmp_path / "envois").glob("journal-coupe-*.txt")
    assert cote.read_bytes() == coupe[len(complet) :]
    assert len(Journal(tmp_path).lire().lignes) == 8
    assert main(["envoyer", str(tmp_path), "--reparer-journal"]) == 0  # whole now: nothing to do
    assert "rien à réparer" in capsys.readouterr().out
    assert chemin.read_bytes() == complet


def test_a_cut_last_line_after_damage_is_not_repaired(tmp_path):
    brut = _reel(tmp_path).replace(b",ENVOYE,", b",envoye,", 1) + b"2026-12-01,coupe"
    chemin = tmp_path / "envois" / "journal.csv"
    chemin.write_bytes(brut)
    with pytest.raises(CampaignError, match="la ligne 3 "):
        Journal(tmp_path).reparer()
    assert chemin.read_bytes() == brut and not list((tmp_path / "envois").glob("journal-coupe-*"))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    edits=st.lists(
        st.tuples(
            st.sampled_from(["inserer", "supprimer", "remplacer"]),
            st.floats(0, 1, exclude_max=True),
            st.binary(min_size=1, max_size=3)
            | st.sampled_from([b",", b'"', b"\r", b"\n", b"\r\n", b";", b"\xef\xbb\xbf", b"ENVOYE", b"'"]),
        ),
        min_size=1,
        max_size=3,
    )
)
def test_fuzz_a_random_edit_is_read_exactly_or_refused(tmp_path_factory, edits):
    """Whatever the edit: the reader refuses it (a sentence, the bytes untouched), or what it
    read is exactly what the program would have written: it never guesses."""
    dossier = tmp_path_factory.mktemp("fuzz")
    brut = _reel(dossier)
    for quoi, ou, octets in edits:
        i = int(ou * len(brut))
        brut = {
            "inserer": brut[:i] + octets + brut[i:],
            "supprimer": brut[:i] + brut[i + len(octets) :],
            "remplacer": brut[:i] + octets + brut[i + len(octets) :],
        }[quoi]
    chemin = dossier / "envois" / "journal.csv"
    chemin.write_bytes(brut)
    try:
        lignes = Journal(dossier).lire().lignes
    except CampaignError as exc:
        assert "ligne" in str(exc)
        assert chemin.read_bytes() == brut
        return
    assert _ecrit_par_le_programme(lignes) == brut
