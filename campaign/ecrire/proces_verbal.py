"""The minutes of each committee session: `comite/proces-verbal-AAAA-MM-JJ.pdf` (comite.md §4).

Same house style and renderer as the letters (Jinja -> WeasyPrint, reproducible bytes): the
session's date and president, the rows of its file carrying an avis, every avis departing
from the proposition with its Commentaire, the postponed collectifs, the totals decided and
projected up to this session against the envelope, and the anomalies of its file.
"""

from __future__ import annotations

from pathlib import Path

from campaign import formats
from campaign.ecrire.courriers.comite import LIBELLES, accord_ou_eligible
from campaign.ecrire.courriers.rendu import environnement, pdf
from campaign.ecrire.gabarits import dossiers_gabarits
from campaign.lire.comite import COMMENTAIRE_MAX
from campaign.resultat import BilanSeance

GABARIT = "proces_verbal.html.j2"
DOSSIER = "comite"
PRESIDENT_PAR_DEFAUT = "Le président de séance"  # or la présidente: the title of the role


def _quorum(membres: tuple[str, ...], quorum: int | None) -> str:
    """Whether the members present reach the quorum, in a sentence ('' when none is given)."""
    if quorum is None:
        return ""
    s = "s" if len(membres) > 1 else ""
    presents = f"{formats.nombre(len(membres))} membre{s} présent{s}"
    atteint = "est atteint" if len(membres) >= quorum else "n'est pas atteint"
    return f"Le quorum de {formats.nombre(quorum)} membres {atteint} ({presents})."


def _ecartees(motifs: str) -> str:
    """'(dérogation : R-FREQUENCE écartée)', from a collectif's refusal codes."""
    codes = [m for m in motifs.split("|") if m.startswith("R-")]
    if not codes:
        return ""
    return f"(dérogation : {', '.join(codes)} écartée{'s' if len(codes) > 1 else ''})"


def nom_fichier(bilan: BilanSeance) -> str:
    return f"{DOSSIER}/proces-verbal-{bilan.fichier.seance.jour}.pdf"


def vue(resultat, bilan: BilanSeance) -> dict:
    """Everything the minutes say, already formatted in French."""
    seance = bilan.fichier.seance
    noms = resultat.dossiers.set_index("fichier")["nom"]
    caf = resultat.campagne.caf
    enveloppe = int(resultat.campagne.enveloppe * 100)

    finales = resultat.comite.collectifs
    motifs = dict(
        zip(zip(finales["fichier"], finales["code_collectif"].astype(str).str.strip()), finales["motifs"])
    )

    def porteur(fichier: str) -> str:
        nom = noms.get(fichier, "")
        return str(nom) if nom else fichier

    return {
        "annee": resultat.campagne.annee,
        "caf": {"nom": caf["nom"], "adresse": list(caf["adresse"]), "ville": caf["ville"]},
        "date_iso": seance.jour,
        "date": formats.date_longue(seance.date),
        "fichier": seance.avis,
        "sha256": bilan.fichier.sha256,
        "president": seance.president or "",
        # who signs: the session's president, named (no title printed over a name) or not
        "qualite": "" if seance.president else PRESIDENT_PAR_DEFAUT,
        "secretaire": seance.secretaire or "",
        "membres": list(seance.membres),
        "quorum": _quorum(seance.membres, seance.quorum),
        "signature": resultat.campagne.signature.uri if resultat.campagne.signature else "",
        "signataire": dict(caf["signataire"]),
        "annexe": [
            {
                "porteur": porteur(ligne.fichier),
                "fichier": ligne.fichier,
                "collectif": ligne.collectif,
                "proposition": LIBELLES[ligne.proposition],
                "avis": ligne.avis,
                "decision": accord_ou_eligible(True, ligne.total)
                if ligne.decision == "ACCORD"
                else LIBELLES[ligne.decision],
                "total": formats.euros(ligne.total) if ligne.decision == "ACCORD" else "—",
            }
            for ligne in bilan.annexe
        ],
        "lignes": formats.nombre(bilan.lignes_avis),
        "appliques": formats.nombre(bilan.appliques),
        "ecarts": [
            {
                "porteur": porteur(f),
                "fichier": f,
                "collectif": code,
                "proposition": LIBELLES[prop],
                "avis": a.avis,
                "commentaire": formats.citation(a.commentaire, COMMENTAIRE_MAX),
                # a derogation names the rules it sets aside (comite.md §5)
                "ecartees": _ecartees(motifs.get((f, code), "")) if prop == "REFUS" else "",
            }
            for (f, code), prop, a in bilan.divergents
        ],
        "ajournes": [
            {
                "porteur": porteur(f),
                "fichier": f,
                "collectif": code,
                "commentaire": formats.citation(a.commentaire, COMMENTAIRE_MAX) if a.commentaire else "",
            }
            for (f, code), a in bilan.ajournes
        ],
        "total_decide": formats.euros(bilan.total_decide),
        "total_projete": formats.euros(bilan.total_projete),
        "enveloppe": formats.euros(enveloppe),
        "reste": formats.euros(enveloppe - bilan.total_projete),
        "depassement": bilan.total_projete > enveloppe,
        "arbitrage": _arbitrage(bilan),
        "anomalies": [
            {"cellule": a.cellule, "code": a.code, "message": a.message}
            for a in sorted(bilan.refuses, key=lambda a: a.cle_tri())
        ],
    }


def _arbitrage(bilan: BilanSeance) -> dict | None:
    """The mode applied to fit the envelope once the session's avis are applied (arbitrage.md)."""
    a = bilan.arbitrage
    s = a.applique if a else None
    if s is None:
        return None
    return {
        "mode": s.mode.libelle.lower(),
        "facteur": f"coefficient de {s.coefficient_texte}"
        if s.coefficient is not None
        else f"plafond de {formats.euros(s.plafond or 0)} par porteur",
        "avant": formats.euros(s.avant),
        "apres": formats.euros(s.apres),
        "reduits": formats.pluriel(len(s.reductions), "dossier")
        + (" réduit" if len(s.reductions) == 1 else " réduits"),
    }


def ecrire_proces_verbaux(resultat, dossier_sortie: Path) -> list[str]:
    """One PDF per session applied; -> their paths relative to the output folder."""
    if not resultat.comite.seances:
        return []
    dossiers = dossiers_gabarits(resultat.campagne.gabarits)  # a Caf's letterhead and style too
    env = environnement(dossiers)
    ecrits = []
    for bilan in resultat.comite.seances:
        nom = nom_fichier(bilan)
        chemin = dossier_sortie / nom
        chemin.parent.mkdir(parents=True, exist_ok=True)
        chemin.write_bytes(pdf(env.get_template(GABARIT).render(vue=vue(resultat, bilan)), dossiers))
        ecrits.append(nom)
    return ecrits
