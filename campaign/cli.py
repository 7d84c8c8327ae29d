"""The `campaign` command: run, template, demo, envoyer. User errors are caught here, once."""

from __future__ import annotations

import argparse
import sys
import traceback
from dataclasses import replace
from pathlib import Path

from campaign.erreurs import CampaignError


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="campaign", description="Campagne CLAS d'une Caf.")
    p.add_argument("--verbose", action="store_true", help="affiche le détail technique des erreurs")
    sub = p.add_subparsers(dest="commande", required=True)

    run = sub.add_parser("run", help="lit, vérifie, décide et écrit la campagne")
    run.add_argument("dossier", type=Path, help="dossier de la campagne (inputs/2026-2027)")
    run.add_argument("--out", type=Path, default=None, help="dossier de sortie")
    run.add_argument("--date-courrier", default=None, help="date des courriers (AAAA-MM-JJ)")
    run.add_argument("--sans-courriers", action="store_true", help="n'écrit pas les PDF")

    tpl = sub.add_parser("template", help="écrit le dossier vierge à envoyer aux porteurs")
    tpl.add_argument("--annee", default="2026-2027",
                     help="année scolaire : ses paramètres en vigueur écrivent les consignes")
    tpl.add_argument("--out", type=Path, required=True)

    demo = sub.add_parser("demo", help="écrit une campagne synthétique")
    demo.add_argument("--out", type=Path, required=True)
    demo.add_argument("--dossiers", type=int, default=60)
    demo.add_argument("--seed", type=int, default=2026)
    env = sub.add_parser("envoyer", help="envoie les courriers par courriel et prépare ceux à poster "
                         "(sans --pour-de-vrai : un essai, rien n'est envoyé)")
    env.add_argument("dossier", type=Path, help="dossier de la campagne (inputs/2026-2027)")
    env.add_argument("--out", type=Path, default=None, help="dossier de sortie du dernier run")
    env.add_argument("--pour-de-vrai", action="store_true", help="envoie (sinon : essai)")
    env.add_argument("--limite", type=int, default=None, metavar="N",
                     help="s'arrête après N courriers tentés (un premier essai sur quelques-uns)")
    env.add_argument("--seulement", action="append", default=[], metavar="SIRET",
                     help="seulement les courriers de ce SIRET (répétable)")
    env.add_argument("--renvoyer-modifies", action="store_true",
                     help="envoie aussi les courriers retenus (décision modifiée, tentative interrompue)")
    env.add_argument("--attentes", default=None, help=argparse.SUPPRESS)  # retry waits, for the tests
    for sous in (run, tpl, demo, env):  # --verbose also after the command, without overriding it
        sous.add_argument("--verbose", action="store_true", default=argparse.SUPPRESS,
                          help="affiche le détail technique des erreurs")
    return p


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse already printed its French-ish usage
        return 2 if exc.code else 0
    try:
        if args.commande == "run":
            from campaign.pipeline import executer

            return executer(args.dossier, args.out, date_courrier=args.date_courrier,
                            courriers=not args.sans_courriers)
        if args.commande == "envoyer":
            from campaign.envoyer.envoi import envoyer
            from campaign.envoyer.reglages import Options, attentes

            if args.limite is not None and args.limite < 1:
                raise CampaignError("--limite doit être un nombre de courriers, au moins 1.")
            options = Options(args.pour_de_vrai, args.limite, tuple(args.seulement),
                              args.renvoyer_modifies)
            if args.attentes is not None:
                options = replace(options, attentes=attentes(args.attentes))
            return envoyer(args.dossier, args.out, options)
        if args.commande == "template":
            from campaign.consignes import consignes_de_l_annee
            from campaign.ecrire.dossier_vierge import ecrire_dossier_vierge

            ecrire_dossier_vierge(args.out, annee=args.annee,
                                  consignes=consignes_de_l_annee(args.annee))
            print(f"Dossier vierge écrit : {args.out}")
            return 0
        if args.commande == "demo":
            from campaign.outils.demo import ecrire_demo
            from campaign.outils.demo_comite import ecrire_comite_demo

            n = ecrire_demo(args.out, dossiers=args.dossiers, seed=args.seed)
            comite = ecrire_comite_demo(args.out, seed=args.seed)
            print(f"Campagne de démonstration écrite dans {args.out} ({n} fichiers), et l'avis "
                  f"d'un comité dans {comite.relative_to(args.out)} (à déclarer dans campagne.toml "
                  "pour l'essayer : voir le README).")
            return 0
    except CampaignError as exc:
        if args.verbose:
            traceback.print_exc()
        print(f"Erreur : {exc}", file=sys.stderr)
        return exc.code
    except KeyboardInterrupt:
        print("Interrompu.", file=sys.stderr)
        return 130
    except Exception as exc:
        if args.verbose:
            traceback.print_exc()
        etat = ("" if args.commande != "run" else
                " ; les nouvelles sorties ont été écrites en entier avant l'erreur"
                if getattr(exc, "sorties_remplacees", False) else
                " ; le dossier de sortie n'a pas été modifié (les sorties précédentes restent en place)")
        print(f"Erreur interne du programme ({type(exc).__name__} : {exc}){etat}. Relancez "
              "avec --verbose et transmettez le message à l'équipe qui maintient campaign.",
              file=sys.stderr)
        return 2
    return 2
