"""`make cost`: what an environment will cost per month, from its configuration (cdk.json through
`go run ./cmd/envconfig`), the project's measured figures (figures.json, rewritten by
`make bench-etl` and `make query-cost`) and AWS's prices (prices.json)."""
