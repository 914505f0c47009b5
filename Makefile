VENV := .venv
STAMP := $(VENV)/.installed
CONSTRAINTS := requirements/constraints.txt
FLOORS := requirements/floors.txt
BENCH_SIZES ?= 10k,100k,1M
# What the generated parts of the docs come from: the command line, the catalogue, real runs.
DOCS := README.md docs/CLI.md docs/PERFORMANCE.md docs/REMOTE.md queries/README.md

.PHONY: venv run test test-all lint types docs docs-check floors lock ci bench

venv: $(STAMP)

# The versions of requirements/constraints.txt (`make lock` renews them); the reference SHACL
# engine is installed too, since the tests compare the two engines.
$(STAMP): pyproject.toml $(CONSTRAINTS)
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q -c $(CONSTRAINTS) -e '.[dev,reference]'
	touch $(STAMP)

run: venv
	$(VENV)/bin/kg build
	$(VENV)/bin/kg stats
	$(VENV)/bin/kg query timeline

# The fast tier: every test but those marked slow, on every core.
test: venv
	$(VENV)/bin/pytest -q -n auto -m "not slow"

# Everything, as CI runs it.
test-all: venv
	$(VENV)/bin/pytest -q -n auto

lint: venv
	$(VENV)/bin/ruff check .

types: venv
	$(VENV)/bin/mypy

# Regenerate the generated parts of the docs (between [[[cog and [[[end]]] markers).
docs: venv
	$(VENV)/bin/cog -r -p "import sys; sys.path.insert(0, 'docs')" $(DOCS)

# Fail when a generated part of the docs is not what `make docs` would write.
docs-check: venv
	$(VENV)/bin/cog --check --diff -p "import sys; sys.path.insert(0, 'docs')" $(DOCS)

# The declared floors of pyproject.toml, for real: a venv with requirements/floors.txt builds a
# copy of the repository's data and passes the fast tier.
floors:
	rm -rf .venv-floors
	python3 -m venv .venv-floors
	.venv-floors/bin/pip install -q -c $(FLOORS) -e '.[reference,test,plot]'
	d=$$(mktemp -d) && cp -r ontology data rules queries $$d/ \
		&& .venv-floors/bin/kg --root $$d build && rm -rf $$d
	.venv-floors/bin/pytest -q -n auto -m "not slow" -p no:cacheprovider -W ignore::DeprecationWarning
	rm -rf .venv-floors

# Renew requirements/constraints.txt: the newest versions pyproject.toml allows, in a fresh venv.
lock:
	rm -rf .venv-lock
	python3 -m venv .venv-lock
	.venv-lock/bin/pip install -q -e '.[dev,reference]'
	{ echo "# make lock: the versions make venv and CI install (pip constraints)"; \
	  .venv-lock/bin/pip freeze --exclude-editable | sort -f; } > $(CONSTRAINTS).tmp
	mv $(CONSTRAINTS).tmp $(CONSTRAINTS)
	rm -rf .venv-lock

# What CI runs (.ci/run): lint, types, the docs check, the floors, every test.
ci: lint types docs-check floors test-all

# The benchmark (bench/README.md): figures printed as tables and written to build/bench.json.
bench: venv
	$(VENV)/bin/python -m bench.run --sizes $(BENCH_SIZES) --json build/bench.json
