# danvan — the commands a developer needs. Everything runs inside .venv.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
# make run PORT=8080 HOST=0.0.0.0 serves on another port, or to the local network.
HOST ?= 127.0.0.1
PORT ?= 8000
# Where the SQLite database, uploads and the worker's queue live (settings: DANVAN_VAR_DIR).
VAR_DIR := $(or $(DANVAN_VAR_DIR),var)

.PHONY: install run test lint typecheck test-pg e2e bench scale clean

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
# Ctrl+C stops both: the server, then the worker (the shell waits for its warm shutdown,
# a few seconds, so that no worker is left running after the prompt comes back).
run: install
	mkdir -p $(VAR_DIR)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_units
	$(PY) manage.py seed_demo
	$(PY) manage.py collectstatic --noinput -v0
	@echo "Máy chủ: http://$(HOST):$(PORT)/  (Ctrl+C để dừng máy chủ và tiến trình nền)"
	$(BIN)/celery -A danvan worker -B --schedule $(VAR_DIR)/celerybeat-schedule --loglevel=INFO --concurrency=1 --pool=solo & \
	  worker=$$!; \
	  trap 'kill -TERM $$worker 2>/dev/null; wait $$worker 2>/dev/null; exit 0' INT TERM; \
	  trap 'kill -TERM $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	  $(PY) manage.py runserver $(HOST):$(PORT)

lint: install
	$(BIN)/ruff check --no-cache .
	$(BIN)/ruff format --check --no-cache .

typecheck: install
	$(BIN)/mypy danvan scale

# Lint, types and the whole suite on SQLite, in parallel. Browser tests skip
# themselves where Chromium is absent.
test: lint typecheck
	$(BIN)/pytest -n 2 danvan scale/tests
	$(BIN)/pytest e2e

# The suite against PostgreSQL (DATABASE_URL, default: a local server with trust auth).
test-pg: install
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/danvan} \
	  $(BIN)/pytest -n 2 danvan

e2e: install
	$(BIN)/pytest -m browser e2e

# Every benchmark runs, whatever the one before it printed; the target fails at the end
# when any goal was missed, and names them.
BENCHES = subtree movement_stats cases_stats movement_import cases_sweep cases_queue \
	democracy_board province_pages worklist proposals docnumber tasks_board task_ladder \
	report_docx report_excel report_rollup report_snapshot portal_load

bench: install
	@# portal_load drives gunicorn with wrk (Debian's package), installed here when absent.
	@command -v wrk >/dev/null 2>&1 || { [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1 \
	  && apt-get install -y -qq wrk >/dev/null; } || echo "wrk is absent: portal_load will say so"
	@missed=""; for b in $(BENCHES); do \
	  $(PY) bench/$$b.py || missed="$$missed $$b"; \
	done; \
	if [ -n "$$missed" ]; then echo "Benchmarks that missed their goal:$$missed"; exit 1; fi

# Scale-out test (docs/operations.md): two web nodes and a worker in network namespaces of
# their own, a private PostgreSQL and Redis, a load balancer, node and database failures.
# Needs root (ip netns) and 4–8 minutes; not part of `make test`. Options: SCALE_ARGS.
scale: install
	$(PY) -m scale.harness $(SCALE_ARGS)

clean:
	rm -rf $(VENV) var staticfiles
