"""A letter from its view: Jinja HTML, then PDF (the PDF engine behind `pdf`).

- Jinja with StrictUndefined (a missing value is an error, never a blank) and autoescape
  (an operator's `<b>` prints as typed);
- templates from the Caf's own folder (`[caf] gabarits`), then the shipped `templates/`;
- an error in a Caf's own template is the analyst's to fix (one French sentence).
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateError, TemplateSyntaxError

from campaign.ecrire.courriers.vue import Lettre
from campaign.ecrire.gabarits import dossier_gabarits, dossiers_gabarits
from campaign.erreurs import CampaignError

GABARITS = dossier_gabarits()  # the shipped folder
GABARIT = "courrier.html.j2"


def environnement(dossiers: tuple[Path, ...] | None = None) -> Environment:
    """Jinja over the templates folders, first found wins (a Caf's folder may hold only
    its letterhead, `_entete.html.j2`: the other templates are the shipped ones)."""
    return Environment(
        loader=FileSystemLoader(dossiers or dossiers_gabarits()),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def html(vue: dict, env: Environment | None = None) -> str:
    """The letter's HTML; raises jinja2.UndefinedError when the view lacks a value."""
    return (env or environnement()).get_template(GABARIT).render(vue=vue)


def pdf(page: str, dossiers: tuple[Path, ...] | None = None, polices: bool = True) -> bytes:
    """HTML -> PDF bytes (see `rendu_pdf.pdf`); WeasyPrint is imported only when a letter is
    rendered, so a rerun whose letters all come from the cache does not pay for it."""
    from campaign.ecrire.courriers.pdf import rendu as rendu_pdf

    return rendu_pdf.pdf(page, dossiers, polices)


def echauffer(dossiers: tuple[Path, ...]) -> None:
    """A renderer process's first letter, laid out ahead: see `pdf.rendu.echauffer`."""
    from campaign.ecrire.courriers.pdf import rendu as rendu_pdf

    rendu_pdf.echauffer(dossiers)


def pages(liste: list[Lettre], env: Environment, dossiers: tuple[Path, ...]) -> list[str]:
    """The letters' HTML; an error in a Caf's own template is the analyst's to fix (one French
    sentence), an error in the shipped ones is a bug and stays one."""
    try:
        return [html(lettre.vue, env) for lettre in liste]
    except TemplateError as exc:
        if len(dossiers) == 1:
            raise
        ou = (
            f" (« {exc.filename} », ligne {exc.lineno})"
            if isinstance(exc, TemplateSyntaxError) and exc.filename
            else ""
        )
        raise CampaignError(
            f"Un gabarit du dossier de la Caf {dossiers[0]} ne peut pas être utilisé{ou} : "
            f"{exc.message or type(exc).__name__} ; corrigez-le, ou retirez-le de ce dossier pour "
            "reprendre le gabarit livré."
        ) from exc
