# Post-deploy smoke check of one environment (needs AWS credentials; see README, "Deploying"):
#   smoke      -> make smoke ENV=dev [WITH_SAMPLE_DATA=1]: stack, IAM simulation of every role,
#                 workflow and job runs, named queries, QuickSight; one PASS/FAIL line per check
#   test-smoke -> its tests, every AWS call stubbed with botocore's Stubber (part of `make test`)
# cmd/environment prints the environment from cdk.json (stack name, region, IsProduction), so
# production is decided by config alone. Uses the AWS venv of mk/iam.mk.
TEST_TARGETS += test-smoke

SMOKE_WORK := $(ROOT)/build/smoke

.PHONY: smoke test-smoke

smoke: aws-venv go-deps $(if $(WITH_SAMPLE_DATA),venv) ## post-deploy check: make smoke ENV=dev [WITH_SAMPLE_DATA=1] (needs credentials)
	@test -n "$(ENV)" || { echo "usage: make smoke ENV=<dev|staging|prod> [WITH_SAMPLE_DATA=1]"; exit 2; }
	mkdir -p $(SMOKE_WORK)
	$(GO) run ./cmd/environment $(ENV) > $(SMOKE_WORK)/environment.json
	cd tools && $(AWS_PYTHON) -m smoke --environment $(SMOKE_WORK)/environment.json \
		$(if $(WITH_SAMPLE_DATA),--with-sample-data --work $(SMOKE_WORK) --local-python $(PYTHON))

test-smoke: aws-venv
	cd tools && $(AWS_PYTHON) -m pytest -q -p no:cacheprovider smoke/tests
