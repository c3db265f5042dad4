# Two commands a newcomer needs: `make reproduce` and `make test`. `make help` lists the rest.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DOCS_STAMP := $(VENV)/.docs-stamp

.PHONY: help install data test test-fast lint docs reproduce quick bench clean

help:
	@echo "make reproduce   every experiment of the report, then report/index.html and report/REPORT.md"
	@echo "make test        the whole test suite (installs first; real-data tests included)"
	@echo "make test-fast   unit tests only (no real data)"
	@echo "make lint        ruff, mypy and the import-linter layer contracts"
	@echo "make docs        the documentation site, built strict into site/"
	@echo "make quick       a smoke reproduction into report-quick/"
	@echo "make bench       one epoch of every engine side by side"
	@echo "make data        make sure Fashion-MNIST and Ames are there"
	@echo "make install     .venv with the package and its test extras"
	@echo "make clean       remove .venv and every output folder"

install: $(STAMP)

# Re-runs only when pyproject.toml changes. torch is pinned and installed first so that pip
# takes the CPU build on this disk and never pulls a multi-GB CUDA build.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check torch==2.13.0
	$(BIN)/pip install -q --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

# Fashion-MNIST: already found (data dir, Debian package, cache)? Else the Debian package when
# we are root on Debian, else a verified download into the cache.
data: install
	@if $(BIN)/dlbasics data info >/dev/null 2>&1; then \
		echo "data: Fashion-MNIST and Ames found and verified"; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get install -y -qq dataset-fashion-mnist || \
		{ apt-get update -qq && apt-get install -y -qq dataset-fashion-mnist; }; \
	else \
		$(BIN)/dlbasics data fetch; \
	fi
	@$(BIN)/dlbasics data info

test: install data
	$(BIN)/pytest

test-fast: install
	$(BIN)/pytest -m "not realdata"

# lint-imports checks the layers of docs/architecture.md (contracts in pyproject.toml).
lint: install
	$(BIN)/ruff check src tests benchmarks notebooks
	$(BIN)/ruff format --check src tests benchmarks notebooks
	$(BIN)/mypy
	$(BIN)/lint-imports

# The docs extra (mkdocs-material, mkdocstrings) goes into the same .venv; --strict makes every
# warning (a broken link, a docstring that does not render) an error.
$(DOCS_STAMP): pyproject.toml $(STAMP)
	$(BIN)/pip install -q --disable-pip-version-check -e '.[docs]'
	touch $(DOCS_STAMP)

docs: $(DOCS_STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --site-dir site

reproduce: install data
	$(BIN)/dlbasics reproduce

quick: install data
	$(BIN)/dlbasics reproduce --quick --out report-quick

bench: install data
	$(BIN)/dlbasics bench

clean:
	rm -rf $(VENV) runs report report-quick site .pytest_cache .mypy_cache .ruff_cache
