"""The README's « Rapidité » section, in markdown, from the figures of one `make bench`:
printed at the end of the bench, to paste as it is."""

from __future__ import annotations

import datetime as dt
import os

from tools.bench.mesure import Mesure, interpreteur, ligne, virgule


def _milliers(n: int) -> str:
    return f"{n:,}".replace(",", "\u202f")


def _lecture(lecture: dict[str, Mesure], n: int) -> list[str]:
    naive, plancher = lecture["naive"].mediane, lecture["plancher"].mediane
    noms = {
        "plancher": "décompression + analyse XML nue (`zipfile` + `iterparse`) : le plancher",
        "calamine": "python-calamine seule, sans contrôle",
        "naive": "`pandas.read_excel` avec openpyxl, chaque feuille : la lecture naïve",
        "programme": "**campaign** (contrôle du zip, calamine, cellules rangées), 1 processus",
        "programme_2": "**campaign**, 2 processus (comme `campaign run`)",
    }
    lignes = [
        "| lecture de 300 dossiers, par fichier | temps | gain sur la lecture naïve "
        "| par rapport au plancher |",
        "|---|---|---|---|",
    ]
    for cle, nom in noms.items():
        m = lecture[cle]
        ms = (
            f"{virgule(1000 * m.mediane / n, 2)} ms ({virgule(1000 * m.mini / n, 2)}–"
            f"{virgule(1000 * m.maxi / n, 2)})"
        )
        lignes.append(
            f"| {nom} | {ms} | × {virgule(naive / m.mediane)} | {virgule(m.mediane / plancher, 2)} × |"
        )
    return lignes


def markdown(r: dict) -> str:
    e300, e3000 = r["etapes_300"], r["etapes_3000"]
    n300, n3000 = (_milliers(int(e["collectifs"].nom)) for e in (e300, e3000))
    charges = [
        m.charge
        for m in (
            r["lecture"]["naive"],
            e300["run"],
            e3000["run"],
            r["courriers"]["froid"],
            r["courriers"]["chaud"],
        )
    ]
    texte = [
        f"Mesures de `make bench` du {dt.date.today():%d/%m/%Y} sur une machine de {os.cpu_count()} "
        f"cœurs, avec {interpreteur()} (charge moyenne sur une minute relevée entre "
        f"{virgule(min(charges), 2)} et {virgule(max(charges), 2)} pendant les mesures). "
        "Chaque chiffre est la médiane de trois exécutions, avec le plus court et le plus long "
        "entre parenthèses.",
        "",
        f"| étape | 300 dossiers ({n300} collectifs) | 3 000 dossiers ({n3000} collectifs) |",
        "|---|---|---|",
    ]
    noms = {
        "lire": "lecture (python-calamine, 2 processus)",
        "valider": "validation (pandera, une fois par feuille)",
        "decider": "décisions",
        "ecrire": "CSV + classeur du comité",
        "run": "**`campaign run` entier, sans courriers**, imports compris (objectif : 9 s pour 3 000)",
    }
    for cle, nom in noms.items():
        gras = cle == "run"
        texte.append(f"| {nom} | {ligne(e300[cle], gras=gras)} | {ligne(e3000[cle], gras=gras)} |")
    texte += ["", *_lecture(r["lecture"], 300), ""]
    c = r["courriers"]
    texte += [
        "| `campaign run` entier, 300 dossiers avec leurs 300 courriers | temps | calcul (tous processus) |",
        "|---|---|---|",
        f"| à froid, sans aucun cache (objectif : 20 s) | {ligne(c['froid'], gras=True)} "
        f"| {virgule(c['froid'].calcul)} s |",
        f"| relance sans changement (objectif : 1,5 s) | {ligne(c['chaud'], 2, gras=True)} "
        f"| {virgule(c['chaud'].calcul, 2)} s |",
        f"| relance après un dossier corrigé (un courrier refait) | {ligne(c['change'], 2)} "
        f"| {virgule(c['change'].calcul, 2)} s |",
        "",
    ]
    phrases = [
        f"Une bombe zip de 2 Go renommée `.xlsx` est refusée en "
        f"{virgule(1000 * r['bombe'].mediane, 0)} ms : la décompression s'arrête au budget, sans "
        "jamais gonfler la bombe. "
        f"L'étape du comité (300 dossiers : lire le fichier d'avis, appliquer les avis) "
        f"ajoute {virgule(r['comite'].mediane, 2)} s."
    ]
    if "envoi" in r:
        e = r["envoi"]
        phrases.append(
            f"L'envoi de 300 courriers vers un serveur de messagerie local, sans cadence, "
            f"prend {ligne(e['envoi'])} ; l'essai des mêmes courriers, {ligne(e['essai'])}. "
            "En service, la `cadence` (30 messages par minute par défaut) fixe la durée : "
            "10 minutes pour 300."
        )
    return "\n".join(texte + [" ".join(phrases)])
