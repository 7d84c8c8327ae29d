"""The year's rules in the blank dossier, as `campaign template` writes them: generated from
the rule declarations and the parameter files, filled in by an operator and read back TRAITE
by `campaign run`, printed by LibreOffice on a few A4 pages."""

from __future__ import annotations

import contextlib
import csv
import shutil
from pathlib import Path

import openpyxl
import pypdf
import pytest
from chemins import EXEMPLE
from classeurs import BUDGET, COLLECTIF, PORTEUR, PROJET
from impression import imprimer
from openpyxl.utils import get_column_letter

from campaign.cli import main
from campaign.decider import parametres
from campaign.decider.parametres import Parametre, Parametres
from campaign.dossier_vierge.classeur import reperes
from campaign.dossier_vierge.regles import consignes, parametres_de_l_annee
from campaign.formulaire import COLLECTIFS

TOML_EXEMPLE = EXEMPLE / "campagne.toml"
PAGES_MAX = 8


def _template(tmp_path: Path, nom: str = "vierge.xlsx") -> Path:
    chemin = tmp_path / nom
    with contextlib.chdir(tmp_path):  # no inputs/2026-2027/campagne.toml here: no Caf's settings
        assert main(["template", "--annee", "2026-2027", "--out", str(chemin)]) == 0
    return chemin


@pytest.fixture(scope="module")
def vierge(tmp_path_factory) -> Path:
    return _template(tmp_path_factory.mktemp("consignes"))


def _textes(wb) -> dict[str, str]:
    """Every sheet's visible text, and the messages shown beside its answers."""
    out = {}
    for ws in wb.worksheets:
        cellules = [str(c.value) for ligne in ws.iter_rows() for c in ligne if c.value is not None]
        messages = [dv.prompt or "" for dv in ws.data_validations.dataValidation]
        out[ws.title] = " ".join(cellules + messages)
    return out


def _sous(wb, feuille: str, cle: str) -> str:
    """The consigne written on the row under a Porteur answer."""
    ligne, col = reperes(wb)[(feuille, cle)]
    return str(wb[feuille].cell(ligne + 1, col).value)


def _message(wb, cle: str) -> str:
    """The message beside a Collectifs answer of the first collectif."""
    col = get_column_letter(next(j for j, c in enumerate(COLLECTIFS, 1) if c.cle == cle))
    return next(
        dv.prompt
        for dv in wb["Collectifs"].data_validations.dataValidation
        if f"{col}2" in {str(r).split(":")[0] for r in dv.sqref.ranges}
    )


def test_les_seuils_de_l_annee_a_cote_des_reponses(vierge):
    wb = openpyxl.load_workbook(vierge)
    assert _message(wb, "enfants").startswith("De 8 à 12 enfants ; 5 au moins en milieu rural")
    assert "Au moins 2 séances de 1 h 30 par semaine" in _message(wb, "seances_semaine")
    assert "Au moins 27 semaines" in _message(wb, "semaines")
    assert "Au moins 2 intervenants" in _message(wb, "intervenants_benevoles")
    assert _sous(wb, "Porteur", "coordinateur_diplome").startswith("Bac+2 au moins")
    assert _sous(wb, "Porteur", "coordinateur_experience") == "Au moins 1 an d'expérience."
    notice = _textes(wb)["Mode d'emploi"]
    for seuil in (
        "De 8 à 12 enfants",
        "1 séance de 2 h",
        "Au moins 27 semaines",
        "« Maternelle » rend le collectif inéligible",
    ):
        assert seuil in notice
    assert "Toutes les actions de l'axe sont demandées" in _textes(wb)["Projet"]
    assert "qu'une par axe" in _textes(wb)["Projet"]  # the departmental setting, named (unknown)
    assert "Un cofinancement au moins est obligatoire" in _textes(wb)["Budget"]


def test_les_reponses_qui_rendent_ineligible_sont_signalees(vierge):
    wb = openpyxl.load_workbook(vierge)
    for cle, reponse in (
        ("besoin_repere", "Non"),
        ("accord_parents", "Non"),
        ("aide_devoirs_seule", "Oui"),
        ("ouvert_parents", "Non"),
        ("niveau_min", "Maternelle"),
        ("niveau_max", "Post-bac"),
    ):
        assert f"« {reponse} » rend le collectif inéligible" in _message(wb, cle)
        col = get_column_letter(next(j for j, c in enumerate(COLLECTIFS, 1) if c.cle == cle))
        regles = [
            r
            for plage in wb["Collectifs"].conditional_formatting
            if str(plage.sqref).startswith(f"{col}2")
            for r in plage.rules
        ]
        assert regles and f'"{reponse}"' in regles[0].formula[0], cle
    assert _sous(wb, "Porteur", "principes").startswith("« Non » rend le dossier inéligible")


def test_les_seuils_suivent_le_fichier_de_parametres(tmp_path, monkeypatch):
    dossier = tmp_path / "parametres"
    shutil.copytree(parametres.DOSSIER, dossier)
    fichier = dossier / "clas.yaml"
    texte = fichier.read_text(encoding="utf-8")
    for avant, apres in (
        ('valeur: "12", source: "Référentiel CLAS : 8 à 12', 'valeur: "14", source: "x'),
        ('valeur: "27"', 'valeur: "30"'),
        ('valeur: "Bac+2"', 'valeur: "Bac+3"'),
    ):
        assert texte.count(avant) == 1
        texte = texte.replace(avant, apres)
    fichier.write_text(texte, encoding="utf-8")
    monkeypatch.setattr(parametres, "DOSSIER", dossier)
    wb = openpyxl.load_workbook(_template(tmp_path))
    assert _message(wb, "enfants").startswith("De 8 à 14 enfants")
    assert "Au moins 30 semaines" in _message(wb, "semaines")
    assert _sous(wb, "Porteur", "coordinateur_diplome").startswith("Bac+3 au moins")
    assert "De 8 à 14 enfants" in _textes(wb)["Mode d'emploi"]


def test_une_action_par_axe_quand_la_caf_le_regle():
    p = parametres_de_l_annee("2026-2027")
    regle = Parametres(p)
    regle["axes"] = Parametre(
        "axes", "Exigence", "", "une_action_par_axe", p.taux_ps.depuis, "campagne.toml", True, "campagne.toml"
    )
    assert consignes(p).refusees("Projet", "P3") == ("Non",)
    assert consignes(regle).texte("Projet", "P3").startswith("Au moins une action de l'axe")
    assert consignes(regle).refusees("Projet", "P3") == ()


def _remplir(chemin: Path, vide: str | None = None) -> None:
    """An operator's hand: values in the unlocked (yellow) cells only."""
    wb = openpyxl.load_workbook(chemin)
    cellules = reperes(wb)

    def ecrire(feuille: str, ligne: int, col: int, valeur) -> None:
        cellule = wb[feuille].cell(ligne, col)
        assert not cellule.protection.locked, (feuille, cellule.coordinate)
        cellule.value = valeur

    for feuille, valeurs in (("Porteur", PORTEUR), ("Projet", PROJET)):
        for cle, valeur in valeurs.items():
            if cle != vide:
                ecrire(feuille, *cellules[(feuille, cle)], valeur)
    for j, code in enumerate(("C1", "C2")):
        for c in COLLECTIFS:
            ligne, col = cellules[("Collectifs", c.cle)]
            ecrire("Collectifs", ligne + j, col, code if c.cle == "code" else COLLECTIF[c.cle])
    for code, montant in BUDGET.items():
        ecrire("Budget", *cellules[("Budget", code)], montant)
    wb.save(chemin)


def _run(tmp_path: Path, chemin: Path) -> tuple[list[dict], list[dict]]:
    campagne = tmp_path / "campagne"
    campagne.mkdir()
    shutil.copy(TOML_EXEMPLE, campagne / "campagne.toml")
    shutil.move(chemin, campagne / "dossier.xlsx")
    sortie = tmp_path / "sortie"
    main(["run", str(campagne), "--out", str(sortie), "--sans-courriers"])
    lignes = []
    for nom in ("dossiers.csv", "anomalies.csv"):
        with (sortie / nom).open(encoding="utf-8") as f:
            lignes.append(list(csv.DictReader(f)))
    return lignes[0], lignes[1]


def test_rempli_par_un_porteur_il_est_traite(tmp_path):
    chemin = _template(tmp_path)
    _remplir(chemin)
    dossiers, anomalies = _run(tmp_path, chemin)
    assert [(d["fichier"], d["statut"], d["decision"]) for d in dossiers] == [
        ("dossier.xlsx", "TRAITE", "ACCORD")
    ]
    assert anomalies == []


def test_une_reponse_vide_n_est_pas_lue_dans_la_consigne_d_a_cote(tmp_path):
    chemin = _template(tmp_path)
    _remplir(chemin, vide="coordinateur_diplome")
    dossiers, anomalies = _run(tmp_path, chemin)
    assert dossiers[0]["statut"] == "INCOMPLET"
    (anomalie,) = anomalies
    ligne, _ = reperes(openpyxl.load_workbook(tmp_path / "campagne" / "dossier.xlsx"))[
        ("Porteur", "coordinateur_diplome")
    ]
    assert anomalie["cellule"] == f"B{ligne}" and "Bac+2 au moins" not in anomalie["valeur"]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice absent")
def test_imprime_par_libreoffice_en_8_pages_au_plus(tmp_path, vierge):
    pages = pypdf.PdfReader(imprimer(vierge, tmp_path)).pages
    assert len(pages) <= PAGES_MAX
    textes = [" ".join(p.extract_text().split()) for p in pages]
    assert "Dossier de demande CLAS – année scolaire 2026-2027" in textes[0]
    assert all("Page " in t for t in textes)
    porteur = next(t for t in textes if "Porteur" in t.split("Page")[0][:60])
    assert "Nom de la structure" in porteur and "Bac+2 au moins" in porteur
    assert any("Attestation sur l'honneur" in t for t in textes)
    tout = " ".join(textes)  # no column of Collectifs is clipped off the pages
    assert all(mot in tout for mot in ("Code collectif", "Durée d'une", "allophone"))


def test_chaque_consigne_parle_d_un_champ_du_dossier_et_de_ses_reponses():
    from campaign.decider.referentiel import REGISTRE
    from campaign.formulaire import CHAMPS, OUI_NON

    p = parametres_de_l_annee("2026-2027")
    for regle in REGISTRE.values():
        for c in regle.consignes:
            assert c.champs and all(champ in CHAMPS for champ in c.champs), regle.code
            for champ in c.champs:
                permises = OUI_NON if CHAMPS[champ].type == "ouinon" else CHAMPS[champ].choix
                assert set(c.refusees(p)) <= set(permises), (regle.code, champ)


def test_une_reponse_signalee_en_rouge_fait_bien_echouer_sa_regle():
    """The form's red answers and the rules' predicates say the same thing."""
    from construction import parametres as reglages
    from construction import tables

    from campaign.decider.referentiel import REGISTRE

    p = reglages()
    base_d, base_c = tables(({}, [{}]))  # an eligible dossier
    vues = 0
    for regle in REGISTRE.values():
        for (feuille, cle), reponses in (
            (k, consignes(p).refusees(*k)) for c in regle.consignes for k in c.champs
        ):
            for reponse in reponses:
                valeur = {"Oui": True, "Non": False}.get(reponse, reponse)
                surcharge = {cle: valeur} | ({"niveau_max": "CP"} if reponse == "Maternelle" else {})
                d, c = tables(({}, [surcharge])) if feuille == "Collectifs" else tables((surcharge, [{}]))
                table = c if regle.niveau == "collectif" else d
                assert regle.evaluer(table, p)["echec"].all(), (regle.code, cle, reponse)
                assert not regle.evaluer(base_c if regle.niveau == "collectif" else base_d, p)[
                    "echec"
                ].any(), regle.code
                vues += 1
    assert vues >= 20  # niveaux, repérage, aide aux devoirs, parents, diplômes, principes, axes
