# Two commands a curator needs (see README):
#   make run    set up and run the pipeline on the bundled page (raw/ -> extracted/)
#   make test   set up and run the tests
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export DVC_NO_ANALYTICS := 1

.PHONY: run test setup system-deps bench bench-deps

$(BIN)/partners: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@

# The package's bytecode, written here: where PYTHONDONTWRITEBYTECODE is set (many container
# images set it) no `partners` process writes its own, and each would compile the package from
# source (0.68 billion instructions, 13% of a one-entry run). Up-to-date files are skipped.
setup: $(BIN)/partners
	@$(BIN)/python -m compileall -q pipeline

# Headless Chromium and its driver for the browser test, from Debian's packages.
system-deps:
	@if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; \
		else echo "note: chromium/chromedriver missing; browser tests will be skipped"; fi; \
	fi

# dvc.yaml's commands call `partners`: the venv's bin goes first on PATH.
run: setup
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/dvc repro

test: setup system-deps
	$(BIN)/python -m pytest -q

# py-spy for the profile of a missed target (the bench extra), installed once
$(VENV)/.bench: pyproject.toml
	$(BIN)/pip install --quiet -e ".[test,bench]"
	touch $@

# valgrind for the instruction counts (benchmarks/instructions.py), from Debian's packages
bench-deps:
	@if ! command -v valgrind >/dev/null; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq valgrind >/dev/null; \
		else echo "note: valgrind missing; the instruction counts will be skipped"; fi; \
	fi

bench: setup $(VENV)/.bench bench-deps
	$(BIN)/python -m benchmarks.run
