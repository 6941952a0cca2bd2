# Haat: `make run` serves the demo marketplace, `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# Extras installed by `make install` (and so by `make test` and CI): `ai` brings the
# assistant's embedding re-rank; EXTRAS=test for a lighter venv without it.
EXTRAS ?= test,ai
HOST ?= 127.0.0.1
PORT ?= 8000
export HAAT_TEST_DATABASE_URL ?= postgresql+asyncpg://postgres@127.0.0.1:5432/haat_test
# pytest-xdist workers per pass (each with its own database: haat_test_gw0, ...); 0 runs the
# suite in one process.
TEST_WORKERS ?= 2
PYTEST := $(BIN)/python -m pytest -q -n $(TEST_WORKERS) --dist loadfile

.PHONY: run test test-sqlite test-postgres lint install bench bench-assistant clean messages browser web-assets

$(BIN)/haat: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	@# torch first, from its pinned CPU build: a plain requirement would pull a CUDA build.
	case ",$(EXTRAS)," in *,ai,*) $(BIN)/python -m pip install --quiet torch==2.13.0;; esac
	$(BIN)/python -m pip install --quiet -e '.[$(EXTRAS)]'
	touch $(BIN)/haat

install: $(BIN)/haat

## Migrate var/haat.db (or DATABASE_URL), load the demo data if missing, build the
## assistant's index (a no-op without the ai extra), serve on :8000.
run: install
	$(BIN)/haat db upgrade
	$(BIN)/haat demo
	$(BIN)/haat assistant index
	$(BIN)/haat serve --host $(HOST) --port $(PORT)

## Lint, then the suite on SQLite, then on PostgreSQL (required when CI=true).
test: install lint browser test-sqlite test-postgres

lint: install
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/mypy

## Debian's Chromium for the browser tests: installed in CI (as root) when missing; elsewhere
## the tests in tests/e2e are skipped with the reason.
browser:
	@if [ -x /usr/bin/chromium ] && [ -d /usr/share/fonts/truetype/noto ]; then :; \
	elif [ "$${CI:-}" = "true" ] && [ "$$(id -u)" = "0" ]; then \
		apt-get update -qq && apt-get install -y -qq chromium fonts-noto-core; \
	else \
		echo "Browser tests need /usr/bin/chromium (skipped without it) and fonts-noto-core:"; \
		echo "  apt-get install -y chromium fonts-noto-core"; \
	fi

test-sqlite: install
	env -u HAAT_TEST_DATABASE_URL $(PYTEST)

test-postgres: install
	@if $(BIN)/python scripts/postgres_available.py; then \
		$(PYTEST); \
	elif [ "$${CI:-}" = "true" ]; then \
		echo "CI=true and PostgreSQL is not reachable: failing." >&2; exit 1; \
	else \
		echo "PostgreSQL is not reachable: skipping the PostgreSQL pass (set HAAT_TEST_DATABASE_URL)."; \
	fi

## Re-extract the web UI's strings and merge them into every catalogue (then translate).
LOCALES := src/haat/web/locales
messages: install
	$(BIN)/pybabel extract -F babel.cfg --no-location --sort-output --project=Haat \
		--copyright-holder="Haat contributors" -k viewer.gettext -o $(LOCALES)/messages.pot .
	$(BIN)/pybabel update -i $(LOCALES)/messages.pot -d $(LOCALES) -w 100 --no-fuzzy-matching

## Rebuild the vendored htmx and Plotly files from the npm registry (needs node and npm).
web-assets:
	scripts/vendor_web_assets.sh

bench: install
	$(BIN)/python bench/run.py

## The assistant's hit@3 and answer time over the demo catalogue (bench/RESULTS.md).
bench-assistant: install
	$(BIN)/python bench/assistant.py

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
