# The two commands of the README: `make run` (install, then run the bot — or its console without tokens)
# and `make test` (install, then lint and run the whole suite on SQLite, and on PostgreSQL when reachable).
# Both install the exact versions in constraints.txt; `make constraints` renews them.
VENV ?= .venv
PYTHON ?= python3
PIP = $(VENV)/bin/pip install --quiet -c constraints.txt

.PHONY: run test console constraints
run: $(VENV)/.installed
	$(VENV)/bin/kenniskring run $(ARGS)

console: $(VENV)/.installed
	$(VENV)/bin/kenniskring console

test: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/pytest $(ARGS)

# What the bot runs, with the PostgreSQL driver (production runs on PostgreSQL).
$(VENV)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PIP) --upgrade pip
	$(PIP) -e '.[postgres]'
	touch $@

# The same, plus the tools for tests and lint.
$(VENV)/.installed-dev: $(VENV)/.installed
	$(PIP) -e '.[postgres,dev]'
	touch $@

# After changing the dependencies in pyproject.toml: what a clean install picks today, pinned. Then `make test`.
constraints:
	rm -rf $(VENV)-constraints
	$(PYTHON) -m venv $(VENV)-constraints
	$(VENV)-constraints/bin/pip install --quiet --upgrade pip
	$(VENV)-constraints/bin/pip install --quiet -e '.[postgres,dev]'
	{ sed -n '/^#/p' constraints.txt; $(VENV)-constraints/bin/pip freeze --all --exclude-editable \
	  | grep -v '^setuptools=='; } > constraints.new
	mv constraints.new constraints.txt
	rm -rf $(VENV)-constraints
