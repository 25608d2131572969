PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: test demo bench chaos lint fmt typecheck clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest

demo: $(STAMP)
	$(BIN)/shopspot demo

bench: $(STAMP)
	$(BIN)/python -m bench

# Not part of `make test`: minutes of faults, kills and restarts, then HubSpot checked record
# by record; the figures go into docs/BENCHMARKS.md.
CHAOS_EVENTS ?= 10000
chaos: $(STAMP)
	$(BIN)/python -m bench.chaos --events $(CHAOS_EVENTS) --record

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

fmt: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

typecheck: $(STAMP)
	$(BIN)/mypy shopspot webapi worker tasks sandbox cli bench

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache
