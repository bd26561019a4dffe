# Social Commons — `make run` serves the demo site, `make test` runs every test.
# Both set everything up on a fresh machine (virtual environment, packages, database, browser).

SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
# The Python that .python-version selects (pyenv), else the newest python3.1x on PATH.
PYTHON ?= $(shell pyenv which python 2>/dev/null || command -v python3.13 || command -v python3.12 || command -v python3)
CHROMIUM ?= /usr/bin/chromium
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help install run dev serve migrate seed test test-fast e2e browser lint format bench bench-smoke clean

help:
	@echo "make run    - set up (venv, packages, database, demo data) and serve http://$(HOST):$(PORT)"
	@echo "make dev    - the same with DEBUG on, for development"
	@echo "make test   - set up and run the whole test suite, browser tests included"
	@echo "make lint   - ruff, formatting, mypy, import contracts, migrations check"
	@echo "make bench  - benchmarks (print their figures)"
	@echo "make bench-smoke - every benchmark at a tiny scale: checks they run (PostgreSQL, redis-server)"

$(BIN)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 12), "Python 3.12 or newer is needed, found " + sys.version' 
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $@

install: $(BIN)/.installed

migrate: install
	$(BIN)/python manage.py migrate --noinput

seed: migrate
	$(BIN)/python manage.py seed_demo

# `make run` serves the demo as production serves it: DEBUG off (the site's own 404 and 500
# pages), static files collected and served by WhiteNoise, and a secret key and the commons'
# rounding key made once for this machine in .local/ (git-ignored). Plain HTTP on this machine
# only (LOCAL_HTTP=1).
LOCAL := .local
RUN_ENV = DEBUG=0 LOCAL_HTTP=1 SECRET_KEY="$$(cat $(LOCAL)/secret_key)" \
	COMMONS_ROUNDING_KEY="$$(cat $(LOCAL)/rounding_key)"

$(LOCAL)/secret_key $(LOCAL)/rounding_key:
	@mkdir -p $(LOCAL)
	@umask 077 && $(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))' > $@

# Beside Daphne runs the task worker (manage.py db_worker: notifications to followers and every
# notification e-mail leave the request path through it). It starts in the background and is
# stopped when Daphne exits, Ctrl-C included.
WITH_WORKER = $(BIN)/python manage.py db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT;

run: seed $(LOCAL)/secret_key $(LOCAL)/rounding_key
	@$(RUN_ENV) $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	@echo ""
	@echo "Serving Social Commons on http://$(HOST):$(PORT) (Daphne, HTTP and websockets), with the task worker. Ctrl-C stops both."
	@export $(RUN_ENV); $(WITH_WORKER) $(BIN)/daphne -b $(HOST) -p $(PORT) config.asgi:application

# `make dev`: the same site for development — DEBUG on (Django's debug pages), files served
# from static/ as they are edited.
dev: seed
	@echo ""
	@echo "Serving Social Commons (development, DEBUG on) on http://$(HOST):$(PORT), with the task worker. Ctrl-C stops both."
	@export DEBUG=1; $(WITH_WORKER) $(BIN)/daphne -b $(HOST) -p $(PORT) config.asgi:application

# Debian's Chromium drives the browser tests (a test tool's own browser download fails here).
browser:
	@if [ ! -x "$(CHROMIUM)" ]; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
	    echo "Installing Chromium for the browser tests (apt-get)…"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "The browser tests need Chromium at $(CHROMIUM): sudo apt-get install chromium"; exit 1; \
	  fi; \
	fi

test: install browser
	$(BIN)/pytest -p no:cacheprovider

test-fast: install
	$(BIN)/pytest -p no:cacheprovider -m "not e2e"

e2e: install browser
	$(BIN)/pytest -p no:cacheprovider -m e2e

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .
	$(BIN)/lint-imports
	$(BIN)/python manage.py makemigrations --check --dry-run

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: install
	$(BIN)/python -m bench

# Every benchmark once at a tiny scale, each in a throw-away database: no figures judged, fails
# if any of them errors (.ci/run runs it). Needs the local PostgreSQL and redis-server.
bench-smoke: install
	$(BIN)/python -m bench --smoke

clean:
	rm -rf $(VENV) $(LOCAL) staticfiles .pytest_cache .mypy_cache .ruff_cache test-artifacts
