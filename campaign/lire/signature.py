"""`[caf] signature`: the image of the signatory's signature, above the name and quality on
every final letter and on the minutes, never on a draft (sorties.md §4).

A PNG or JPEG under the campagne folder or the Caf's templates folder, at most 2 MB, read once
when campagne.toml is: the letters carry it in their HTML (a data: URI), so that the letters'
cache knows when it changes.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from pathlib import Path

from campaign.erreurs import CampaignError
from campaign.lire.campagne_cles import erreur_cle, lire_cle

SIGNATURE_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}
SIGNATURE_DEBUTS = {"image/png": b"\x89PNG\r\n\x1a\n", "image/jpeg": b"\xff\xd8\xff"}
SIGNATURE_OCTETS_MAX = 2 * 1024 * 1024


@dataclass(frozen=True)
class Signature:
    """The signatory's signature as an image (`[caf] signature`), read once."""

    nom: str
    type_mime: str
    octets: bytes

    @property
    def uri(self) -> str:
        """The image as a data: URI, so that a letter's HTML holds all it shows."""
        return f"data:{self.type_mime};base64,{base64.b64encode(self.octets).decode('ascii')}"


def lire_signature(d: dict, chemin: Path, gabarits: Path | None) -> Signature | None:
    """`[caf] signature`: a PNG or JPEG image under the campagne folder or the Caf's templates."""
    attendu = 'le nom d\'une image PNG ou JPEG entre guillemets, par exemple "signature.png"'
    nom = lire_cle(d, chemin, "caf.signature", str, attendu, requis=False)
    if nom is None:
        return None
    relatif = Path(nom.strip())
    if not nom.strip() or relatif.is_absolute() or ".." in relatif.parts:
        raise erreur_cle(chemin, "caf.signature", attendu + ", placée à côté de campagne.toml")
    type_mime = SIGNATURE_TYPES.get(relatif.suffix.lower())
    if type_mime is None:
        raise erreur_cle(chemin, "caf.signature", attendu)
    for racine in (chemin.parent, gabarits):
        image = None if racine is None else racine / relatif
        if image is None or not image.is_file() or image.is_symlink():
            continue
        if image.stat().st_size > SIGNATURE_OCTETS_MAX:
            raise CampaignError(
                f"{chemin} : l'image de signature {image} pèse plus de "
                f"{SIGNATURE_OCTETS_MAX // (1024 * 1024)} Mo ; enregistrez-la plus petite "
                "(300 pixels de haut suffisent)."
            )
        try:
            octets = image.read_bytes()
        except OSError as exc:
            raise CampaignError(
                f"L'image de signature {image} ne peut pas être lue ({exc.strerror}) : "
                "vérifiez qu'il vous est permis de la lire."
            ) from exc
        if not octets.startswith(SIGNATURE_DEBUTS[type_mime]):
            raise CampaignError(
                f"{chemin} : l'image de signature {image} n'est pas une image "
                f"{'PNG' if type_mime == 'image/png' else 'JPEG'} ; enregistrez-la à nouveau "
                "dans ce format depuis un logiciel d'image."
            )
        return Signature(str(relatif), type_mime, octets)
    raise CampaignError(
        f"{chemin} : la clé « caf.signature » nomme l'image {relatif}, introuvable à côté de "
        "campagne.toml ni dans le dossier des gabarits de la Caf ; copiez-la là ou retirez la clé."
    )
