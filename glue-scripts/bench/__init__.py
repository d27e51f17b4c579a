"""make bench-etl (python -m bench.etl_bench)."""
