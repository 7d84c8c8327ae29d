"""Reading a committee file as it comes back from Excel or LibreOffice (comite.md §1-§2)."""

import datetime as dt
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
from chemins import EXEMPLE
from comite_classeur import entetes, reenregistrer, remplir

from campaign.cli import main
from campaign.lire.comite import AJOURNE, DEFAVORABLE, FAVORABLE, ILLISIBLE, avis_lu, lire_comite, siret_lu
from campaign.lire.seances import Seance

ORTHOGRAPHES = {
    FAVORABLE: ["Favorable", "F", "Fav", "Oui", "Accord", "favorable ", "Fav.", " FAVORABLE.", "oui"],
    DEFAVORABLE: ["Défavorable", "D", "Défav", "Non", "Refus", "defavorable", "DÉFAVORABLE.", "Défav."],
    AJOURNE: ["Ajourné", "A", "Ajourne", "Reporté", "ajourné.", "REPORTE"],
}
SEANCE = Seance(dt.date(2027, 1, 20), "comite/avis.xlsx")


@pytest.fixture(scope="module")
def synthese(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("proposition") / "sortie"
    main(["run", str(EXEMPLE), "--out", str(out), "--sans-courriers"])
    return out / "synthese.xlsx"


def _collectifs(synthese: Path) -> list[tuple[str, str, str, str]]:
    """(siret, fichier, code, decision) of each row of the workbook the program wrote."""
    ws = openpyxl.load_workbook(synthese)["Collectifs"]
    col = entetes(ws)
    return [
        (
            ws.cell(r, col["SIRET"]).value,
            ws.cell(r, col["Fichier"]).value,
            ws.cell(r, col["Collectif"]).value,
            ws.cell(r, col["Décision"]).value,
        )
        for r in range(2, ws.max_row + 1)
    ]


@pytest.mark.parametrize("avis", list(ORTHOGRAPHES))
def test_toutes_les_orthographes(avis):
    for orthographe in ORTHOGRAPHES[avis]:
        assert avis_lu(orthographe) == avis, orthographe
    for illisible in ("Peut-être", "favorab", "Oui et non", 1, True):
        assert avis_lu(illisible) == ILLISIBLE
    assert avis_lu("  ") is None


def test_siret_en_nombre_ou_avec_espaces():
    assert siret_lu(2485607265882) == "02485607265882"
    assert siret_lu(2485607265882.0) == "02485607265882"
    assert siret_lu("024 856 072 65882") == "02485607265882"
    assert siret_lu("") == ""


def _trier_ajouter_cacher(ws, col):
    """What a committee does: sort by Total, add its own column, hide some, filter."""
    lignes = [[c.value for c in ligne] for ligne in ws.iter_rows(min_row=2)]
    total = col["Total"] - 1
    lignes.sort(key=lambda v: (-(float(v[total] or 0)), str(v[col["Fichier"] - 1])))
    for r, valeurs in enumerate(lignes, start=2):
        for c, v in enumerate(valeurs, start=1):
            ws.cell(r, c).value = v
    nouvelle = ws.max_column + 1
    ws.cell(1, nouvelle).value = "Notes de séance"
    ws.cell(2, nouvelle).value = "Défavorable"  # what is typed outside the avis column is ignored
    ws.column_dimensions["E"].hidden = True
    ws.auto_filter.ref = ws.dimensions
    ws.protection.sheet = False


def _avis_de_test(synthese: Path) -> dict:
    avis = {}
    spellings = [s for liste in ORTHOGRAPHES.values() for s in liste]
    for i, (_, fichier, code, _) in enumerate(_collectifs(synthese)):
        s = spellings[i % len(spellings)]
        avis[(fichier, code)] = (s, f"Commentaire {i} : « guillemets »\nsur deux lignes")
    return avis


@pytest.mark.parametrize("format_", ["ods", "xlsx"])
def test_relu_apres_libreoffice_trie_avec_colonne_ajoutee(synthese, tmp_path, format_):
    avis = _avis_de_test(synthese)
    rempli = remplir(synthese, tmp_path / "rempli" / "avis.xlsx", avis, _trier_ajouter_cacher)
    relu = reenregistrer(rempli, format_, tmp_path / "comite")
    lecture = lire_comite(tmp_path, Seance(SEANCE.date, f"comite/{relu.name}"))
    assert lecture.anomalies == []
    lus = {(lg.fichier, lg.collectif): lg for lg in lecture.lignes}
    assert set(lus) == set(avis)
    sirets = {(f, c): s for s, f, c, _ in _collectifs(synthese)}
    for cle, (orthographe, commentaire) in avis.items():
        lg = lus[cle]
        assert lg.avis == avis_lu(orthographe)
        assert lg.commentaire == commentaire
        assert lg.siret == sirets[cle]
        assert lg.decision in ("ACCORD", "REFUS") and lg.total is not None and lg.total >= 0


def test_cellules_vides_sautees_formule_sans_valeur_illisible(synthese, tmp_path):
    (_, f1, c1, _), (_, f2, c2, _), (_, f3, c3, _) = _collectifs(synthese)[:3]

    def formules(ws, col):
        for r in range(2, ws.max_row + 1):
            cle = (ws.cell(r, col["Fichier"]).value, ws.cell(r, col["Collectif"]).value)
            if cle == (f2, c2):
                ws.cell(r, col["Avis du comité"]).value = '=IF(1=1,"Favorable","")'
            if cle == (f3, c3):  # a formula-looking comment typed as text stays text
                cellule = ws.cell(r, col["Commentaire"])
                cellule.value, cellule.data_type = '=HYPERLINK("http://x","y")', "s"

    chemin = remplir(
        synthese,
        tmp_path / "comite" / "avis.xlsx",
        {(f1, c1): ("Peut-être", ""), (f3, c3): ("Favorable", "")},
        formules,
    )
    lecture = lire_comite(tmp_path, SEANCE)
    codes = [(a.code, a.champ, a.cellule[:2].rstrip("0123456789")) for a in lecture.anomalies]
    assert [c[:2] for c in codes] == [("AVIS-ILLISIBLE", "Avis du comité")] * 2
    assert {lg.collectif for lg in lecture.lignes if lg.avis != ILLISIBLE} == {c3}
    (lg,) = [lg for lg in lecture.lignes if lg.avis != ILLISIBLE]
    assert lg.commentaire == '=HYPERLINK("http://x","y")'
    assert chemin.exists()


def test_siret_retape_en_nombre_et_ligne_sans_siret(synthese, tmp_path):
    (s1, f1, c1, _), (_, f2, c2, _) = _collectifs(synthese)[:2]

    def retaper(ws, col):
        for r in range(2, ws.max_row + 1):
            if ws.cell(r, col["Fichier"]).value == f1 and ws.cell(r, col["Collectif"]).value == c1:
                ws.cell(r, col["SIRET"]).value = int(s1)
            if ws.cell(r, col["Fichier"]).value == f2 and ws.cell(r, col["Collectif"]).value == c2:
                ws.cell(r, col["SIRET"]).value = None

    remplir(
        synthese, tmp_path / "comite" / "avis.xlsx", {(f1, c1): ("Fav", ""), (f2, c2): ("Fav", "")}, retaper
    )
    lignes = {lg.collectif + lg.fichier: lg for lg in lire_comite(tmp_path, SEANCE).lignes}
    assert lignes[c1 + f1].siret == s1
    assert lignes[c2 + f2].siret == "" and lignes[c2 + f2].fichier == f2


# --- what stops the run: exit 2, one sentence, nothing written -----------------------------

BLOC = '\n[[comite]]\ndate = {date}\navis = "{avis}"\n'


def _campagne(tmp_path: Path, blocs: str, fichiers: dict[str, bytes | Path] | None = None) -> Path:
    dossier = tmp_path / "campagne"
    shutil.copytree(EXEMPLE, dossier)
    for nom, contenu in (fichiers or {}).items():
        cible = dossier / nom
        cible.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(contenu, Path):
            shutil.copy(contenu, cible)
        else:
            cible.write_bytes(contenu)
    with (dossier / "campagne.toml").open("a", encoding="utf-8") as f:
        f.write(blocs)
    return dossier


def _bombe(chemin: Path, taille: int = 2 << 30) -> None:
    with (
        zipfile.ZipFile(chemin, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as z,
        z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f,
    ):
        bloc = bytes(64 << 20)
        for _ in range(taille // len(bloc)):
            f.write(bloc)


def _sans_entetes(synthese: Path, tmp_path: Path) -> Path:
    wb = openpyxl.load_workbook(synthese)
    ws = wb["Collectifs"]
    for c in ws[1]:
        if c.value == "Avis du comité":
            c.value = "Avis"
    wb.save(tmp_path / "sans_entete.xlsx")
    return tmp_path / "sans_entete.xlsx"


def _sans_feuille(synthese: Path, tmp_path: Path) -> Path:
    wb = openpyxl.load_workbook(synthese)
    del wb["Collectifs"]
    wb.save(tmp_path / "sans_feuille.xlsx")
    return tmp_path / "sans_feuille.xlsx"


@pytest.mark.parametrize(
    "cas, mot",
    [
        ("absent", "introuvable"),
        ("hors_comite", "comite/"),
        ("remonte", "comite/"),
        ("date_texte", "date"),
        ("date_heure", "date"),
        ("meme_date", "déjà déclarée"),
        ("meme_fichier", "déjà celui"),
        ("pas_un_classeur", "classeur"),
        ("sans_feuille", "Collectifs"),
        ("sans_entete", "Avis du comité"),
        ("bombe", "suspect"),
    ],
)
def test_fichier_du_comite_qui_arrete_la_campagne(synthese, tmp_path, capsys, cas, mot):
    bon = {"comite/avis.xlsx": synthese}
    blocs, fichiers = {
        "absent": (BLOC.format(date="2027-01-20", avis="comite/absent.xlsx"), {}),
        "hors_comite": (BLOC.format(date="2027-01-20", avis="avis.xlsx"), {"avis.xlsx": synthese}),
        "remonte": (BLOC.format(date="2027-01-20", avis="comite/../campagne.toml"), bon),
        "date_texte": (BLOC.format(date='"20/01/2027"', avis="comite/avis.xlsx"), bon),
        "date_heure": (BLOC.format(date="2027-01-20T09:00:00", avis="comite/avis.xlsx"), bon),
        "meme_date": (
            BLOC.format(date="2027-01-20", avis="comite/avis.xlsx")
            + BLOC.format(date="2027-01-20", avis="comite/b.xlsx"),
            {**bon, "comite/b.xlsx": synthese},
        ),
        "meme_fichier": (
            BLOC.format(date="2027-01-20", avis="comite/avis.xlsx")
            + BLOC.format(date="2027-03-17", avis="comite/avis.xlsx"),
            bon,
        ),
        "pas_un_classeur": (
            BLOC.format(date="2027-01-20", avis="comite/avis.xlsx"),
            {"comite/avis.xlsx": b"PK\x03\x04 pas un zip"},
        ),
        "sans_feuille": (
            BLOC.format(date="2027-01-20", avis="comite/avis.xlsx"),
            {"comite/avis.xlsx": _sans_feuille(synthese, tmp_path)},
        ),
        "sans_entete": (
            BLOC.format(date="2027-01-20", avis="comite/avis.xlsx"),
            {"comite/avis.xlsx": _sans_entetes(synthese, tmp_path)},
        ),
        "bombe": (BLOC.format(date="2027-01-20", avis="comite/avis.xlsx"), {}),
    }[cas]
    dossier = _campagne(tmp_path, blocs, fichiers)
    if cas == "bombe":
        (dossier / "comite").mkdir()
        _bombe(dossier / "comite" / "avis.xlsx")
    out = tmp_path / "sortie"
    assert main(["run", str(dossier), "--out", str(out), "--sans-courriers"]) == 2
    erreur = capsys.readouterr().err.strip()
    assert erreur.startswith("Erreur : ") and mot in erreur and "Traceback" not in erreur, erreur
    assert len(erreur.splitlines()) == 1
    assert not out.exists()


def test_le_dossier_comite_n_est_pas_un_dossier(synthese, tmp_path, capsys):
    dossier = _campagne(tmp_path, "", {"comite/avis-2027-01-20.xlsx": synthese})
    out = tmp_path / "sortie"
    main(["run", str(dossier), "--out", str(out), "--sans-courriers"])
    assert "comite" not in (out / "dossiers.csv").read_text(encoding="utf-8")
    console = capsys.readouterr().out
    assert "comite/avis-2027-01-20.xlsx" in console and "non utilisé" in console
