# The two commands of the README: `make run` (install, then run the bot — or its console without tokens)
# and `make test` (install, then lint and run the whole suite on SQLite, and on PostgreSQL when reachable).
VENV ?= .venv
PYTHON ?= python3

.PHONY: run test console
run: $(VENV)/.installed
	$(VENV)/bin/kenniskring run $(ARGS)

console: $(VENV)/.installed
	$(VENV)/bin/kenniskring console

test: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/pytest $(ARGS)

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[dev]'
	touch $@
