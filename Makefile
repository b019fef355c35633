# newsreader: `make run` starts the app, `make test` runs every check. See README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py

.PHONY: install browser-deps run demo test lint format lock bench bench-scale clean

install: $(VENV)/.installed

$(VENV)/.installed: requirements/dev.txt
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 12) and "newsreader needs Python 3.12 (see .python-version)")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/dev.txt
	touch $@

# axe-core for the browser tests' accessibility check (npm registry, pinned by the lock file).
browser-deps: tests/browser/node_modules/.installed

tests/browser/node_modules/.installed: tests/browser/package-lock.json
	npm ci --prefix tests/browser --no-audit --no-fund
	touch $@

run: install
	DEBUG=$${DEBUG:-1} scripts/run.sh

demo: install
	DEBUG=$${DEBUG:-1} $(MANAGE) migrate --noinput
	DEBUG=$${DEBUG:-1} $(MANAGE) ingest --sync --file demo/wikinews-120.jsonl

test: lint
	DEBUG=1 CONN_MAX_AGE=0 $(BIN)/pytest

# The same checks as .pre-commit-config.yaml, on every file.
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djlint --check templates
	$(BIN)/djlint --lint templates
	git ls-files -z '*.py' | xargs -0 $(BIN)/django-upgrade --target-version 6.1 --check

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
	$(BIN)/djlint --reformat templates
	git ls-files -z '*.py' | xargs -0 $(BIN)/django-upgrade --target-version 6.1

bench: install
	DEBUG=1 $(BIN)/python bench/extraction.py
	DEBUG=1 $(BIN)/python bench/linking.py
	DEBUG=1 $(BIN)/python bench/analysis_speed.py

# Pages at library scale. The database is emptied: give PostgreSQL a database of its own,
#   make bench-scale SCALE_DATABASE_URL=postgres://postgres@127.0.0.1:5432/scale_bench
SCALE_DATABASE_URL ?= sqlite:///var/bench/scale.sqlite3
bench-scale: install
	$(BIN)/python bench/scale.py --database-url $(SCALE_DATABASE_URL) $(SCALE_ARGS)

# Re-lock after changing pyproject.toml: every package pinned by hash.
lock:
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --python-version 3.12 --generate-hashes -o requirements/base.txt
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.12 --generate-hashes -o requirements/dev.txt

clean:
	rm -rf $(VENV) var staticfiles tests/browser/node_modules
