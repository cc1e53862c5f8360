# Doorstep (家门口). `make run` sets everything up and serves the demo; `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup run test lint demo clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

run: setup
	mkdir -p var
	$(BIN)/doorstep migrate --noinput
	$(BIN)/doorstep demo
	$(BIN)/doorstep runserver 127.0.0.1:8000

demo: setup
	$(BIN)/doorstep migrate --noinput
	$(BIN)/doorstep demo

lint: setup
	$(BIN)/ruff check doorstep bench
	$(BIN)/ruff format --check doorstep bench
	$(BIN)/mypy doorstep bench

test: setup lint
	$(BIN)/pytest

clean:
	rm -rf $(VENV) var
