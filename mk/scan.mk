# Security and compliance gates, all part of `make test`:
#   cdk-nag (AwsSolutions)  -> go test ./test/ (TestNag), run by test-go; the pack is added in stacks.Build
#   template invariants     -> go test ./test/ (buckets, IAM wildcards, key rotation, Retain, pinned logical IDs)
#   cfn-lint, checkov       -> scan-templates, over a fresh `make synth`
#   staticcheck, ruff       -> lint (gofmt and go vet are in the Makefile's lint-go)
# Exceptions live on the resource that needs them (internal/suppress, cdknag suppressions) and in
# test/exceptions.go; no scanner here is given a global skip or ignore.
TEST_TARGETS += scan-templates
LINT_TARGETS += lint-staticcheck lint-python

CFN_LINT := $(SCAN_VENV)/bin/cfn-lint
CHECKOV  := $(SCAN_VENV)/bin/checkov

.PHONY: test-scan scan-templates scan-cfn-lint scan-checkov lint-staticcheck lint-python

test-scan: scan-templates ## all scanners alone: cdk-nag, cfn-lint, checkov (plus the template invariants)
	$(GO) test -count=1 ./test/

scan-templates: scan-cfn-lint scan-checkov

# Zero errors and zero warnings: cfn-lint exits non-zero on either (informational I-rules are off by
# default). Its JSON output is reprinted one finding a line with the logical ID and rule.
scan-cfn-lint: scan-venv synth
	$(CFN_LINT) --format json -- cdk.out/*.template.json | $(SCAN_VENV)/bin/python tools/cfnlint_report.py
	@echo "cfn-lint: no findings in" cdk.out/*.template.json

# --skip-download: no network here and no Prisma Cloud account; checks run from the pinned package.
scan-checkov: scan-venv synth
	$(CHECKOV) --framework cloudformation --skip-download --compact --quiet -f cdk.out/*.template.json

lint-staticcheck: go-deps
	$(GO) tool staticcheck ./...

# All Python in the repo (glue-scripts/ has its ruff.toml). ruff skips .venv and node_modules by
# default but .gitignore'd paths only inside a git work tree, so generated ones are named here:
# the scan and AWS venvs, and the copies of the Glue script in cdk.out/ (assets) and build/.
RUFF_EXCLUDE := --extend-exclude .venv-scan,.venv-aws,cdk.out,build,demo-output
lint-python: venv
	$(VENV)/bin/ruff check $(RUFF_EXCLUDE) .
	$(VENV)/bin/ruff format --check $(RUFF_EXCLUDE) .

snapshot-update: node-deps go-deps ## re-pin the logical IDs of stateful resources after an intended change
	UPDATE_SNAPSHOTS=1 $(GO) test -count=1 -run TestStatefulLogicalIDs ./test/
	@echo "Review and commit test/testdata/stateful-logical-ids.json: a removed ID is a resource a deploy would replace."
