"""The operator's dossier sent back with a completion request (issue 25): pre-filled with the
values read, whatever the format, its anomalies highlighted and commented, « À corriger » first.

Round trip: returned unchanged, it reads back to the same values and anomalies as the file it
came from (but those about where things were in that file: a missing sheet, line or column is
there now, empty); corrected where highlighted, it is TRAITE. Nothing of the operator's file but
values: no macro, external link, formula, hidden sheet. The blank dossier's protection holds.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
from chemins import copier_campagne_toml_livree

from campaign import formulaire as F
from campaign.dossier_vierge.a_corriger import FEUILLE, SURLIGNAGES, ecrire_classeurs_a_corriger
from campaign.dossier_vierge.caf import caf_de
from campaign.dossier_vierge.classeur import construire_dossier_vierge
from campaign.dossier_vierge.regles import consignes_de_l_annee
from campaign.lire.anomalies import BLOQUANT
from campaign.lire.campagne import charger_campagne
from campaign.lire.feuilles import champ_du_libelle
from campaign.run import pipeline

RACINE = Path(__file__).parents[1]
LIVREE = RACINE / "inputs" / "2026-2027"
CAMPAGNE = charger_campagne(LIVREE)
# anomalies about where things were in the file sent: the pre-filled dossier has the form's
# layout, so they are gone (the missing now in place and empty), or belong to the campagne
DISPOSITION = {
    "FEUILLE-MANQUANTE",
    "LIBELLE-MANQUANT",
    "COLONNE-MANQUANTE",
    "LIBELLE-INCONNU",
    "COLONNE-INCONNUE",
    "LIGNE-BUDGET-INCONNUE",
    "LIGNE-BUDGET-DOUBLE",
    "LIGNE-BUDGET-ABSENTE",
    "FORMULE-SANS-VALEUR",
    "DOUBLON-SIRET",  # another file of the campagne
    "BUDGET-VIDE",  # the Budget sheet that was missing, now empty
    "VALEUR-MANQUANTE",  # a line or column that was missing, now empty
}
REMPLIS = {BLOQUANT: "F4A3A3"}


def lire(dossier: Path):
    lectures = pipeline.lire(dossier, processus=1)
    return lectures, *pipeline.valider(lectures)


def preremplir(dossier: Path, sortie: Path) -> dict[str, Path]:
    """Each INCOMPLET file of `dossier` -> its pre-filled dossier written into `sortie`."""
    lectures, _, anomalies, etats = lire(dossier)
    classeurs = {
        f"{lec.fichier}.prerempli.xlsx": lec for lec in lectures if etats[lec.fichier] == "INCOMPLET"
    }
    sortie.mkdir(parents=True, exist_ok=True)
    ecrire_classeurs_a_corriger(sortie, CAMPAGNE, classeurs, anomalies)
    return {lec.fichier: sortie / nom for nom, lec in classeurs.items()}


def lu_seul(chemin: Path, dossier: Path):
    """`chemin` read alone, in its own folder: (values by sheet, anomalies, status)."""
    dossier.mkdir(parents=True)
    shutil.copy2(chemin, dossier / "dossier.xlsx")
    _, tables, anomalies, etats = lire(dossier)
    return tables, anomalies, etats["dossier.xlsx"]


def valeurs(tables, fichier: str) -> dict:
    return {
        f: t.valeurs[t.valeurs["fichier"] == fichier].drop(columns="fichier").reset_index(drop=True)
        for f, t in tables.items()
    }


def comparables(anomalies, fichier: str) -> list[tuple]:
    return sorted(
        (a.code, a.champ, a.valeur, a.gravite)
        for a in anomalies
        if a.fichier == fichier and a.code not in DISPOSITION
    )


def verifier_aller_retour(dossier: Path, tmp_path: Path) -> dict[str, Path]:
    """Every INCOMPLET file of `dossier`: its pre-filled dossier read back gives its values and
    anomalies; then corrected where highlighted, TRAITE."""
    _, tables, anomalies, _ = lire(dossier)
    ecrits = preremplir(dossier, tmp_path / "preremplis")
    assert ecrits
    for i, (fichier, chemin) in enumerate(sorted(ecrits.items())):
        t2, a2, _ = lu_seul(chemin, tmp_path / f"relu{i}")
        avant, apres = valeurs(tables, fichier), valeurs(t2, "dossier.xlsx")
        for feuille, v in avant.items():
            if not v.empty:  # a sheet missing from the file sent is in the pre-filled one, empty
                assert v.equals(apres[feuille]), (fichier, feuille, v.compare(apres[feuille]))
        assert comparables(anomalies, fichier) == comparables(a2, "dossier.xlsx"), fichier
        corrige = tmp_path / f"corrige{i}.xlsx"
        corriger(chemin, corrige)
        _, a3, statut = lu_seul(corrige, tmp_path / f"corrige{i}")
        assert statut == "TRAITE", (fichier, [a.message for a in a3 if a.gravite == BLOQUANT])
    return ecrits


# what the sentences ask for, by the field's kind: « écrivez un nombre entier en chiffres,
# par exemple 12 », « une date qui existe », an amount for an empty budget
CORRECTIONS = {"entier": 12, "date": dt.datetime(2027, 6, 11), "montant": 5000, "ouinon": "Oui"}


def corriger(chemin: Path, sortie: Path) -> None:
    """Write, in each red cell the « À corriger » sheet links to, what its sentence asks."""
    wb = openpyxl.load_workbook(chemin)
    for ligne in wb[FEUILLE].iter_rows(min_row=5):
        lien = ligne[1].hyperlink
        if lien is None or ligne[3].value != "À corriger":
            continue
        feuille, case = re.fullmatch(r"'(.+)'!([A-Z]+\d+)", lien.location).groups()
        ws = wb[feuille]
        cell = ws[case]
        libelle = ws.cell(1, cell.column).value if feuille == "Collectifs" else ws.cell(cell.row, 1).value
        if feuille == "Budget":
            libelle = ws.cell(cell.row, 1).value
        cle = champ_du_libelle(feuille, str(libelle))
        kind = F.CHAMPS[(feuille, cle)].type
        if kind != "siret":  # a SIRET in two files: the Caf is told which stands, the cell stays
            cell.value = CORRECTIONS[kind]
    wb.save(sortie)


def test_aller_retour_campagne_livree(tmp_path):
    """The shipped campagne's INCOMPLET files (a count « douze », a date 31/02, no Budget sheet,
    a SIRET twice)."""
    dossier = tmp_path / "campagne"
    dossier.mkdir()
    for f in LIVREE.glob("defaut_*.xlsx"):
        shutil.copy2(f, dossier / f.name)
    copier_campagne_toml_livree(dossier)
    ecrits = verifier_aller_retour(dossier, tmp_path)
    assert {f.split(".")[0] for f in ecrits} >= {
        "defaut_mot_nombre",
        "defaut_date_impossible",
        "defaut_sans_budget",
        "defaut_siret_doublon_a",
    }
    wb = openpyxl.load_workbook(ecrits["defaut_mot_nombre.xlsx"])
    assert wb.sheetnames[0] == FEUILLE and wb.active.title == FEUILLE
    (case,) = [
        c for ws in wb.worksheets for r in ws.iter_rows() for c in r if c.fill.fgColor.rgb.endswith("F4A3A3")
    ][1:]  # the first: the gravity of its row in « À corriger »
    assert case.parent.title == "Collectifs" and case.value == "douze"  # as the operator typed it
    commentaire = case.comment.text.replace("\u00a0", " ")
    assert "« douze » n’est pas un nombre entier" in commentaire and "par exemple 12" in commentaire
    ligne = next(r for r in wb[FEUILLE].iter_rows(min_row=5) if r[1].hyperlink)
    assert (
        ligne[1].hyperlink.location == f"'Collectifs'!{case.coordinate}" and ligne[1].value == case.coordinate
    )
    assert ligne[5].value == "Collectifs!F3"  # where it was in the file sent, as the letter says


def test_meme_octets(tmp_path):
    dossier = tmp_path / "c"
    dossier.mkdir()
    shutil.copy2(LIVREE / "defaut_mot_nombre.xlsx", dossier)
    un = preremplir(dossier, tmp_path / "un")["defaut_mot_nombre.xlsx"].read_bytes()
    deux = preremplir(dossier, tmp_path / "deux")["defaut_mot_nombre.xlsx"].read_bytes()
    assert un == deux


def _formules(wb) -> set[tuple]:
    return {
        (ws.title, c.coordinate, c.value)
        for ws in wb.worksheets
        for r in ws.iter_rows()
        for c in r
        if c.data_type == "f"
    }


def hostile(source: Path, chemin: Path) -> None:
    """`source` as an .xlsm with a macro part, an external reference, a formula typed as text,
    a hidden sheet and an unknown label with its answer."""
    wb = openpyxl.load_workbook(source)
    ws = wb["Porteur"]
    lignes = {c.value: c.row for c in ws["A"] if c.value}
    ws.cell(lignes["Nom de la structure"], 2).value = "='[autre.xlsx]Feuil1'!A1"  # no cached value
    ws.cell(lignes["Adresse"], 2).value = '=HYPERLINK("http://exemple.invalid")'
    ws.cell(lignes["Adresse"], 2).data_type = "s"  # typed as text, as a spreadsheet keeps it
    ws.cell(ws.max_row + 2, 1).value = "Numéro de fax"
    ws.cell(ws.max_row, 2).value = "04 75 00 00 01"
    secret = wb.create_sheet("Secret")
    secret["A1"] = "à ne pas recopier"
    secret.sheet_state = "hidden"
    brut = chemin.with_suffix(".tmp")
    wb.save(brut)
    with zipfile.ZipFile(brut) as z, zipfile.ZipFile(chemin, "w") as sortie:
        for info in z.infolist():
            contenu = z.read(info.filename)
            if info.filename == "[Content_Types].xml":
                contenu = contenu.replace(
                    b"</Types>",
                    b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>',
                )
            sortie.writestr(info, contenu)
        sortie.writestr(
            "xl/vbaProject.bin", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + b"Attribute VB_Name"
        )
    brut.unlink()


def test_rien_que_des_valeurs(tmp_path):
    dossier = tmp_path / "c"
    dossier.mkdir()
    hostile(LIVREE / "defaut_mot_nombre.xlsx", dossier / "macro.xlsm")
    (chemin,) = preremplir(dossier, tmp_path / "sortie").values()
    with zipfile.ZipFile(chemin) as z:
        noms = z.namelist()
        tout = b"".join(z.read(n) for n in noms)
    assert not [n for n in noms if "vba" in n.lower() or "external" in n.lower()]
    assert b"autre.xlsx" not in tout and b'TargetMode="External"' not in tout and b"VB_Name" not in tout
    assert b"ne pas recopier" not in tout
    wb = openpyxl.load_workbook(chemin)
    vierge = construire_dossier_vierge(
        CAMPAGNE.annee, consignes_de_l_annee(CAMPAGNE.annee, campagne=CAMPAGNE), caf_de(CAMPAGNE)
    )
    assert _formules(wb) == _formules(vierge)  # the blank dossier's own totals, none of the operator's
    assert wb.sheetnames == [FEUILLE, *vierge.sheetnames]
    assert [ws.title for ws in wb.worksheets if ws.sheet_state != "visible"] == ["Listes"]
    porteur = wb["Porteur"]
    adresse = next(c for c in porteur["B"] if isinstance(c.value, str) and c.value.startswith("=HYPER"))
    assert adresse.data_type == "s"  # the operator's text, kept as text
    a_corriger = [[c.value for c in r] for r in wb[FEUILLE].iter_rows()]
    fax = next(r for r in a_corriger if r[2] == "Numéro de fax")  # not placed: where it was
    assert fax[0] == "Porteur" and re.fullmatch(r"A\d+", fax[1])
    nom = next(r for r in a_corriger if r[0] == "Porteur" and r[2] == "Nom de la structure")
    assert "formule" in nom[4] and nom[3] == "À corriger"


def test_protection_du_dossier_vierge(tmp_path):
    dossier = tmp_path / "c"
    dossier.mkdir()
    shutil.copy2(LIVREE / "defaut_date_impossible.xlsx", dossier)
    (chemin,) = preremplir(dossier, tmp_path / "sortie").values()
    wb = openpyxl.load_workbook(chemin)
    vierge = construire_dossier_vierge(CAMPAGNE.annee)
    for ws in vierge.worksheets:
        assert wb[ws.title].protection.sheet == ws.protection.sheet
    assert all(wb[f].protection.sheet for f in F.FEUILLES) and wb[FEUILLE].protection.sheet
    surlignees = [
        c
        for f in F.FEUILLES
        for r in wb[f].iter_rows()
        for c in r
        if c.fill.fgColor.rgb in {"00" + x.fgColor.rgb[-6:] for x in SURLIGNAGES.values()}
        or c.fill.fgColor.rgb in {x.fgColor.rgb for x in SURLIGNAGES.values()}
    ]
    assert surlignees and all(not c.protection.locked and c.comment for c in surlignees)
    collectifs = wb["Collectifs"]
    assert all(not collectifs.cell(2, j).protection.locked for j in range(1, len(F.COLLECTIFS) + 1))


@pytest.mark.lent
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is needed")
@pytest.mark.parametrize("format_", ["xls", "ods", "xlsb"])
def test_aller_retour_anciens_formats(tmp_path, format_):
    """The same INCOMPLET dossiers saved as .xls and .ods by LibreOffice, and as .xlsb by the
    tests' writer: pre-filled from what was read, they read back the same."""
    import subprocess

    from xlsb import depuis_xlsx

    dossier = tmp_path / "campagne"
    dossier.mkdir()
    sources = [LIVREE / f"{n}.xlsx" for n in ("defaut_mot_nombre", "defaut_date_impossible")]
    if format_ == "xlsb":
        for s in sources:
            depuis_xlsx(s, dossier / f"{s.stem}.xlsb")
    else:
        subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation=file://{tmp_path}/profil",
                "--headless",
                "--convert-to",
                format_,
                "--outdir",
                str(dossier),
                *map(str, sources),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
    assert len(list(dossier.glob(f"*.{format_}"))) == 2
    verifier_aller_retour(dossier, tmp_path)


@pytest.mark.lent
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is needed")
def test_libreoffice_montre_les_commentaires_et_suit_les_liens(tmp_path):
    """Printed by LibreOffice with its comments (as PDF notes): each highlighted cell has its
    comment's note, and each link of « À corriger » goes to the page and height of its cell's note."""
    import os
    import subprocess

    from pypdf import PdfReader

    dossier = tmp_path / "c"
    dossier.mkdir()
    for n in ("defaut_mot_nombre", "defaut_date_impossible"):
        shutil.copy2(LIVREE / f"{n}.xlsx", dossier)
    for i, chemin in enumerate(preremplir(dossier, tmp_path / "sortie").values()):
        subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation=file://{tmp_path}/profil",
                "--headless",
                "--convert-to",
                'pdf:calc_pdf_Export:{"ExportNotes":{"type":"boolean","value":"true"}}',
                "--outdir",
                str(tmp_path / f"pdf{i}"),
                str(chemin),
            ],
            check=True,
            capture_output=True,
            timeout=240,
            env={**os.environ, "LC_ALL": "fr_FR.UTF-8"},
        )
        pdf = PdfReader(next((tmp_path / f"pdf{i}").glob("*.pdf")))
        notes, liens = [], []
        for n, page in enumerate(pdf.pages):
            for annotation in page.get("/Annots") or []:
                a = annotation.get_object()
                if a["/Subtype"] == "/Text":
                    notes.append((n, [float(x) for x in a["/Rect"]], " ".join(str(a["/Contents"]).split())))
                elif a["/Subtype"] == "/Link" and "/Dest" in a:
                    cible = a["/Dest"]
                    page_cible = next(k for k, p in enumerate(pdf.pages) if p.indirect_reference == cible[0])
                    liens.append((n, page_cible, float(cible[2]), float(cible[3])))
        wb = openpyxl.load_workbook(chemin)
        commentaires = [
            " ".join(c.comment.text.split())
            for f in F.FEUILLES
            for r in wb[f].iter_rows()
            for c in r
            if c.comment
        ]
        assert commentaires and sorted(t for *_, t in notes) == sorted(commentaires)
        assert liens and len(liens) == sum(1 for r in wb[FEUILLE].iter_rows() if r[1].hyperlink)
        for page_lien, page_cible, x, y in liens:
            assert page_lien == 0  # « À corriger », printed first
            # the cell's note: on that page, at the top right of the cell the link reaches
            assert any(n == page_cible and abs(r[3] - y) < 4 and x < r[0] < x + 120 for n, r, _ in notes)


def test_la_lettre_le_dit_et_le_cache_n_en_prive_pas(tmp_path):
    """The completion letter names its workbook; a rerun that takes the PDF from the letters'
    cache still writes the workbook, the same bytes."""
    from pypdf import PdfReader

    from campaign.run.courriers import ecrire_courriers

    dossier = tmp_path / "c"
    dossier.mkdir()
    toml = (LIVREE / "campagne.toml").read_text(encoding="utf-8")
    (dossier / "campagne.toml").write_text(re.sub(r"\n\[historique\][^\[]*", "\n", toml), encoding="utf-8")
    for n in ("defaut_mot_nombre", "dossier_001_centre_social_coluche"):
        shutil.copy2(LIVREE / f"{n}.xlsx", dossier)
    lectures, tables, anomalies, etats = lire(dossier)
    resultat = pipeline.decider(charger_campagne(dossier), lectures, tables, anomalies, etats)
    cache, jour = tmp_path / "cache", dt.date(2026, 12, 1)
    premier = ecrire_courriers(resultat, tmp_path / "un", jour, cache, processus=1)
    classeurs = [f for f in premier["fichiers"] if f.endswith(".xlsx")]
    assert len(classeurs) == 1 and classeurs[0].removesuffix(".xlsx") + ".pdf" in premier["fichiers"]
    pdf = tmp_path / "un" / classeurs[0].removesuffix(".xlsx")
    texte = " ".join(PdfReader(f"{pdf}.pdf").pages[0].extract_text().split()).replace("\u00a0", " ")
    nom = classeurs[0].removeprefix("courriers/")
    assert f"le classeur {nom}" in texte.replace("- ", "-").replace("-\n", "")
    assert "c’est votre propre dossier, prérempli" in texte and "surlignées" in texte
    second = ecrire_courriers(resultat, tmp_path / "deux", jour, cache, processus=1)
    assert second["caches"] == 2 and second["fichiers"] == premier["fichiers"]
    assert (tmp_path / "deux" / classeurs[0]).read_bytes() == (tmp_path / "un" / classeurs[0]).read_bytes()


def test_le_champ_d_un_collectif_nomme_le_collectif(tmp_path):
    """« Nombre d'enfants » alone would not say which row: the letter names the collectif, so
    does the « À corriger » sheet."""
    dossier = tmp_path / "c"
    dossier.mkdir()
    shutil.copy2(LIVREE / "defaut_mot_nombre.xlsx", dossier)  # « douze » in collectif C2's count
    (chemin,) = preremplir(dossier, tmp_path / "sortie").values()
    lignes = list(openpyxl.load_workbook(chemin)[FEUILLE].iter_rows(values_only=True))
    assert ("Collectifs", "F3", "Nombre d'enfants (collectif C2)") in [r[:3] for r in lignes]
