"""`python -m clickstream_etl.local_forget` (make forget): the erasure job on a local output folder."""

from __future__ import annotations

import argparse
from pathlib import Path

from clickstream_etl.local import local_argv, local_erasure_args


def main(argv: list[str] | None = None) -> dict:
    """Erases the visitors of a requests file (or folder) from a local ETL output and its raw
    folder through the deployed entry point (forget.py); prints and returns the audit report."""
    parser = argparse.ArgumentParser(description="Erase visitors from a local curated folder and its raw folder.")
    parser.add_argument("--requests", required=True, type=Path, help="erasure requests: a JSON lines file or a folder")
    parser.add_argument("--input", required=True, type=Path, help="raw events folder the output was curated from")
    parser.add_argument("--output", required=True, type=Path, help="curated folder (make etl-local OUTPUT)")
    ns = parser.parse_args(argv)
    import forget  # the Glue script

    args = local_erasure_args(ns.input.resolve(), ns.output.resolve(), ns.requests.resolve())
    return forget.main(["forget.py", *local_argv(args)])


if __name__ == "__main__":
    main()
