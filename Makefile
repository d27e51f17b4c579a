# Clickstream analytics data lake. The two commands: `make synth` and `make test`.
# Every tool comes from the project's pinned files: Node + CDK CLI from package-lock.json,
# Go modules from go.sum, Python tools from tools/requirements*.txt into project-local venvs.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:

ROOT      := $(CURDIR)
NODE_BIN  := $(ROOT)/node_modules/.bin
# The pinned Node 22 and CDK CLI come first, so the machine's own Node is never used.
export PATH      := $(NODE_BIN):$(PATH)
export JSII_NODE := $(NODE_BIN)/node
# No internet here and none needed: no version checks, no telemetry.
export CDK_DISABLE_VERSION_CHECK := 1
export CDK_DISABLE_CLI_TELEMETRY := true
export GOFLAGS   := -mod=readonly

GO        ?= go
PYTHON3   ?= python3
VENV      := $(ROOT)/.venv
PYTHON    := $(VENV)/bin/python
SCAN_VENV := $(ROOT)/.venv-scan
CDK       := $(NODE_BIN)/cdk
ENV       ?=
STACK      = ClickstreamAnalytics-$(ENV)

# The venvs are installed by the pinned uv (tools/requirements-uv.txt), bootstrapped once with
# pip into .cache/uv: it links the wheels from its cache where pip unpacked them (on a fresh
# clone with warm caches the three venvs took 22, 37 and 11 s with pip, 5, 8 and 2 s with uv).
# It runs the machine's python3, never a Python it downloads, and compiles the bytecode as
# pip did (this machine never writes it at import: every run of a tool would compile it again).
# Both lanes of make test may need it at once: the second waits for the first (flock).
UV_HOME    := $(ROOT)/.cache/uv
UV         := $(UV_HOME)/bin/uv
export UV_PYTHON_DOWNLOADS := never
UV_INSTALL  = VIRTUAL_ENV=$(1) $(UV) pip install -q --compile-bytecode
# A venv in folder $(1) (created by uv from the machine's python3) with what install arguments $(2) name.
define uv_venv
	rm -rf $(1)
	$(UV) venv -q --python $(PYTHON3) $(1)
	$(call UV_INSTALL,$(1)) $(2)
endef

# Fragments add their own targets and append to TEST_TARGETS / LINT_TARGETS.
TEST_TARGETS := test-go test-examples
LINT_TARGETS := lint-go
include $(sort $(wildcard mk/*.mk glue-scripts/*.mk))

.PHONY: help deps node-deps go-deps venv contract scan-venv synth test lint $(TEST_TARGETS) lint-go \
        deploy diff snapshot-update clean

help: ## list the targets
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | sort | awk -F':.*## ' '{printf "  %-18s %s\n", $$1, $$2}'

node_modules/.stamp: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	# A nested go.mod keeps `go ... ./...` out of the CDK CLI's Go init templates.
	printf 'module ignore/node_modules\n' > node_modules/go.mod
	touch $@

node-deps: node_modules/.stamp

go-deps:
	$(GO) mod download

$(UV): tools/requirements-uv.txt
	mkdir -p $(ROOT)/.cache
	flock $(UV_HOME).lock sh -c 'test $@ -nt $< || { rm -rf $(UV_HOME) && $(PYTHON3) -m venv $(UV_HOME) && \
	  $(UV_HOME)/bin/pip install --disable-pip-version-check --no-input -q -r $< && touch $@; }'

# PyPI has PySpark only as a source distribution, which uv builds again on every install (it
# cannot cache that build here); pip keeps the wheel it built in its cache, so after the first
# time this is a copy, which uv then installs like any wheel (the pin is tools/requirements.txt's).
WHEELS := $(ROOT)/.cache/wheels
$(WHEELS)/.stamp: tools/requirements.txt $(UV)
	rm -rf $(WHEELS)
	$(UV_HOME)/bin/pip wheel --disable-pip-version-check --no-input -q --no-deps -w $(WHEELS) \
	  "$$(grep -E '^pyspark==' tools/requirements.txt)"
	touch $@

$(VENV)/.stamp: tools/requirements.txt glue-scripts/pyproject.toml $(UV) $(WHEELS)/.stamp
	$(call uv_venv,$(VENV),--find-links $(WHEELS) -r tools/requirements.txt)
	$(call UV_INSTALL,$(VENV)) --no-build-isolation --no-deps -e glue-scripts
	touch $@

# The contract's JSON export, read by the Glue script's local runs, its tests, the SQL harness and
# the tools (the deployed job gets its own copy inside its modules zip).
CONTRACT_JSON := glue-scripts/clickstream_etl/contract.json
$(CONTRACT_JSON): $(wildcard contract/*.go cmd/contract/*.go config/*.go) go.mod
	$(GO) run ./cmd/contract > $@.tmp
	mv $@.tmp $@

contract: $(CONTRACT_JSON) ## regenerate the contract's JSON export for local runs (glue-scripts/clickstream_etl/contract.json)

venv: $(VENV)/.stamp $(CONTRACT_JSON) ## project-local Python tools (PySpark, pytest, DuckDB, sqlglot, ruff) and the contract export

$(SCAN_VENV)/.stamp: tools/requirements-scan.txt $(UV)
	$(call uv_venv,$(SCAN_VENV),-r tools/requirements-scan.txt)
	touch $@

scan-venv: $(SCAN_VENV)/.stamp

DEPS := node-deps go-deps venv scan-venv
deps: $(DEPS) ## install every pinned dependency

synth: node-deps go-deps ## synthesize every environment (or ENV=<name>) into cdk.out/, no credentials needed
	rm -rf cdk.out
	$(CDK) synth --quiet $(if $(ENV),-c env=$(ENV) $(STACK))
	@ls -1 cdk.out/*.template.json

# Two lanes at once, one per core. One installs the Python venv, then runs the Glue suite from its
# first module. The other installs everything else side by side (each into its own folder; 90 -> 61 s
# on a fresh clone), waits for the venv, then runs the other stages in turn and joins the Glue suite
# from its last module; each module runs in whichever lane claims it first (glue.mk: GLUE_CLAIMS),
# so both lanes end at about the same time however long the other stages took. No two stages ever install
# into one venv at once. The stages that check the synthesized templates run in one make call,
# which synthesizes once. Each stage's output is printed whole when it ends, and at the end the
# wall time of each stage (also after a failure), so a slow stage shows.
TEST_DEPS         := $(filter-out venv,$(DEPS)) aws-venv trino browser
TEST_ON_TEMPLATES := test-iam scan-templates
TEST_LANE_GLUE    := venv test-glue-part1
TEST_LANE_REST    := $(filter-out test-glue $(TEST_ON_TEMPLATES),$(TEST_TARGETS)) test-templates lint test-glue-part2
TEST_LOGS         := $(ROOT)/build/test-logs

.PHONY: test-deps test-templates
test-deps:
	@$(MAKE) --no-print-directory -j4 --output-sync=target $(TEST_DEPS)

test-templates: $(TEST_ON_TEMPLATES)

test: ## run everything: Go, Python, SQL, scanners, lint
	@rm -rf $(TEST_LOGS) && mkdir -p $(TEST_LOGS); start=$$SECONDS; \
	lane() { for target in "$$@"; do \
	    began=$$SECONDS; status=passed; \
	    $(MAKE) --no-print-directory $$target GLUE_CLAIMS=$(TEST_LOGS)/glue-claims \
	      > $(TEST_LOGS)/$$target.log 2>&1 || status=FAILED; \
	    flock $(TEST_LOGS)/.print sh -c 'echo "=== $$0 ($$1)"; cat "$$2"' $$target $$status $(TEST_LOGS)/$$target.log; \
	    echo "$$target $$((SECONDS - began)) $$status" >> $(TEST_LOGS)/times; \
	    [ $$status = passed ] || return 1; \
	    [ $$target != venv ] || touch $(TEST_LOGS)/.venv-ready; \
	  done; }; \
	venv_ready() { while [ ! -e $(TEST_LOGS)/.venv-ready ]; do \
	    kill -0 $$glue 2>/dev/null || return 1; sleep 1; done; }; \
	lane $(TEST_LANE_GLUE) & glue=$$!; \
	{ lane test-deps && venv_ready && lane $(TEST_LANE_REST); } & rest=$$!; \
	failed=0; wait $$glue || failed=1; wait $$rest || failed=1; \
	echo "make test: wall time per stage"; awk '{printf "  %-16s %5s s  %s\n", $$1, $$2, $$3}' $(TEST_LOGS)/times; \
	echo "  total            $$((SECONDS - start)) s (two lanes at once)"; \
	if [ $$failed = 0 ]; then echo "make test: all checks passed"; else echo "make test: FAILED"; exit 1; fi

# Without the symbol table and DWARF (-s -w: for debuggers only; stack traces keep their names and
# lines): each test binary embeds the CDK's jsii assemblies, and linking 29 of them without
# debug info takes 39 instead of 56 s of CPU.
test-go: node-deps go-deps
	$(GO) test -count=1 -ldflags='-s -w' ./...

# An external consumer module (its own go.mod, replace to this one) that puts the pipeline
# construct into a stack of its own: proves the library is usable from outside.
test-examples: node-deps go-deps
	@unformatted=$$(gofmt -l examples); if [ -n "$$unformatted" ]; then echo "gofmt needed:"; echo "$$unformatted"; exit 1; fi
	cd examples/consumer && $(GO) vet ./... && $(GO) test -count=1 ./...

lint: $(LINT_TARGETS) ## gofmt, go vet, staticcheck, ruff

lint-go: go-deps
	@# Files, not directories: gofmt recurses into a directory, and the root one holds node_modules/.
	@unformatted=$$(gofmt -l $$($(GO) list -f '{{$$d := .Dir}}{{range .GoFiles}}{{$$d}}/{{.}} {{end}}{{range .TestGoFiles}}{{$$d}}/{{.}} {{end}}{{range .XTestGoFiles}}{{$$d}}/{{.}} {{end}}' ./...)); \
	  if [ -n "$$unformatted" ]; then echo "gofmt needed:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...

deploy: node-deps go-deps ## deploy one environment: make deploy ENV=prod (needs credentials and cdk bootstrap)
	@test -n "$(ENV)" || { echo "usage: make deploy ENV=<dev|staging|prod>"; exit 2; }
	$(CDK) deploy -c env=$(ENV) $(STACK) --require-approval broadening

diff: node-deps go-deps ## show what a deploy would change: make diff ENV=prod
	@test -n "$(ENV)" || { echo "usage: make diff ENV=<dev|staging|prod>"; exit 2; }
	$(CDK) diff -c env=$(ENV) $(STACK)

clean: ## remove generated output (keeps installed dependencies)
	rm -rf cdk.out build demo-output
