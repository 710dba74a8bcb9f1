# Two commands a newcomer needs: `make run` (bot on 127.0.0.1:3978) and `make test` (the whole suite).
# `make e2e` clicks through a whole iteration in the Agents Playground in headless Chromium (root).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run run-replicas test lint bench package e2e clean translations

# The German catalogs, compiled (gitignored) whenever a .po changed: part of the install step.
PO_FILES := $(wildcard i18n/locales/*/LC_MESSAGES/*.po)
MO_FILES := $(PO_FILES:.po=.mo)

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/activate
	$(BIN)/python -m pip install --quiet -e .
	touch $@

%.mo: %.po | $(VENV)/.installed
	$(BIN)/python -m scripts.translations compile $< $@

# Extract every domain's messages into its .po (new ones empty, to translate), then compile.
translations: $(VENV)/.installed
	$(BIN)/python -m scripts.translations

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/activate
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(VENV)/.installed $@

run: $(VENV)/.installed $(MO_FILES)
	$(BIN)/python app.py

# Two replicas on one PostgreSQL (DATABASE_URL), ports 3978 and 3979; Ctrl+C stops both.
run-replicas: $(VENV)/.installed $(MO_FILES)
	@test -n "$(DATABASE_URL)" || { echo "set DATABASE_URL=postgresql://... (README)" >&2; exit 2; }
	trap 'kill 0' INT TERM; PORT=3978 $(BIN)/python app.py & PORT=3979 $(BIN)/python app.py & wait

# The tests run beside a throwaway PostgreSQL (installed first on a fresh Debian machine as root).
test: $(VENV)/.installed-dev $(MO_FILES)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	scripts/with-test-postgres $(BIN)/python -m pytest -q

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# `make bench BENCH_FLAGS=--big` also measures the book at 100,000 customers (bench/README.md).
bench: $(VENV)/.installed-dev $(MO_FILES)
	$(BIN)/python -m bench $(BENCH_FLAGS)

package: $(VENV)/.installed-dev
	$(BIN)/python -m manifest.build

e2e/node_modules/.installed: e2e/package.json e2e/package-lock.json
	cd e2e && npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Both passes by default (English, then a German user); `make e2e E2E_LANGUAGES=de` runs one.
E2E_LANGUAGES ?= en de
e2e: $(VENV)/.installed $(MO_FILES) e2e/node_modules/.installed
	sh e2e/install-system.sh
	$(BIN)/python e2e/run.py $(E2E_LANGUAGES)

clean:
	rm -rf $(VENV) build .pytest_cache .mypy_cache .ruff_cache e2e/node_modules $(MO_FILES)
