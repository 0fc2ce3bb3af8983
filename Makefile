# claimalign: `make report` runs the main job on the seed corpus, `make test` runs the tests.
# Both set up what they need (a virtualenv in .venv; Debian's chromium for the browser tests).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
CORPUS ?= data/corpus/carney-china-visit-2026
APT    := $(shell [ "$$(id -u)" = 0 ] && echo apt-get || echo sudo apt-get)
# JupyterLab refuses to run as root unless told; LAB_ARGS adds options (e.g. LAB_ARGS=--no-browser).
LAB_ROOT := $(shell [ "$$(id -u)" = 0 ] && echo --allow-root)
LAB_ARGS ?=

.PHONY: help setup browser report findings claims test fuzz lab bench clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-10s %s\n", $$1, $$2}'

setup: $(VENV)/.installed ## Create .venv with claimalign (editable) and its test tools

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(BIN)/python -m ipykernel install --sys-prefix --name claimalign --display-name "claimalign (.venv)"
	touch $@

browser: ## Install Debian's chromium for the browser tests (never a downloaded browser)
	@command -v chromium >/dev/null 2>&1 || { $(APT) update -qq && $(APT) install -y -qq chromium; }

report: setup ## Main job: findings and offline HTML reports for CORPUS (default: the seed corpus)
	$(BIN)/claimalign report $(CORPUS)

findings: setup ## Print the findings table for CORPUS
	$(BIN)/claimalign findings $(CORPUS) --format table

claims: setup ## Print the claims of CORPUS as JSON
	$(BIN)/claimalign claims $(CORPUS) --format json

test: setup browser ## Run the whole test suite
	$(BIN)/python -m pytest -q

fuzz: setup ## The fuzz suite at 2,000 examples (make test runs 60)
	CLAIMALIGN_FUZZ_EXAMPLES=2000 $(BIN)/python -m pytest -q tests/test_fuzz.py

lab: setup ## Open JupyterLab on notebooks/ with the project's kernel (LAB_ARGS=--no-browser, ...)
	$(BIN)/jupyter lab notebooks/ $(LAB_ROOT) $(LAB_ARGS)

bench: setup ## Scale, alignment, batch, workers and one-long-document benchmarks (prints figures; not a test)
	$(BIN)/python bench/bench_findings.py
	$(BIN)/python bench/bench_align.py
	$(BIN)/python bench/bench_batch.py
	$(BIN)/python bench/bench_long.py --big

clean: ## Remove generated reports and caches (never data/)
	rm -rf reports/*/ bench/out .pytest_cache .hypothesis
