# Shuxuan (蜀选): two commands do everything.
#   make run   set up and serve the app with the demo world on http://127.0.0.1:8000
#   make test  run every test (lint, backend, frontend unit, browser)
# DATABASE_URL / REDIS_URL point at your own servers; when unset, embedded ones are started.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
SERVICES := $(PY) infra/local/services.py
PORT ?= 8000
PYTEST_WORKERS ?= 2

.PHONY: run test lint test-backend test-frontend test-e2e build deps schema bench bench-ledger bench-search bench-orders bench-matching bench-settlement bench-reconcile clean

$(VENV)/.installed: backend/requirements.txt backend/requirements-dev.txt
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is required"'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r backend/requirements-dev.txt
	@touch $@

frontend/node_modules/.installed: frontend/package.json frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund
	@touch $@

tests/e2e/node_modules/.installed: tests/e2e/package.json tests/e2e/package-lock.json
	cd tests/e2e && npm ci --no-audit --no-fund
	@touch $@

deps: $(VENV)/.installed frontend/node_modules/.installed

build: frontend/node_modules/.installed
	cd frontend && npm run build

run: deps
	$(PY) infra/local/run.py --port $(PORT)

test: lint test-backend test-frontend test-e2e

lint: deps
	$(VENV)/bin/ruff check backend infra bench tests
	$(VENV)/bin/ruff format --check backend infra bench tests
	cd backend && DJANGO_SECRET_KEY=typecheck DATABASE_URL=postgres://localhost/typecheck ../$(VENV)/bin/mypy --config-file ../pyproject.toml .
	cd backend && ../$(VENV)/bin/lint-imports ../pyproject.toml
	$(PY) infra/checks/structure.py
	cd frontend && npm run lint

test-backend: deps
	$(SERVICES) -- $(VENV)/bin/pytest -n $(PYTEST_WORKERS) --create-db -p no:cacheprovider

test-frontend: frontend/node_modules/.installed
	cd frontend && npm test

test-e2e: deps build tests/e2e/node_modules/.installed
	cd tests/e2e && node run.mjs

# Regenerate the OpenAPI schema and the SPA's typed client from it.
schema: deps
	$(SERVICES) -- sh -c 'cd backend && ../$(PY) manage.py spectacular --format openapi-json --file openapi.json --validate'
	cd frontend && npm run gen:api

# Benchmarks print their figures (they are not tests). Each creates its own database.
bench: bench-ledger bench-search bench-orders bench-matching bench-settlement bench-reconcile

bench-ledger: deps
	$(SERVICES) -- $(PY) bench/ledger.py

bench-search: deps
	$(SERVICES) -- $(PY) bench/search.py

bench-orders: deps
	$(SERVICES) -- $(PY) bench/orders_import.py

bench-matching: deps
	$(SERVICES) -- $(PY) bench/matching.py

bench-settlement: deps
	$(SERVICES) -- $(PY) bench/settlement.py

bench-reconcile: deps
	$(SERVICES) -- $(PY) bench/reconcile.py

clean:
	rm -rf $(VENV) frontend/node_modules frontend/dist tests/e2e/node_modules backend/staticfiles
