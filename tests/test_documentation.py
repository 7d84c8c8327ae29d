"""The README, for Caf analysts, names every command, every option they may type and every key
of campagne.toml: a new one without its line in the README fails here."""

from __future__ import annotations

import argparse
import re

import pytest
from chemins import RACINE

from campaign.cli import _parser
from campaign.lire.campagne_cles import CONNUES
from campaign.lire.campagne_envoi import CLES_ENVOI

README = (RACINE / "README.md").read_text(encoding="utf-8")
CLES_COMITE = ("date", "avis", "president")  # lire.seances: a [[comite]] block's keys


def _commandes() -> list[tuple[str, list[str]]]:
    """Each subcommand with its options as typed (hidden ones, for the tests, aside)."""
    sous = next(a for a in _parser()._actions if isinstance(a, argparse._SubParsersAction))
    commandes = []
    for nom, parseur in sous.choices.items():
        options = [
            o
            for a in parseur._actions
            if a.help != argparse.SUPPRESS and a.option_strings
            for o in a.option_strings
            if o.startswith("--") and o not in ("--help", "--verbose")
        ]
        commandes.append((nom, options))
    return commandes


def _cles(connues: dict, prefixe: str = "") -> list[str]:
    cles = []
    for k, v in connues.items():
        if isinstance(v, dict):
            cles.extend(_cles(v, f"{prefixe}{k}."))
        else:
            cles.append(prefixe + k)
    return cles


@pytest.mark.parametrize("commande, options", _commandes())
def test_every_command_and_option_is_in_the_readme(commande, options):
    assert re.search(rf"campaign {commande}\b", README), commande
    for option in options:
        assert option in README, f"campaign {commande} {option}"


@pytest.mark.parametrize(
    "cle",
    [c for c in _cles(CONNUES) if c not in ("comite", "envoi")]
    + [f"envoi.{c}" for c in CLES_ENVOI]
    + [f"comite.{c}" for c in CLES_COMITE],
)
def test_every_key_of_campagne_toml_is_in_the_readme(cle):
    table, _, nom = cle.rpartition(".")
    assert re.search(rf"(^|[\s`{{,]){nom}\s*=", README, flags=re.M), cle
    if table:
        assert f"[{table.split('.')[0]}]" in README or f"[[{table}]]" in README, cle
