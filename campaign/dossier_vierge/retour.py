"""The notice's last part, the Caf's own (campagne.toml `[caf]`): when and how to return the
dossier, the documents to attach, whom to ask, and what the Caf does with the personal data."""

from __future__ import annotations

from campaign.dossier_vierge.caf import CafDuDossier
from campaign.formats import date_longue


def _phrase(texte: str) -> str:
    """A list item as a sentence: capital first letter, final full stop."""
    texte = texte.strip()
    return texte[:1].upper() + texte[1:] + ("" if texte.endswith((".", "!", "?", "…")) else ".")


def renvoyer(caf: CafDuDossier) -> list[tuple[str, str]]:
    """(text, kind) rows of the notice: return date, documents, contact, personal data."""
    if caf.date_retour:
        quand = f" avant le {date_longue(caf.date_retour)}"
    else:
        quand = ", à la date qu'elle vous indique" if caf.nom else " à la date indiquée par votre Caf"
    pieces = " et les pièces ci-dessous" if caf.pieces else ""
    contact = (
        f"Une question ? Contactez {caf.contact}."
        if caf.contact
        else "Une question ? Contactez le conseiller ou la conseillère CLAS de votre Caf : ses "
        "coordonnées figurent dans le courrier qui accompagne ce dossier."
    )
    textes = [
        ("Renvoyer le dossier", "section"),
        (
            "Enregistrez le fichier au format Excel (.xlsx), sans le convertir en PDF ni le "
            f"scanner, et renvoyez-le à {caf.la_caf}{quand}, avec l'attestation signée{pieces}. " + contact,
            "",
        ),
    ]
    if caf.pieces:
        textes.append(("Pièces à joindre", "section"))
        textes += [(f"• {_phrase(p)}", "") for p in caf.pieces]
    textes += [("Vos données personnelles", "section"), (caf.donnees_personnelles, "")]
    return textes
