# Two commands for a new machine: `make run` serves the site, `make test` runs every test.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 2
MANAGE := $(BIN)/python manage.py

.PHONY: install install-test run serve test test-fast browser-deps lint format check-deploy audit bench bench-deps fault lighthouse stack-deps stack stack-stop stack-test stack-bench screenshots clean

# pip runs with -qq: its own errors still show, its notes and warnings about the build do not.
PIP := $(BIN)/python -m pip install -qq --disable-pip-version-check

$(BIN)/python:
	@echo "Creating the virtual environment in $(VENV)/ with $(PYTHON)"
	@$(PYTHON) -m venv $(VENV)
	@$(PIP) --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	@echo "Installing the site's dependencies (pyproject.toml)"
	@$(PIP) -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	@echo "Installing the test tools"
	@$(PIP) -e ".[test]"
	@touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test browser-deps

# Debian's Chromium for the browser tests (Playwright cannot download its own browser here).
browser-deps:
	@bash scripts/ensure-chromium

run: install
	@echo "Preparing the database"
	@$(MANAGE) migrate --noinput --verbosity 0
	@$(MANAGE) load_demo
	@$(MANAGE) collectstatic --noinput --verbosity 0
	@echo "Serving http://$(HOST):$(PORT)/ (admin: http://$(HOST):$(PORT)/admin/); Ctrl+C stops it"
	@$(BIN)/gunicorn newsroom.wsgi --bind $(HOST):$(PORT) --workers $(WORKERS) --no-control-socket --access-logfile -

test: install-test lint check-deploy
	$(MANAGE) makemigrations --check --dry-run --settings=newsroom.settings.test
	$(BIN)/pytest

test-fast: install-test
	$(BIN)/pytest -m "not browser and not quickstart"

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Production settings pass Django's deployment checklist with a throwaway key and host.
check-deploy: install
	DJANGO_SETTINGS_MODULE=newsroom.settings.prod ALLOWED_HOSTS=www.example.no \
	SITE_URL=https://www.example.no \
	SECRET_KEY="$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
	$(MANAGE) check --deploy --fail-level WARNING

# Known vulnerabilities in the pinned dependencies (needs PyPI's vulnerability API; says so
# and passes when it cannot reach it).
audit: install-test
	$(BIN)/python scripts/audit-dependencies

format: install-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Load test of the production server (not part of `make test`): see bench/run.py and
# docs/performance.md. Needs wrk (installed from Debian if missing) and PostgreSQL.
bench-deps: install
	$(BIN)/pip install --quiet -e ".[bench]"
	@command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)

bench: bench-deps
	$(BIN)/python bench/run.py

# PostgreSQL and Redis stopped under load (own throwaway cluster and Redis; run as root).
fault: bench-deps
	$(BIN)/python bench/fault.py

# Lighthouse 12 on every kind of reader page, served as in production on 127.0.0.1:8166; fails
# below 100 (performance 95). Reports in .lighthouse/reports/; see docs/reader-site.md.
# `make lighthouse LIGHTHOUSE_ARGS=--write-docs` also writes the table into the docs.
LIGHTHOUSE_VERSION := 12.2.3
.lighthouse/.installed-$(LIGHTHOUSE_VERSION):
	@mkdir -p .lighthouse
	@echo "Installing Lighthouse $(LIGHTHOUSE_VERSION) into .lighthouse/ (npm)"
	@npm install --prefix .lighthouse --save-exact --no-audit --no-fund --loglevel=error \
		lighthouse@$(LIGHTHOUSE_VERSION)
	@touch $@

lighthouse: install browser-deps .lighthouse/.installed-$(LIGHTHOUSE_VERSION)
	$(BIN)/python bench/lighthouse.py $(LIGHTHOUSE_ARGS)

# The production topology on this machine (docs/deploy.md): nginx with TLS, two gunicorn app
# servers, a PostgreSQL primary and streaming replica, Redis, an S3 API. Run as root; uses
# ports 8200-8249 and 5480-5481. Not part of `make test`.
stack-deps: bench-deps
	@$(PIP) -e ".[stack]"
	@command -v nginx >/dev/null || (apt-get update -qq && apt-get install -y -qq nginx)

stack: stack-deps
	$(BIN)/python deploy/stack.py start

stack-stop:
	$(BIN)/python deploy/stack.py stop

# Starts the stack, checks it through nginx over https (reader, editor, a killed app server,
# a stopped replica, a photo into the bucket), measures nginx, stops the stack. 4-6 minutes.
stack-test: stack-deps
	@$(BIN)/python deploy/stack.py start
	@$(BIN)/python bench/topology.py; status=$$?; $(BIN)/python deploy/stack.py stop; exit $$status

# Only the nginx measurements, against a stack already started with `make stack`.
stack-bench: stack-deps
	$(BIN)/python bench/topology.py --bench-only

# Screenshots of each reader page type at 375 and 1280 px, light and dark, into
# docs/screenshots/ (not part of `make test`): its own server on port 8161 with the demo content.
screenshots: install-test
	$(BIN)/python scripts/make-screenshots

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
