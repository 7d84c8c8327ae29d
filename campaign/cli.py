"""The `campaign` command: run, template, demo, envoyer. User errors are caught here, once."""

from __future__ import annotations

import argparse
import errno
import sys
import traceback
from dataclasses import replace
from pathlib import Path

from campaign.erreurs import CampaignError
from campaign.run import terminal
from campaign.run.console import lisible


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
    tpl.add_argument(
        "--annee",
        default=None,
        help="année scolaire (2026-2027 par défaut, ou celle de --campagne) : ses paramètres "
        "en vigueur écrivent les consignes",
    )
    tpl.add_argument(
        "--campagne",
        type=Path,
        default=None,
        metavar="DOSSIER",
        help="dossier dont le campagne.toml donne les réglages de la Caf (par défaut "
        "inputs/ANNEE s'il en a un, sinon les réglages livrés)",
    )
    tpl.add_argument(
        "--depuis",
        type=Path,
        default=None,
        metavar="DOSSIER",
        help="dossier de la campagne précédente : écrit dans --out un dossier prérempli par "
        "porteur (et la liste pour les envoyer) au lieu du dossier vierge",
    )
    tpl.add_argument("--out", type=Path, required=True)

    demo = sub.add_parser("demo", help="écrit une campagne synthétique")
    demo.add_argument("--out", type=Path, required=True)
    demo.add_argument("--dossiers", type=int, default=60)
    demo.add_argument("--seed", type=int, default=2026)
    env = sub.add_parser(
        "envoyer",
        help="envoie les courriers par courriel et prépare ceux à poster "
        "(sans --pour-de-vrai : un essai, rien n'est envoyé)",
    )
    env.add_argument("dossier", type=Path, help="dossier de la campagne (inputs/2026-2027)")
    env.add_argument("--out", type=Path, default=None, help="dossier de sortie du dernier run")
    env.add_argument("--pour-de-vrai", action="store_true", help="envoie (sinon : essai)")
    env.add_argument(
        "--limite",
        type=int,
        default=None,
        metavar="N",
        help="s'arrête après N courriers tentés (un premier essai sur quelques-uns)",
    )
    env.add_argument(
        "--seulement",
        action="append",
        default=[],
        metavar="SIRET",
        help="seulement les courriers de ce SIRET (répétable)",
    )
    env.add_argument(
        "--renvoyer-modifies",
        action="store_true",
        help="envoie aussi les courriers retenus (décision modifiée, tentative interrompue)",
    )
    env.add_argument(
        "--reparer-journal",
        action="store_true",
        help="met de côté la dernière ligne coupée du journal des envois ; n'envoie rien",
    )
    env.add_argument("--attentes", default=None, help=argparse.SUPPRESS)  # retry waits, for the tests
    env.add_argument("--delais", default=None, help=argparse.SUPPRESS)  # answer,message bounds, for the tests
    for sous in (run, tpl, demo, env):  # --verbose also after the command, without overriding it
        sous.add_argument(
            "--verbose",
            action="store_true",
            default=argparse.SUPPRESS,
            help="affiche le détail technique des erreurs",
        )
    return p


def programme() -> int:
    """The `campaign` command and `python -m campaign`: on a terminal that never fails it
    (characters it cannot show replaced, a reader that left ignored: `campaign.run.terminal`)."""
    terminal.preparer()
    return main()


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse already printed its French-ish usage
        return 2 if exc.code else 0
    try:
        if args.commande == "run":
            from campaign.run.execution import executer

            return executer(
                args.dossier, args.out, date_courrier=args.date_courrier, courriers=not args.sans_courriers
            )
        if args.commande == "envoyer":
            from campaign.envoyer.envoi import envoyer
            from campaign.envoyer.reglages import Options, bornes, secondes

            if args.limite is not None and args.limite < 1:
                raise CampaignError("--limite doit être un nombre de courriers, au moins 1.")
            options = Options(
                args.pour_de_vrai,
                args.limite,
                tuple(args.seulement),
                args.renvoyer_modifies,
                reparer_journal=args.reparer_journal,
            )
            if args.attentes is not None:
                options = replace(options, attentes=secondes("--attentes", args.attentes))
            if args.delais is not None:
                options = replace(options, bornes=bornes(args.delais))
            return envoyer(args.dossier, args.out, options)
        if args.commande == "template":
            from campaign.dossier_vierge.caf import SANS_CAMPAGNE, caf_de
            from campaign.dossier_vierge.classeur import ecrire_dossier_vierge
            from campaign.dossier_vierge.regles import campagne_du_dossier, consignes_de_l_annee

            if args.depuis is not None:  # next year's dossiers, pre-filled from last year's
                from campaign.dossier_vierge.prerempli import ecrire_depuis
                from campaign.run import pipeline

                lire = lambda d: pipeline.valider(pipeline.lire(d))  # noqa: E731
                print(ecrire_depuis(args.out, args.depuis, args.annee, args.campagne, lire))
                return 0
            annee, campagne = campagne_du_dossier(args.annee, args.campagne)
            ecrire_dossier_vierge(
                args.out,
                annee=annee,
                consignes=consignes_de_l_annee(annee, campagne=campagne),
                caf=caf_de(campagne) if campagne else SANS_CAMPAGNE,
            )
            reglages = (
                f"réglages de {campagne.caf['nom']}"
                if campagne
                else "sans campagne.toml : « votre Caf » et les réglages livrés"
            )
            print(f"Dossier vierge écrit : {args.out} ({annee}, {reglages})")
            return 0
        if args.commande == "demo":
            from campaign.demo.comite import ecrire_comite_demo
            from campaign.demo.dossiers import ecrire_demo

            n = ecrire_demo(args.out, dossiers=args.dossiers, seed=args.seed)
            comite = ecrire_comite_demo(args.out, seed=args.seed)
            print(
                f"Campagne de démonstration écrite dans {args.out} ({n} fichiers), et l'avis "
                f"d'un comité dans {comite.relative_to(args.out)} (à déclarer dans campagne.toml "
                "pour l'essayer : voir le README)."
            )
            return 0
    except CampaignError as exc:
        if args.verbose:
            traceback.print_exc()
        print(lisible(f"Erreur : {exc}"), file=sys.stderr)
        return exc.code
    except KeyboardInterrupt as exc:  # Ctrl-C: and what the output path holds, checked
        print(lisible(f"Interrompu{_etat_des_sorties(exc, args)}"), file=sys.stderr)
        return 130
    except OSError as exc:  # the machine's fault or the user's: what to do, in one sentence
        if args.verbose:
            traceback.print_exc()
        print(lisible(f"Erreur : {phrase_systeme(exc)}{_etat_des_sorties(exc, args)}"), file=sys.stderr)
        return 2
    except Exception as exc:  # a defect of ours: said in one sentence too
        if args.verbose:
            traceback.print_exc()
        print(
            lisible(
                f"Erreur interne du programme ({type(exc).__name__} : {exc})"
                f"{_etat_des_sorties(exc, args)} Relancez avec --verbose et transmettez le "
                "message à l'équipe qui maintient campaign."
            ),
            file=sys.stderr,
        )
        return 2
    return 2


def phrase_systeme(exc: OSError) -> str:
    """A system error as a French sentence saying what to do."""
    quoi = f" sur {exc.filename}" if exc.filename else ""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return (
            f"le disque est plein (ou la taille permise atteinte){quoi} : libérez de la place, ou "
            "choisissez avec --out un dossier sur un autre disque, puis relancez"
        )
    if exc.errno == errno.EROFS:
        return (
            f"le disque est en lecture seule{quoi} : choisissez avec --out un dossier où vous "
            "pouvez écrire, puis relancez"
        )
    if exc.errno in (errno.EACCES, errno.EPERM):
        return (
            f"permission refusée{quoi} : donnez-vous le droit d'y écrire (ou de le lire), ou "
            "choisissez avec --out un autre dossier, puis relancez"
        )
    return (
        f"le système a refusé une opération{quoi} ({exc.strerror or type(exc).__name__}) : "
        "vérifiez le disque et les droits, puis relancez"
    )


def _etat_des_sorties(exc: BaseException, args: argparse.Namespace) -> str:
    """What the output path holds after a failed run, checked file by file (sha256)."""
    sortie = getattr(exc, "sortie", None)
    if args.commande != "run" or sortie is None:
        return "."
    from campaign.run.sortie import intacte

    etat = intacte(sortie)
    if etat is None:
        return " ; aucune sortie n'a été écrite."
    if etat and getattr(exc, "sorties_remplacees", False):
        return f" ; les nouvelles sorties ont été écrites en entier dans {sortie} avant l'erreur."
    if etat:
        return f" ; les sorties précédentes de {sortie} sont intactes (vérifiées une à une)."
    return f" ; les sorties de {sortie} ne sont pas complètes : relancez une fois la cause corrigée."
