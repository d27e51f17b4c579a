"""`make smoke ENV=<name>`: a post-deploy check of one environment, run with AWS credentials.

Read-only by default; `--with-sample-data` (refused on production environments) also uploads a
generated sample, runs the workflow and compares the named queries with a local run. One
PASS/FAIL (or SKIP) line per check; the exit code is non-zero on any FAIL.
"""
