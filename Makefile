# pvegen: every target installs what it needs into .venv (re-installed only when pyproject.toml changes).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SPEC   ?= spec/proxmox-ve.json
PYTEST_ARGS ?=

.PHONY: all generate test fuzz lint bench compat cassettes clean help

all: generate

help:
	@echo "make generate   regenerate generated/ (the client) from $(SPEC)"
	@echo "make test       run the test suite (installs everything it needs; the long fuzz runs are in make fuzz)"
	@echo "make fuzz       the long runs (thousands of hostile specs, mutations of real schemas, a 3 GiB upload)"
	@echo "make lint       black --check, ruff, mypy --strict on the tool (runtime included), tests and the generated client"
	@echo "make bench      benchmarks, each printing a ratio against a same-run baseline"
	@echo "make compat OLD=a.json NEW=b.json [FORMAT=text] [FAIL_ON=breaking] [IGNORE=file]   the CI gate"

# Quiet on stdout (progress goes to stderr), so `make compat FORMAT=json > report.json` stays valid JSON.
$(STAMP): pyproject.toml
	@echo "setting up $(VENV) (python -m venv; pip install -e '.[dev]')" >&2
	@$(PYTHON) -m venv $(VENV) >&2
	@$(BIN)/python -m pip install --quiet --upgrade pip >&2
	@$(BIN)/python -m pip install --quiet -e '.[dev]' >&2
	@touch $(STAMP)

generate: $(STAMP)
	$(BIN)/pvegen generate $(SPEC) --out generated --package proxmox_ve

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

fuzz: $(STAMP)
	$(BIN)/python -m pytest -m fuzz $(PYTEST_ARGS)

# mypy cannot follow the editable install's import hook, so it sees generator/ as `pvegen` through a link.
TYPECHECK := .typecheck
lint: $(STAMP)
	$(BIN)/black --check --quiet generator tests bench conftest.py
	$(BIN)/ruff check generator tests bench conftest.py
	mkdir -p $(TYPECHECK) && ln -sfn ../generator $(TYPECHECK)/pvegen
	MYPYPATH=$(TYPECHECK) $(BIN)/mypy --strict $(TYPECHECK)/pvegen tests bench conftest.py
	cd generated && ../$(BIN)/mypy --strict proxmox_ve

bench: $(STAMP)
	$(BIN)/python -m bench

FORMAT  ?= text
FAIL_ON ?=
IGNORE  ?=
compat: $(STAMP)
	@test -n "$(OLD)" -a -n "$(NEW)" || { echo "usage: make compat OLD=old-spec NEW=new-spec [FORMAT=text] [FAIL_ON=breaking] [IGNORE=file]" >&2; exit 2; }
	@$(BIN)/pvegen compat $(OLD) $(NEW) --format $(FORMAT) $(if $(FAIL_ON),--fail-on $(FAIL_ON)) $(if $(IGNORE),--ignore $(IGNORE))

# Re-record tests/cassettes against `pvegen mock` (then run `make test` and commit them).
cassettes: $(STAMP)
	PVEGEN_RECORD_CASSETTES=1 $(BIN)/python -m pytest tests/test_mock_cassettes.py

clean:
	rm -rf $(VENV) $(TYPECHECK) .mypy_cache .ruff_cache .pytest_cache .hypothesis build *.egg-info
