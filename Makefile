VENV := .venv
STAMP := $(VENV)/.installed
BENCH_SIZES ?= 10k,100k,1M

.PHONY: venv run test lint bench

venv: $(STAMP)

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install -e '.[dev]'
	touch $(STAMP)

run: venv
	$(VENV)/bin/kg build
	$(VENV)/bin/kg stats
	$(VENV)/bin/kg query timeline

test: venv
	$(VENV)/bin/pytest -q

lint: venv
	$(VENV)/bin/ruff check .

# The benchmark (bench/README.md): figures printed as tables and written to build/bench.json.
bench: venv
	$(VENV)/bin/python -m bench.run --sizes $(BENCH_SIZES) --json build/bench.json
