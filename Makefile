# Campagne CLAS — `make` seul affiche l'aide.
.DEFAULT_GOAL := help
SHELL := /bin/bash

ANNEE ?= 2026-2027
# Unless PYTHON= is given: the system's own python3 when it is 3.11 to 3.13 and can make a venv
# (a distribution builds it with PGO and LTO: letters 8 % faster than with a pyenv build of the
# same version, which has neither), else the newest python3.13, 3.12 or 3.11 on PATH.
SYSTEME := /usr/bin/python3
VERSION_ADMISE := import sys, ensurepip; sys.exit(not (3, 11) <= sys.version_info[:2] <= (3, 13))
PYTHON ?= $(firstword $(foreach p,$(SYSTEME) python3.13 python3.12 python3.11,$(shell $(p) -c "$(VERSION_ADMISE)" >/dev/null 2>&1 && echo $(p))))
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installe

.PHONY: help campaign envoi test test-rapide template demo bench clean

help: ## Affiche cette aide
	@echo "Campagne CLAS — commandes :"
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | \
	  awk -F ':.*## ' -v annee='$(ANNEE)' '{gsub(/\$$\(ANNEE\)/, annee, $$2); printf "  make %-10s %s\n", $$1, $$2}'
	@echo "Variables : ANNEE=$(ANNEE) (dossier inputs/ANNEE, sortie outputs/ANNEE), ENVOI=oui (make envoi)"

# PYTHON= given, other than the one .venv was made with: .venv is made again with it
ifeq ($(origin PYTHON),command line)
ifneq ($(shell cat $(VENV)/.python 2>/dev/null),$(PYTHON))
.PHONY: $(STAMP)
endif
endif

$(STAMP): pyproject.toml
	@if [ -z "$(PYTHON)" ]; then echo "Il faut Python 3.11, 3.12 ou 3.13 (commande python3.11, python3.12 ou python3.13) : installez-en un, ou indiquez-le avec make PYTHON=/chemin/vers/python3." >&2; exit 2; fi
	$(PYTHON) -m venv --clear $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test]'
	@echo '$(PYTHON)' > $(VENV)/.python
	@touch $(STAMP)

campaign: $(STAMP) ## Traite la campagne inputs/$(ANNEE) -> outputs/$(ANNEE)
	@$(BIN)/campaign run inputs/$(ANNEE) --out outputs/$(ANNEE); rc=$$?; \
	  if [ $$rc -eq 1 ]; then echo "(des dossiers sont INCOMPLETS ou ILLISIBLES : voir anomalies.csv)"; exit 0; fi; exit $$rc

envoi: $(STAMP) ## Essai d'envoi des courriers (rien ne part) ; ENVOI=oui envoie pour de vrai
	$(BIN)/campaign envoyer inputs/$(ANNEE) --out outputs/$(ANNEE) $(if $(filter oui,$(ENVOI)),--pour-de-vrai)

test: $(STAMP) ## Lance tous les tests (et vérifie couches, style et types)
	$(BIN)/lint-imports --no-cache
	$(BIN)/ruff check campaign tests tools
	$(BIN)/ruff format --check campaign tests tools
	$(BIN)/mypy
	$(BIN)/python -m pytest

test-rapide: $(STAMP) ## Les tests sans les plus lents (environ une minute)
	$(BIN)/python -m pytest -m "not lent"

template: $(STAMP) ## Écrit le dossier vierge à envoyer aux porteurs (DEPUIS=inputs/… : un prérempli par porteur)
	$(BIN)/campaign template --annee $(ANNEE) $(if $(DEPUIS),--depuis $(DEPUIS) --out outputs/dossiers_clas_$(ANNEE),--out outputs/dossier_clas_$(ANNEE).xlsx)

demo: $(STAMP) ## Régénère la campagne de démonstration inputs/$(ANNEE)
	$(BIN)/campaign demo --out inputs/$(ANNEE) --dossiers 60 --seed 2026

bench: $(STAMP) ## Mesure les temps (médianes de 3, face aux lectures de référence ; ~15 min)
	$(BIN)/python -m tools.bench

clean: ## Supprime l'environnement et les sorties
	rm -rf $(VENV) outputs
