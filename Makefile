# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: run test test-pg test-e2e lint format check messages bench-search bench-load bench-import bench-pages install clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo --editor
	@echo "Serving the archive at http://127.0.0.1:$(PORT)/"
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

test: $(STAMP)
	$(PY) -m pytest

# The same suite against PostgreSQL (CI runs it with the machine's server).
test-pg: $(STAMP)
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test} $(PY) -m pytest

# Browser tests: Playwright drives the system's Chromium (apt-get install chromium) against a
# live server; axe-core comes from npm. Screenshots go to .e2e-artifacts/screenshots/.
E2E := tests/e2e
E2E_STAMP := $(VENV)/.installed-e2e

$(E2E_STAMP): $(STAMP) pyproject.toml
	$(PY) -m pip install --quiet -e ".[dev,e2e]"
	touch $(E2E_STAMP)

$(E2E)/node_modules/.package-lock.json: $(E2E)/package.json $(E2E)/package-lock.json
	npm ci --prefix $(E2E) --no-audit --no-fund --loglevel=error

test-e2e: $(E2E_STAMP) $(E2E)/node_modules/.package-lock.json
	$(PY) -m pytest -m e2e $(E2E)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

check: $(STAMP)
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

# Refresh the Kazakh and Russian catalogues after changing interface strings.
messages: $(STAMP)
	$(PY) manage.py makemessages -l kk -l ru --no-obsolete --ignore=.venv --ignore=var
	$(PY) manage.py compilemessages --ignore=.venv

bench-search: $(STAMP)
	$(PY) bench/search.py

# gunicorn under 32 concurrent readers (wrk: apt-get install wrk), pages cached in the local Redis.
bench-load: $(STAMP)
	$(PY) bench/load.py

# import_sessions of a generated 20,000-statement archive into a fresh database (ARGS=--postgres).
bench-import: $(STAMP)
	$(PY) bench/import.py $(ARGS)

# Each kind of public page rendered outside the page cache on 200,000 statements (ARGS=--reuse).
bench-pages: $(STAMP)
	$(PY) bench/pages.py $(ARGS)

clean:
	rm -rf $(VENV) var/*.sqlite3* staticfiles .e2e-artifacts $(E2E)/node_modules
