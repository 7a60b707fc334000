# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: run test test-pg test-e2e lint format check messages bench-search install clean

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

test-e2e: $(STAMP)
	$(PY) -m pip install --quiet -e ".[dev,e2e]"
	$(PY) -m pytest -m e2e tests/e2e -p no:randomly

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

clean:
	rm -rf $(VENV) var/*.sqlite3* staticfiles
