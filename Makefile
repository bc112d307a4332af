# Two commands for a fresh machine with Python 3.11+:  make report  |  make test
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: report test lint lab bench clean help

help:
	@echo "make report   render the demo reports into reports/"
	@echo "make test     run the tests (lint included)"
	@echo "make lab      open JupyterLab on notebooks/"
	@echo "make bench    run the benchmarks"

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "khanalytics needs Python 3.11 or newer")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

report: $(STAMP)
	$(BIN)/khanalytics import data/sample/bao_cao_*.xlsx --store data/khanalytics.duckdb
	$(BIN)/khanalytics demo
	$(BIN)/khanalytics summary --cluster dong-bac --period 2019-H1 --store data/khanalytics.duckdb
	$(BIN)/khanalytics summary --cluster dong-bac --period 2026-H1 --store data/khanalytics.duckdb

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check khanalytics tests benchmarks scripts

lab: $(STAMP)
	$(BIN)/python -m jupyter lab notebooks/

bench: $(STAMP)
	for f in benchmarks/*.py; do $(BIN)/python $$f || exit 1; done

clean:
	rm -rf $(VENV) reports .pytest_cache
