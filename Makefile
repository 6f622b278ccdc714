# The two commands: `make run` (the platform on http://127.0.0.1:8000) and `make test` (the whole suite).
# Every GOLIVE_* variable passes through, e.g. GOLIVE_PORT=8001 GOLIVE_DATA_DIR=./var2 make run

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
WEB_BUILD := src/golive/static/app/index.html
WEB_SOURCES := $(shell find web/src web/public web/scripts web/index.html web/vite.config.ts web/package.json -type f 2>/dev/null)

.PHONY: run test screenshots build install lint format clean bench system-deps api-types

run: install build
	$(BIN)/golive migrate
	$(BIN)/golive demo
	$(BIN)/golive serve

# Two lanes (tests/run-lanes.sh): the parallel one on pytest-xdist workers (TEST_WORKERS, default one per core), then
# the real-time one (Chromium, live publishing, nginx) alone. PYTEST_ARGS goes to both.
test: system-deps install build
	@bash tests/run-lanes.sh $(BIN)/pytest $(PYTEST_ARGS)

# The Chromium tests again, keeping their screenshots in docs/screenshots/ (a test run writes them to a temporary folder).
screenshots: system-deps install build
	GOLIVE_TEST_SCREENSHOTS_DIR=$(CURDIR)/docs/screenshots $(BIN)/pytest tests/e2e -q -p no:cacheprovider $(PYTEST_ARGS)

# The Debian packages the tests drive (deploy/system-packages.txt): installs the missing ones, or says how.
system-deps:
	@bash deploy/install-system-packages.sh

install: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "GoLive needs Python 3.11 or newer")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	rm -f $(VENV)/.installed-*
	touch $@

build: $(WEB_BUILD)

web/node_modules/.package-lock.json: web/package-lock.json
	cd web && npm ci --no-audit --no-fund

$(WEB_BUILD): web/node_modules/.package-lock.json $(WEB_SOURCES)
	cd web && npm run build

# web/src/api/schema.d.ts from the server's OpenAPI document (`golive openapi`: no server, no network)
api-types: install web/node_modules/.package-lock.json
	cd web && GOLIVE_BIN=$(CURDIR)/$(BIN)/golive npm run --silent api-types

lint: install web/node_modules/.package-lock.json
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports
	cd web && GOLIVE_BIN=$(CURDIR)/$(BIN)/golive npm run --silent api-types:check
	cd web && npm run typecheck && npm test

format: install
	$(BIN)/ruff check --fix src tests bench
	$(BIN)/ruff format src tests bench

bench: install build
	$(BIN)/python bench/api.py

clean:
	rm -rf $(VENV) web/node_modules src/golive/static/app
