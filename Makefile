# danvan — the commands a developer needs. Everything runs inside .venv.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test lint typecheck test-pg e2e bench clean

# Idempotent: re-installs only when pyproject.toml changed.
install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Cần Python 3.11 ($(PYTHON))"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

# Set up and serve with demo data on SQLite, with a Celery worker beside it; the worker
# also runs beat (-B), which starts the nightly deadline sweep of citizens' cases.
run: install
	mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_units
	$(PY) manage.py seed_demo
	$(PY) manage.py collectstatic --noinput -v0
	@echo "Máy chủ: http://$(HOST):$(PORT)/  (Ctrl+C để dừng)"
	$(BIN)/celery -A danvan worker -B --schedule var/celerybeat-schedule --loglevel=INFO --concurrency=1 --pool=solo & \
	  worker=$$!; trap "kill $$worker 2>/dev/null" EXIT INT TERM; \
	  $(PY) manage.py runserver $(HOST):$(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy danvan

# Lint, types and the whole suite on SQLite, in parallel. Browser tests skip
# themselves where Chromium is absent.
test: lint typecheck
	$(BIN)/pytest -n 2 danvan
	$(BIN)/pytest e2e

# The suite against PostgreSQL (DATABASE_URL, default: a local server with trust auth).
test-pg: install
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/danvan} \
	  $(BIN)/pytest -n 2 danvan

e2e: install
	$(BIN)/pytest -m browser e2e

bench: install
	$(PY) bench/subtree.py
	$(PY) bench/movement_stats.py
	$(PY) bench/movement_import.py
	$(PY) bench/cases_sweep.py
	$(PY) bench/cases_queue.py
	$(PY) bench/democracy_board.py

clean:
	rm -rf $(VENV) var staticfiles
