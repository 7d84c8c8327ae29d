"""Decision letters: what they say (read back from the PDFs), safety, reproducibility, cache."""

from __future__ import annotations

import copy
import csv
import datetime as dt
import hashlib
import io
import re
import shutil
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import jinja2
import lecture_pdf
import openpyxl
import pandas as pd
import pytest
from chemins import EXEMPLE
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image
from pypdf import PdfReader

from campaign import formats
from campaign.decider import montants, motifs_comite
from campaign.ecrire.courriers import nom as nom_courrier
from campaign.ecrire.courriers import publipostage
from campaign.ecrire.courriers import rendu as courriers
from campaign.ecrire.courriers import vue as courrier_vue
from campaign.ecrire.courriers.pdf import rendu as rendu_pdf
from campaign.ecrire.tables.csv_campagne import ecrire_decisions
from campaign.lire.campagne import charger_campagne
from campaign.run import cache_courriers, pipeline
from campaign.run import courriers as courriers_run

DATE = dt.date(2026, 11, 28)
NASTY = '<b>Évasion</b> & "Co" / ../../etc <img src="file:///etc/passwd">'


def executer(dossier: Path):
    campagne = charger_campagne(dossier)
    lectures = pipeline.lire(dossier)
    tables, anomalies, etats = pipeline.valider(lectures)
    return pipeline.decider(campagne, lectures, tables, anomalies, etats)


def normal(texte: str) -> str:
    """Any run of spaces (no-break, narrow no-break, line ends) -> one space; straight
    apostrophes -> typographic ones, as the letters print them."""
    texte = texte.replace("\u00a0", " ").replace("\u202f", " ").replace("'", "\u2019")
    return re.sub(r"\s+", " ", texte).strip()


def texte_pdf(chemin: Path) -> str:
    return normal(" ".join(p.extract_text() for p in PdfReader(chemin).pages))


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """The fixture campagne, decided and written once: every letter rendered cold."""
    base = tmp_path_factory.mktemp("courriers")
    entree = base / "campagne"
    shutil.copytree(EXEMPLE, entree)
    resultat = executer(entree)
    sortie, cache = base / "sortie", base / "cache"
    compteurs = courriers_run.ecrire_courriers(resultat, sortie, DATE, cache, processus=2)
    ecrire_decisions(
        sortie / "decisions.csv",
        resultat.decisions.collectifs,
        resultat.dossiers.set_index("fichier")["siret"],
    )
    return {
        "base": base,
        "entree": entree,
        "resultat": resultat,
        "sortie": sortie,
        "cache": cache,
        "compteurs": compteurs,
    }


def lettre(run, fichier: str) -> Path:
    with (run["sortie"] / "publipostage.csv").open(encoding="utf-8", newline="") as f:
        ligne = next(r for r in csv.DictReader(f) if r["fichier"] == fichier)
    return run["sortie"] / ligne["courrier"]


def fichier_de(run, prefixe: str) -> str:
    return next(f for f in run["resultat"].dossiers["fichier"] if f.startswith(prefixe))


# --- what was written ---------------------------------------------------------------


def test_one_letter_per_traite_or_incomplet_dossier(run):
    d = run["resultat"].dossiers
    attendus = d[d["statut"].isin(["TRAITE", "INCOMPLET"])]
    c = run["compteurs"]
    assert (c["rendus"], c["caches"]) == (len(attendus), 0)
    assert c["sans_courrier"] == sorted(d.loc[~d["statut"].isin(["TRAITE", "INCOMPLET"]), "fichier"])
    assert "illisible.xlsx" in c["sans_courrier"]
    ecrits = sorted(p.name for p in (run["sortie"] / "courriers").iterdir())
    pdfs = [p for p in ecrits if p.endswith(".pdf")]
    assert len(pdfs) == len(attendus)
    classeurs = [p for p in ecrits if p.endswith(".xlsx")]  # one beside each completion request
    assert [p.removesuffix(".xlsx") for p in classeurs] == [
        p.removesuffix(".pdf") for p in pdfs if p.removesuffix(".pdf") + ".xlsx" in classeurs
    ]
    assert len(classeurs) == (attendus["statut"] == "INCOMPLET").sum() and len(ecrits) == len(pdfs) + len(
        classeurs
    )
    assert c["fichiers"] == sorted(f"courriers/{p}" for p in ecrits) + ["publipostage.csv"]


def test_file_names_have_no_path_characters(run):
    for nom in (run["sortie"] / "courriers").iterdir():
        assert re.fullmatch(r"[a-z0-9-]+\.(pdf|xlsx)", nom.name), nom.name
    nasty = lettre(run, fichier_de(run, "dossier_001"))
    assert nasty.name.startswith("57327161971808-") and nasty.parent == run["sortie"] / "courriers"


def test_publipostage(run):
    brut = (run["sortie"] / "publipostage.csv").read_bytes()
    assert brut.startswith(
        b"fichier,siret,destinataire,courriel,adresse,code_postal,commune,"
        b"courrier,decision,total,sha256,nature,envoyable,date_courrier,"
        b"empreinte,classeur\r\n"
    )
    lignes = list(csv.DictReader(brut.decode("utf-8").splitlines()))
    assert [r["fichier"] for r in lignes] == sorted(r["fichier"] for r in lignes)
    d = run["resultat"].dossiers.set_index("fichier")
    for r in lignes:
        pdf = (run["sortie"] / r["courrier"]).read_bytes()
        assert r["sha256"] == hashlib.sha256(pdf).hexdigest()
        assert r["total"] == f"{Decimal(int(d.at[r['fichier'], 'total'])) / 100:.2f}"
        attendu = d.at[r["fichier"], "decision"] or "INCOMPLET"
        assert r["decision"] == attendu
        nature = "DEMANDE-COMPLEMENT" if attendu == "INCOMPLET" else "PROPOSITION"
        assert (r["nature"], r["envoyable"]) == (nature, "oui" if attendu == "INCOMPLET" else "non")
        assert r["date_courrier"] == DATE.isoformat() and re.fullmatch(r"[0-9a-f]{64}", r["empreinte"])
        # the pre-filled dossier beside a completion request's PDF, named as it; none otherwise
        classeur = r["courrier"].removesuffix(".pdf") + ".xlsx" if attendu == "INCOMPLET" else ""
        assert r["classeur"] == classeur and (not classeur or (run["sortie"] / classeur).is_file())
    assert next(r for r in lignes if r["fichier"].startswith("dossier_001"))["destinataire"] == NASTY


# --- the content, read back from the PDFs -----------------------------------------


def _euros(texte: str) -> str:
    return normal(formats.euros(round(Decimal(texte) * 100)))


@pytest.mark.parametrize(
    "prefixe", ["dossier_005", "dossier_006", "dossier_009", "dossier_001", "dossier_003"]
)
def test_amounts_equal_decisions_csv(run, prefixe):
    fichier = fichier_de(run, prefixe)
    texte = texte_pdf(lettre(run, fichier))
    decisions = pd.read_csv(run["sortie"] / "decisions.csv", dtype=str, keep_default_na=False)
    rangs = decisions[decisions["fichier"] == fichier]
    collectifs = run["resultat"].decisions.collectifs.set_index(["fichier", "code"])
    for r in rangs.itertuples():
        mot = "Accordé" if r.decision == "ACCORD" else "Refusé"
        enfants = collectifs.at[(fichier, r.code_collectif), "enfants"]
        montants = " ".join(_euros(getattr(r, k)) for k in ("ps", "bonus_enfants", "bonus_parents", "total"))
        assert re.search(
            re.escape(f"{r.code_collectif} ") + r".{0,80}?" + re.escape(f" {enfants} {mot} {montants}"), texte
        ), (r.code_collectif, texte)
    total = sum(Decimal(t) for t in rangs["total"])
    assert "Total du dossier" in texte and _euros(str(total)) in texte


def test_accord(run):
    texte = texte_pdf(lettre(run, fichier_de(run, "dossier_006")))
    assert "Décision : ACCORD " in texte and "vous accorde la prestation de service pour l’ensemble" in texte
    # acompte: 70 % of 2 580,00 € on signature of the convention, the balance on the bilan
    assert "Ce qui vous sera versé, et quand" in texte
    assert (
        "À la signature de la convention d’objectifs et de financement : acompte de 70 % 1 806,00 €"
    ) in texte
    assert (
        "Après réception et examen du bilan de l’action, à nous adresser au plus tard le "
        "30 septembre 2027 : solde 774,00 €"
    ) in texte


def test_accord_partiel_rounds_the_advance_half_up(run):
    fichier = fichier_de(run, "dossier_005")
    texte = texte_pdf(lettre(run, fichier))
    total = Decimal(int(run["resultat"].dossiers.set_index("fichier").at[fichier, "total"])) / 100
    acompte = (total * Decimal("0.70")).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    assert (total, acompte) == (Decimal("8241.65"), Decimal("5769.16"))  # 5 769,155 -> ,16
    assert "Décision : ACCORD PARTIEL" in texte
    assert "5 collectifs sur 6 de votre dossier" in texte
    assert f"acompte de 70 % {_euros(str(acompte))}" in texte
    assert f"solde {_euros(str(total - acompte))}" in texte


def test_refus_has_no_payment_terms(run):
    texte = texte_pdf(lettre(run, fichier_de(run, "dossier_001")))
    assert "Décision : REFUS" in texte and "ne peut pas accorder" in texte
    assert "acompte" not in texte


@pytest.mark.parametrize(
    "prefixe", ["dossier_000", "dossier_001", "dossier_003", "dossier_005", "dossier_006", "dossier_009"]
)
def test_motivations_with_their_values(run, prefixe):
    fichier = fichier_de(run, prefixe)
    texte = texte_pdf(lettre(run, fichier))
    t = run["resultat"].textes
    t = t[t["fichier"] == fichier]
    motives = t[t["nature"].isin(["motif", "bonus", "ecretement"])]
    assert len(motives) > 0
    for phrase, code in zip(motives["texte"], motives["code"]):  # the rule's code and text follow
        assert normal(phrase).removesuffix(".") + f" ({code}, " in texte, phrase
    for phrase in t.loc[t["nature"] == "avertissement", "texte"]:
        assert normal(phrase) not in texte
    if (motives["code_collectif"] == "").any():
        assert "Pour tous les collectifs du dossier" in texte


def test_refused_collectif_motive_names_the_value(run):
    texte = texte_pdf(lettre(run, fichier_de(run, "dossier_001")))
    assert (
        "Le collectif C1 compte 13 enfants ; le référentiel en admet 12 au plus (R-EFFECTIF, "
        "référentiel national du CLAS de la Cnaf, 2021)." in texte
    )


@pytest.mark.parametrize("prefixe", ["dossier_001", "dossier_005", "dossier_006"])
def test_appeal_routes_officer_and_signature(run, prefixe):
    texte = texte_pdf(lettre(run, fichier_de(run, prefixe)))
    caf = run["resultat"].campagne.caf
    assert "Objet : prestation de service CLAS, campagne 2026-2027 — décision" in texte
    assert "Valence, le 28 novembre 2026" in texte and "Fait à" not in texte
    assert "recours gracieux" in texte and "deux mois" in texte
    assert f"recours contentieux devant le {caf['tribunal']}" in texte
    assert "R421-1" in texte and "R421-5" in texte
    assert "Télérecours citoyens" in texte and "citoyens.telerecours.fr" in texte
    for valeur in caf["agent"].values():
        assert normal(valeur) in texte
    assert "Dossier suivi par" in texte
    assert caf["signataire"]["nom"] in texte and caf["signataire"]["qualite"] in texte
    assert "À l’attention de Claude Dupont, Président" in texte


def test_incomplet_asks_for_completion(run):
    fichier = fichier_de(run, "dates_fausses")
    texte = texte_pdf(lettre(run, fichier))
    assert "demande de compléments" in texte and "Décision" not in texte and "€" not in texte
    bloquants = [a for a in run["resultat"].anomalies if a.fichier == fichier and a.gravite == "BLOQUANT"]
    assert len(bloquants) == 2
    for a in bloquants:  # in words: the sheet, the collectif, the field, then the cell
        assert normal(a.message).split(" : ", 1)[1] in texte
        assert f"Feuille {a.feuille}, collectif C1, « {normal(a.champ)} » (case {a.cellule})" in texte
        assert f"{a.feuille}!{a.cellule}" not in texte
    assert "au plus tard le 28 décembre 2026" in texte and "30 jours" in texte
    assert "recours contentieux" not in texte


def _rose(png: bytes) -> int:
    """Pixels of the mark's tint (red at 13 % over white): light, red above green and blue."""
    octets = Image.open(io.BytesIO(png)).convert("RGB").tobytes()
    triplets = zip(octets[0::3], octets[1::3], octets[2::3])
    return sum(1 for r, g, b in triplets if r > 235 and 200 < g < 235 and abs(g - b) < 8)


def test_projet_watermark_on_every_page(run, tmp_path):
    """The mark is drawn on every page (as outlines: not in the text, sorties.md §4)."""
    assert run["resultat"].parametres.non_confirmes  # plafond_ps 2026 is not confirmed
    contenu = lettre(run, fichier_de(run, "dossier_005")).read_bytes()
    pages = PdfReader(io.BytesIO(contenu)).pages
    assert len(pages) >= 2
    images = lecture_pdf.pixels(contenu, tmp_path, "projet")
    assert len(images) == len(pages)
    for i, (page, png) in enumerate(zip(pages, images), 1):
        assert _rose(png) > 1500, i  # the mark: thousands of pixels of its tint at 60 dpi
        assert f"{i}/{len(pages)}" in page.extract_text()


# --- safety --------------------------------------------------------------------------


def test_nasty_names_print_as_typed_and_fetch_nothing(run, monkeypatch):
    fichier = fichier_de(run, "dossier_001")
    assert NASTY in texte_pdf(lettre(run, fichier))
    formule = run["resultat"].dossiers.set_index("fichier").at[fichier_de(run, "dossier_000"), "nom"]
    sans_blancs = re.sub(r"\s", "", texte_pdf(lettre(run, fichier_de(run, "dossier_000"))))
    assert re.sub(r"\s", "", formule) in sans_blancs  # long words wrap anywhere in the window
    liste, _ = courrier_vue.lettres(run["resultat"], DATE)
    page = courriers.html(next(x for x in liste if x.fichier == fichier).vue)
    assert "<img" not in page and "&lt;img src=&#34;file:///etc/passwd&#34;&gt;" in page
    demandes = []
    original = rendu_pdf.RecuperateurGabarits.fetch

    def espion(self, url, headers=None):
        demandes.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(rendu_pdf.RecuperateurGabarits, "fetch", espion)
    rendu_pdf._feuilles.cache_clear()  # stylesheets and fonts are fetched once per process
    courriers.pdf(page)
    racine = courriers.GABARITS.resolve().as_uri()
    assert demandes and all(u.startswith(racine + "/") for u in demandes)


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://evil.example/x.png",
        "data:text/plain,abc",
        "file:///{racine}/../pyproject.toml",
        "file:///{racine}/fonts/../../README.md",
    ],
)
def test_fetcher_serves_only_templates(url):
    url = url.replace("/{racine}", courriers.GABARITS.resolve().as_posix())
    with pytest.raises(ValueError):
        rendu_pdf.RecuperateurGabarits().fetch(url)
    # a raw <img> that escaped escaping would still fetch nothing, and the letter renders
    assert courriers.pdf(f'<p>x</p><img src="{url}">').startswith(b"%PDF")


def test_fetcher_serves_the_shipped_fonts():
    url = (courriers.GABARITS / "fonts" / "courrier-regulier.ttf").resolve().as_uri()
    reponse = rendu_pdf.RecuperateurGabarits().fetch(url)
    assert reponse.read()[:4] == b"\x00\x01\x00\x00"


def test_missing_view_value_raises(run):
    liste, _ = courrier_vue.lettres(run["resultat"], DATE)
    vue = next(x for x in liste if x.fichier.startswith("dossier_005")).vue
    courriers.html(vue)
    for chemin in (("caf", "ville"), ("decision", "total"), ("agent", "telephone"), ("date",)):
        abimee = copy.deepcopy(vue)
        d = abimee
        for k in chemin[:-1]:
            d = d[k]
        del d[chemin[-1]]
        with pytest.raises(jinja2.UndefinedError):
            courriers.html(abimee)


# --- the view, pure ------------------------------------------------------------------


def test_warnings_are_not_motivations_and_ecretement_is(run):
    t = run["resultat"].textes
    f = next(x for x in t["fichier"] if x.startswith("dossier_006"))
    plus = pd.DataFrame(
        [
            (f, "", "A-FORMATION", "avertissement", "Avertissement qui ne doit pas figurer."),
            (
                f,
                "C1",
                "F-ECRETEMENT",
                "ecretement",
                "La prestation du collectif C1 est ramenée de 2 275,00 € à 2 000,00 € : "
                "le financement ne peut pas dépasser le coût.",
            ),
        ],
        columns=t.columns,
    )
    resultat = copy.copy(run["resultat"])
    resultat.textes = pd.concat([t, plus], ignore_index=True)  # replaces the computed reasons
    resultat.comite = copy.copy(resultat.comite)  # no session: the letters give those reasons
    resultat.comite.textes_decision = motifs_comite.textes_des_decisions(
        resultat.comite.collectifs_finaux, resultat.textes
    )
    liste, _ = courrier_vue.lettres(resultat, DATE)
    vue = next(x for x in liste if x.fichier.startswith("dossier_006")).vue
    assert "Avertissement qui ne doit pas figurer." not in str(vue)
    (c1,) = vue["decision"]["motifs_collectifs"]
    assert any("ramenée de 2 275,00 € à 2 000,00 €" in normal(t["texte"]) for t in c1["textes"])


def test_acompte_half_up_in_exact_arithmetic():
    assert montants.acompte_centimes(824165, Decimal("0.70")) == 576916
    assert montants.acompte_centimes(1, Decimal("0.5")) == 1
    assert montants.acompte_centimes(3, Decimal("0.5")) == 2
    assert montants.acompte_centimes(258000, Decimal("0.70")) == 180600


@given(st.text(max_size=120))
def test_slug_is_only_safe_characters(nom):
    s = formats.slug(nom, nom_courrier.LONGUEUR_SLUG)
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*|", s) and len(s) <= 40


@given(st.text(max_size=60), st.text(max_size=60))
def test_file_name_is_safe_whatever_the_inputs(nom, fichier):
    p = nom_courrier.nom_pdf("", nom, fichier + ".xlsx")
    assert re.fullmatch(r"[a-z0-9-]+\.pdf", p) and "/" not in p and not p.startswith("-")


def test_file_name_examples():
    assert nom_courrier.nom_pdf("57327161971808", NASTY, "x.xlsx").startswith(
        "57327161971808-b-evasion-b-co-etc"
    )
    assert (
        nom_courrier.nom_pdf("", "Centre social Éclats de rire", "siret_faux.xlsx")
        == "siret-faux-centre-social-eclats-de-rire.pdf"
    )


# --- reproducibility and cache -----------------------------------------------------


def test_two_renders_give_identical_bytes(run):
    fichier = fichier_de(run, "dossier_005")
    liste, _ = courrier_vue.lettres(run["resultat"], DATE)
    page = courriers.html(next(x for x in liste if x.fichier == fichier).vue)
    un, deux = courriers.pdf(page), courriers.pdf(page)
    assert hashlib.sha256(un).digest() == hashlib.sha256(deux).digest()
    assert un == lettre(run, fichier).read_bytes()  # and the same as the pool's render
    lu = PdfReader(io.BytesIO(un))
    identifiant = lu.trailer["/ID"]  # PDF/A wants one: pydyf's md5 of the content, no random part
    assert identifiant[0] == identifiant[1] and len(identifiant[0]) == 32
    assert lu.metadata.creation_date.date() == DATE and lu.metadata.modification_date.date() == DATE


def test_rerun_renders_nothing_then_exactly_the_changed_letter(run):
    resultat, cache = run["resultat"], run["cache"]
    encore = courriers_run.ecrire_courriers(resultat, run["base"] / "encore", DATE, cache)
    assert (encore["rendus"], encore["caches"]) == (0, run["compteurs"]["rendus"])
    assert (run["base"] / "encore" / "publipostage.csv").read_bytes() == (
        run["sortie"] / "publipostage.csv"
    ).read_bytes()

    chemin = run["entree"] / fichier_de(run, "dossier_006")
    wb = openpyxl.load_workbook(chemin)
    feuille = next(wb[n] for n in wb.sheetnames if n.strip().lower() == "collectifs")
    colonne = next(c.column for c in feuille[1] if str(c.value).strip().startswith("Lieu"))
    feuille.cell(row=2, column=colonne).value = "Salle Z"
    wb.save(chemin)
    change = courriers_run.ecrire_courriers(executer(run["entree"]), run["base"] / "change", DATE, cache)
    assert (change["rendus"], change["caches"]) == (1, run["compteurs"]["rendus"] - 1)
    assert "Salle Z" in texte_pdf(run["base"] / "change" / "courriers" / lettre(run, chemin.name).name)


def test_another_letter_date_is_another_letter(run):
    empreinte = cache_courriers.empreinte_gabarits()
    (a, *_), _ = courrier_vue.lettres(run["resultat"], DATE)
    (b, *_), _ = courrier_vue.lettres(run["resultat"], DATE + dt.timedelta(days=1))
    assert cache_courriers.cle_cache(a.vue, empreinte) != cache_courriers.cle_cache(b.vue, empreinte)
    assert "le 29 novembre 2026" in courriers.html(b.vue)


def test_le_courrier_explique_le_calcul_de_la_prestation(tmp_path):
    """A reduced amount must be explained (CRPA L211-5): PSF, equal split, rate and cap."""
    from pypdf import PdfReader

    from campaign.lire.campagne import charger_campagne
    from campaign.run import pipeline
    from campaign.run.courriers import ecrire_courriers

    dossier = Path(__file__).parents[1] / "fixtures" / "exemple" / "campagne"
    lectures = pipeline.lire(dossier)
    tables, anomalies, etats = pipeline.valider(lectures)
    resultat = pipeline.decider(charger_campagne(dossier), lectures, tables, anomalies, etats)
    bilan = ecrire_courriers(resultat, tmp_path, dt.date(2026, 11, 28), cache=None, processus=1)
    chemin = tmp_path / bilan["courriers"]["dossier_009_44771873529089.xlsx"]
    texte = " ".join(p.extract_text() for p in PdfReader(chemin).pages)
    texte = " ".join(texte.replace("\u202f", " ").replace("\xa0", " ").split())
    assert "Calcul de la prestation de service" in texte
    for morceau in (
        "48 000,00 €",
        "8 400,00 €",
        "39 600,00 €",
        "4 collectifs déclarés",
        "9 900,00 €",
        "32,5 %",
        "3 217,50 €",
        "plafond de 2 563,00 €",
    ):
        assert morceau in texte, morceau


def test_pas_de_courrier_sans_adresse(tmp_path, capsys):
    """An INCOMPLET file whose Porteur sheet is missing has no address: no letter, the
    analyst is told."""
    import openpyxl

    from campaign.cli import main

    dossier = tmp_path / "campagne"
    shutil.copytree(Path(__file__).parents[1] / "fixtures" / "exemple" / "campagne", dossier)
    chemin = dossier / "dossier_006_55821165253447.xlsx"
    wb = openpyxl.load_workbook(chemin)
    del wb[next(n for n in wb.sheetnames if n.strip().lower() == "porteur")]
    wb.save(chemin)
    main(["run", str(dossier), "--out", str(tmp_path / "s"), "--date-courrier", "2026-11-28"])
    sortie = capsys.readouterr().out
    assert "Sans courrier, faute d'adresse lisible : dossier_006_55821165253447.xlsx" in sortie
    with (tmp_path / "s" / "publipostage.csv").open(encoding="utf-8") as f:
        assert "dossier_006_55821165253447.xlsx" not in f.read()


def test_empreinte_ignores_the_date(run):
    """The same letter dated another day keeps its empreinte; another content changes it."""
    resultat = run["resultat"]
    avant, _ = courrier_vue.lettres(resultat, DATE)
    apres, _ = courrier_vue.lettres(resultat, DATE + dt.timedelta(days=40))
    for a, b in zip(avant, apres):
        assert a.vue != b.vue
        assert publipostage.empreinte(a.vue) == publipostage.empreinte(b.vue)
    autre = copy.deepcopy(avant[0].vue)
    autre["destinataire"]["nom"] += " bis"
    assert publipostage.empreinte(autre) != publipostage.empreinte(avant[0].vue)


def test_the_letters_cache_key_covers_the_rendering_code_and_libraries(monkeypatch, tmp_path):
    """A letter rendered by other rendering code, or another version of a library it drives
    (WeasyPrint, pydyf, fontTools…), is not taken from the cache."""
    import shutil

    from campaign.run import cache_courriers

    avant = cache_courriers.empreinte_gabarits()
    assert cache_courriers.empreinte_gabarits() == avant
    copie = tmp_path / "pdf"
    shutil.copytree(cache_courriers.MODULES_RENDU, copie)
    monkeypatch.setattr(cache_courriers, "MODULES_RENDU", copie)
    assert cache_courriers.empreinte_gabarits() == avant
    (copie / "rendu.py").write_text((copie / "rendu.py").read_text() + "\n# changed\n")
    assert cache_courriers.empreinte_gabarits() != avant
    monkeypatch.undo()
    monkeypatch.setattr(cache_courriers, "BIBLIOTHEQUES_RENDU", (*cache_courriers.BIBLIOTHEQUES_RENDU, "zzz"))
    assert cache_courriers.empreinte_gabarits() != avant


@pytest.mark.parametrize(
    "nom, attendu",
    [
        ("Fédération des Œuvres laïques", "federation-des-oeuvres-laiques"),
        ("Cœur de Ville — sœurs & frères", "coeur-de-ville-soeurs-freres"),
        ("Ætna Straße Øresund Łódź", "aetna-strasse-oresund-lodz"),
    ],
)
def test_slug_spells_out_the_letters_nfkd_cannot_fold(nom, attendu):
    """An attachment's name keeps its letters (envoi.md §6): œ is oe, never dropped."""
    assert formats.slug(nom, 80) == attendu


def test_a_letters_name_is_cut_after_a_whole_word():
    nom = nom_courrier.nom_pdf("80294009801475", "Fédération des Œuvres laïques — antenne sud", "x.xlsx")
    assert nom == "80294009801475-federation-des-oeuvres-laiques-antenne.pdf"
    assert nom_courrier.nom_pdf("", "a" * 60, "x.xlsx") == "x-" + "a" * 40 + ".pdf"
