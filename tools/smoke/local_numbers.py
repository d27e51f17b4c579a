"""The local side of `make smoke WITH_SAMPLE_DATA=1`: key numbers of every named query.

Runs in the project's main venv (DuckDB, sqlglot) over the curated output of `make etl-local`:

    python smoke/local_numbers.py --curated DIR --raw DIR --start YYYY-MM-DD --end YYYY-MM-DD --out FILE

--raw is the folder holding events/ (what make etl-local read): the raw-zone profiling queries
read it as the crawled raw_events table.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import athena_sql

from smoke.compare import key_numbers, kind_of_values


def numbers(curated: Path, raw: Path, start: str, end: str) -> dict[str, dict]:
    con = athena_sql.connect(curated, raw)
    out = {}
    for query in athena_sql.athena_queries():
        result = athena_sql.run(con, query, start, end)
        kinds = [
            kind_of_values([row[i] for row in result.rows])
            for i in range(len(result.columns))
        ]
        out[query.name] = key_numbers(
            result.columns, kinds, [list(row) for row in result.rows]
        )
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--curated", type=Path, required=True)
    parser.add_argument("--raw", type=Path, required=True)
    parser.add_argument("--start", required=True)
    parser.add_argument("--end", required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    result = numbers(args.curated, args.raw, args.start, args.end)
    args.out.write_text(json.dumps(result, indent=2, sort_keys=True), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
