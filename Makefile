VENV := .venv
STAMP := $(VENV)/.installed

.PHONY: venv run test lint

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
