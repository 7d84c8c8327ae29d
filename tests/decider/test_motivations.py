"""Every unfavourable decision is explained with its value (CRPA L211-2, L211-5)."""

import re

from construction import decider, parametres

from campaign.decider import motivations


def _textes(*dossiers, **options):
    decisions = decider(*dossiers, **options)
    return decisions, motivations.textes(decisions, parametres(**options))


def test_chaque_motif_de_refus_est_explique_avec_sa_valeur():
    decisions, t = _textes(
        (
            {"coordinateur_diplome": "Bac", "P3": False},
            [
                {"enfants": 13, "semaines": 26},
                {"rural": True, "enfants": 4, "seances_semaine": 1, "duree_seance": 1.5},
            ],
        )
    )
    c = decisions.collectifs
    for ligne in c.itertuples(index=False):
        for code in ligne.motifs.split("|"):
            assert code in set(t["code"]), code
    textes = " ".join(t["texte"])
    for valeur in (
        "13 enfants",
        "26 semaines",
        "4 enfants",
        "« Bac »",
        "P3 « Compréhension des codes de l'école »",
        "1 h 30 par séance",
        "en milieu rural 1 séance de 2 h",
    ):
        assert valeur in textes, valeur


def test_bonus_non_accorde_explique():
    _, t = _textes(({}, [{"be_projet": True}, {"bp_actions": True}]))
    bonus = t[t["nature"] == "bonus"]
    assert set(zip(bonus["code_collectif"], bonus["code"])) == {
        ("C1", "BONUS-ENFANTS"),
        ("C1", "BONUS-PARENTS"),
        ("C2", "BONUS-ENFANTS"),
        ("C2", "BONUS-PARENTS"),
    }
    assert (
        "aucun des critères"
        in bonus[(bonus["code_collectif"] == "C1") & (bonus["code"] == "BONUS-ENFANTS")]["texte"].iloc[0]
    )
    assert (
        "critère obligatoire"
        in bonus[(bonus["code_collectif"] == "C2") & (bonus["code"] == "BONUS-PARENTS")]["texte"].iloc[0]
    )


def test_ecretement_sans_arithmetique_fausse():
    # charges 10 000, other income 9 900, a 305 € bonus: nothing is left for the PS
    _, t = _textes(({"C64": 1_000_000, "P74-COMMUNE": 990_000}, [{"be_projet": True, "be_sorties": True}]))
    (texte,) = t.loc[t["code"] == "F-ECRETEMENT", "texte"]
    texte = texte.replace("\u202f", " ").replace("\xa0", " ")
    assert (
        "Charges 10 000,00 € − autres produits 9 900,00 € (« Subvention Commune(s) » 9 900,00 €) = 100,00 €"
    ) in texte
    assert "Les bonus calculés (305,00 €) dépassent eux-mêmes ce montant" in texte
    assert "C1 : prestation 2 563,00 € → 0,00 €, bonus enfants 305,00 € → 100,00 €" in texte
    assert not re.search(r"-\s?\d", texte)  # no hyphen for a minus, no negative amount


def test_ecretement_une_fois_par_dossier():
    collectif = {"be_projet": True, "be_sorties": True}
    _, t = _textes(({"C64": 2_000_000, "P74-COMMUNE": 1_500_000, "P70": 100_000}, [collectif] * 3))
    ecretement = t[t["code"] == "F-ECRETEMENT"]
    assert len(ecretement) == 1 and ecretement["code_collectif"].iloc[0] == ""
    texte = ecretement["texte"].iloc[0].replace("\u202f", " ").replace("\xa0", " ")
    assert "« Participation des familles et ventes » 1 000,00 €" in texte
    assert all(f"C{i} : prestation" in texte for i in (1, 2, 3))
    (calcul,) = t.loc[t["code"] == "CALCUL-PS", "texte"]
    assert "avant l'écrêtement" in calcul


def test_les_avertissements_ne_sont_pas_des_motifs():
    _, t = _textes(({"formation": False}, [{}]))
    assert set(t.loc[t["code"] == "A-FORMATION", "nature"]) == {"avertissement"}
