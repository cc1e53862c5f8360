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

# `make run` / `make demo` are the local demo: DEBUG=1 on purpose, with local keys written to
# var/keys.env once (make syntax; production sets its own keys, see docs/security.md).
-include var/keys.env
var/keys.env:
	mkdir -p var
	$(PYTHON) -c 'import secrets; [print(f"export {k} := {secrets.token_urlsafe(50)}") for k in ("SECRET_KEY", "FIELD_ENCRYPTION_KEY")]' > $@
run demo: export DEBUG = 1

run: setup
	@echo "演示模式：DEBUG=1，本地密钥 var/keys.env — 不可用于生产环境"
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
