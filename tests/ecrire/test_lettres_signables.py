"""The letters and minutes a Caf's legal service signs (issue 22; sorties.md §4, comite.md §5),
on real runs: the README's committee walk-through of the demo, the example campagne, and a
generated campagne of 300 dossiers. Read back as text (pdftotext) and as the PDF's objects."""

from __future__ import annotations

import csv
import datetime as dt
import itertools
import re
import shutil
from pathlib import Path

import pytest
from chemins import EXEMPLE, RACINE
from pages import mots_de_fin, pages, pages_orphelines
from pypdf import PdfReader

from campaign.cli import main
from campaign.demo.dossiers import ecrire_demo
from campaign.lire.campagne import charger_campagne

pytestmark = pytest.mark.lent  # make test-rapide leaves it out

LIVREE = RACINE / "inputs" / "2026-2027"
README = (RACINE / "README.md").read_text(encoding="utf-8")


def _lignes(chemin: Path) -> list[dict]:
    with chemin.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _texte(pdf: Path) -> str:
    texte = " ".join(pages(pdf)).replace("\u00a0", " ").replace("\u202f", " ").replace("'", "’")
    return " ".join(texte.split())


def _run(dossier: Path, sortie: Path) -> Path:
    assert main(["run", str(dossier), "--out", str(sortie)]) in (0, 1)
    return sortie


@pytest.fixture(scope="module")
def parcours(tmp_path_factory):
    """The demo with the README's `[[comite]]` lines added, exactly as the README shows them."""
    base = tmp_path_factory.mktemp("parcours")
    dossier = base / "campagne"
    shutil.copytree(LIVREE, dossier)
    bloc = re.search(r"```toml\n(\s*\[\[comite\]\].*?)```", README, flags=re.S)
    assert bloc, "the README shows the [[comite]] lines of the walk-through"
    with (dossier / "campagne.toml").open("a", encoding="utf-8") as f:
        f.write("\n" + "\n".join(ligne.strip() for ligne in bloc.group(1).splitlines()) + "\n")
    return dossier, _run(dossier, base / "sortie")


@pytest.fixture(scope="module")
def livree(tmp_path_factory):
    """The shipped demo as shipped: no session declared, every decision letter a proposition."""
    return LIVREE, _run(LIVREE, tmp_path_factory.mktemp("livree") / "sortie")


@pytest.fixture(scope="module")
def exemple(tmp_path_factory):
    return EXEMPLE, _run(EXEMPLE, tmp_path_factory.mktemp("exemple") / "sortie")


@pytest.fixture(scope="module")
def trois_cents(tmp_path_factory):
    base = tmp_path_factory.mktemp("trois-cents")
    ecrire_demo(base / "campagne", dossiers=300, seed=22)
    return base / "campagne", _run(base / "campagne", base / "sortie")


def test_le_parcours_du_readme_donne_decision_ajournement_et_proposition(parcours):
    """Each kind of letter after a session, each dated no earlier than the session it cites,
    with counts that agree with decisions_finales.csv."""
    _, sortie = parcours
    lettres = _lignes(sortie / "publipostage.csv")
    finales: dict[str, list[dict]] = {}
    for r in _lignes(sortie / "decisions_finales.csv"):
        finales.setdefault(r["fichier"], []).append(r)
    natures = {r["nature"] for r in lettres}
    assert {"DECISION", "AJOURNEMENT", "PROPOSITION"} <= natures
    apres_seance = 0
    for r in lettres:
        collectifs = finales.get(r["fichier"], [])
        jours = [c["avis_date"] for c in collectifs if c["avis_date"]]
        if not jours:
            continue
        texte = _texte(sortie / r["courrier"])
        assert r["date_courrier"] >= max(jours), r["fichier"]  # never before the session
        assert "20 janvier 2027" in texte
        if r["nature"] == "PROPOSITION":
            apres_seance += 1
            examines, n = len(jours), len(collectifs)
            assert f"examinés par le comité départemental : {examines} collectif" in texte
            assert f"{examines} collectif{'s' if examines > 1 else ''} sur {n}" in texte
            assert "jusqu’à sa séance du 20 janvier 2027" in texte
        if r["nature"] == "AJOURNEMENT":
            assert "Le comité s’est déjà prononcé sur les autres collectifs du dossier" in texte
            assert "La prestation de service CLAS est accordée par la Caf" in texte  # fondement
        if r["nature"] == "DECISION" and r["decision"] == "ACCORD PARTIEL":
            finances = sum(float(c["total"]) > 0 for c in collectifs)
            assert f"pour {finances} collectif{'s' if finances > 1 else ''} sur {len(collectifs)}" in texte
    assert apres_seance


def test_le_readme_montre_chaque_courrier_du_comite():
    for image in (
        "courrier_decision_comite.png",
        "courrier_ajournement.png",
        "courrier_proposition_seance.png",
    ):
        assert f"(docs/{image})" in README and (RACINE / "docs" / image).is_file(), image


@pytest.mark.parametrize("campagne", ["livree", "parcours", "exemple", "trois_cents"])
def test_aucune_page_ne_tient_seulement_une_signature_une_fin_ou_un_total(campagne, request):
    dossier, sortie = request.getfixturevalue(campagne)
    fin = mots_de_fin(charger_campagne(dossier))
    pdfs = sorted(sortie.rglob("*.pdf"))
    assert len(pdfs) >= 10
    orphelines = {pdf.name: pages_orphelines(pdf, fin) for pdf in pdfs}
    assert {nom: o for nom, o in orphelines.items() if o} == {}
    assert sum(len(pages(pdf)) for pdf in pdfs) > len(pdfs)  # letters of more than one page were read


def test_le_controle_des_pages_voit_une_signature_seule(tmp_path):
    """The check itself can fail: a page holding the closing paragraph and the signature only."""
    from campaign.ecrire.courriers import rendu

    campagne = charger_campagne(EXEMPLE)
    signataire = campagne.caf["signataire"]
    page = (
        '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>t</title></head><body>'
        "<p>Un paragraphe du courrier.</p><p style='break-after: page'>Un autre.</p>"
        "<p>Le recours gracieux interrompt le délai du recours contentieux, qui court de nouveau à "
        "compter de la réponse de la Caf ; le silence gardé pendant deux mois sur votre recours vaut "
        "décision de rejet.</p><p>Je vous prie d’agréer, Madame, Monsieur, l’expression de mes "
        f"salutations distinguées.</p><p>{signataire['qualite']}</p><p>{signataire['nom']}</p>"
        "</body></html>"
    )
    (tmp_path / "l.pdf").write_bytes(rendu.pdf(page))
    assert [n for n, _ in pages_orphelines(tmp_path / "l.pdf", mots_de_fin(campagne))] == [2]


def _structure(noeud, types: list[str], cellules: list) -> None:
    """The structure tree's element types in reading order, and the table cells."""
    noeud = noeud.get_object()
    if isinstance(noeud, dict) and "/S" in noeud:
        types.append(str(noeud["/S"]))
        if noeud["/S"] in ("/TH", "/TD"):
            cellules.append(noeud)
    enfants = noeud.get("/K", []) if isinstance(noeud, dict) else []
    for enfant in enfants if isinstance(enfants, list) else [enfants]:
        if hasattr(enfant, "get_object") and isinstance(enfant.get_object(), dict):
            _structure(enfant, types, cellules)


@pytest.mark.parametrize(
    "nature", ["DECISION", "AJOURNEMENT", "PROPOSITION", "DEMANDE-COMPLEMENT", "minutes"]
)
def test_pdf_a_3b_et_pdf_ua_1(parcours, nature):
    """PDF/A-3b and the PDF/UA-1 structure the contract names (sorties.md §4), on the PDF's own
    objects: the two marks in the XMP, title shown, language, one H1 first and headings in
    order, each header cell named by the data cells it heads."""
    _, sortie = parcours
    if nature == "minutes":
        pdf = sortie / "comite" / "proces-verbal-2027-01-20.pdf"
    else:
        pdf = sortie / next(
            r["courrier"] for r in _lignes(sortie / "publipostage.csv") if r["nature"] == nature
        )
    lecteur = PdfReader(pdf)
    racine = lecteur.trailer["/Root"]
    xmp = racine["/Metadata"].get_object().get_data().decode("utf-8")
    assert 'pdfaid:part="3"' in xmp and 'pdfaid:conformance="B"' in xmp
    assert 'pdfuaid:part="1"' in xmp and "<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>" in xmp
    assert "<dc:title>" in xmp and racine["/Lang"] == "fr"
    assert bool(racine["/ViewerPreferences"]["/DisplayDocTitle"]) and bool(racine["/MarkInfo"]["/Marked"])
    types: list[str] = []
    cellules: list = []
    _structure(racine["/StructTreeRoot"], types, cellules)
    titres = [int(t[2]) for t in types if re.fullmatch(r"/H[1-6]", t)]
    assert titres[0] == 1 and titres.count(1) == 1  # a single H1, the object, first
    assert all(b <= a + 1 for a, b in itertools.pairwise(titres))  # no level skipped
    entetes = [c for c in cellules if c["/S"] == "/TH"]
    if nature in ("DECISION", "PROPOSITION", "minutes"):
        assert entetes and all("/ID" in c for c in entetes)
        donnees = [c for c in cellules if c["/S"] == "/TD" and c["/A"].get("/Headers")]
        assert donnees  # each data cell names its column's header


def test_une_seance_future_rend_ses_courriers_non_envoyables(tmp_path, monkeypatch, capsys):
    """comite.md §5: a session after the day of the run is accepted with a warning, and no
    letter that cites it may leave; --date-courrier before it stops the run."""
    dossier = tmp_path / "campagne"
    shutil.copytree(LIVREE, dossier)
    with (dossier / "campagne.toml").open("a", encoding="utf-8") as f:
        f.write('\n[[comite]]\ndate = 2027-01-20\navis = "comite/avis-2027-01-20.xlsx"\n')
    veille = dt.datetime(2027, 1, 19, 12, tzinfo=dt.UTC)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(veille.timestamp())))
    _run(dossier, tmp_path / "sortie")
    sortie = capsys.readouterr().out
    assert "la séance du 20 janvier 2027 est postérieure à aujourd'hui (19 janvier 2027)" in sortie
    assert "de décision restent des projets" in sortie and "sont envoyables" not in sortie  # none can leave
    finales = {r["fichier"] for r in _lignes(tmp_path / "sortie" / "decisions_finales.csv") if r["avis_date"]}
    lettres = _lignes(tmp_path / "sortie" / "publipostage.csv")
    citees = [r for r in lettres if r["fichier"] in finales]
    assert citees and all(r["envoyable"] == "non" for r in citees)
    for r in citees:  # and each says it is a draft
        assert _texte(tmp_path / "sortie" / r["courrier"]).startswith("PROJET"), r["courrier"]
    assert any(r["envoyable"] == "oui" for r in lettres if r["fichier"] not in finales)  # completions
    code = main(["run", str(dossier), "--out", str(tmp_path / "s2"), "--date-courrier", "2027-01-10"])
    err = capsys.readouterr().err
    assert code == 2 and "précède la séance du comité du 20 janvier 2027" in err
    assert not (tmp_path / "s2").exists()


def test_une_decision_n_attend_que_les_parametres_qu_elle_utilise(parcours):
    """comite.md §5: with plafond_ps unconfirmed, a decision with an amount stays a draft, a
    refusal on confirmed thresholds goes, without the PROJET mark."""
    _, sortie = parcours
    decisions = [r for r in _lignes(sortie / "publipostage.csv") if r["nature"] == "DECISION"]
    refus = [r for r in decisions if r["decision"] == "REFUS"]
    payees = [r for r in decisions if float(r["total"]) > 0]
    assert refus and payees
    assert all(r["envoyable"] == "oui" for r in refus)
    assert all(r["envoyable"] == "non" for r in payees)
    assert not _texte(sortie / refus[0]["courrier"]).startswith("PROJET")
    assert _texte(sortie / payees[0]["courrier"]).startswith("PROJET")
