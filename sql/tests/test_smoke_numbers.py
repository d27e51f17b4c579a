"""The local side of `make smoke WITH_SAMPLE_DATA=1` on the session's real ETL output.

tools/smoke/local_numbers.py computes, per named query, the key numbers the smoke check
compares with Athena's (tools/smoke/compare.py); here they must match the generator's truth.
"""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import athena_sql

TOOLS = Path(__file__).resolve().parents[2] / "tools"


def test_local_numbers_cover_every_named_query_with_exact_totals(lake, tmp_path):
    out = tmp_path / "numbers.json"
    cmd = [
        sys.executable,
        "smoke/local_numbers.py",
        "--curated",
        str(lake.curated),
        "--raw",
        str(lake.raw),
    ]
    cmd += [
        "--start",
        lake.start.isoformat(),
        "--end",
        lake.end.isoformat(),
        "--out",
        str(out),
    ]
    subprocess.run(cmd, cwd=TOOLS, check=True)
    numbers = json.loads(out.read_text(encoding="utf-8"))
    assert set(numbers) == {q.name for q in athena_sql.athena_queries()}
    by_date = lake.truth["sessions_by_date"]
    traffic = numbers["daily_traffic"]
    # Counts are totalled exactly; rates and averages are not key numbers.
    assert traffic["rows"] == len(by_date)
    assert traffic["sum(sessions)"] == sum(d["sessions"] for d in by_date)
    assert traffic["sum(page_views)"] == sum(d["page_views"] for d in by_date)
    assert not any(name.startswith("sum(bounce_rate") for name in traffic)
    # Money is totalled to the cent, as text.
    revenue = sum(
        Decimal(str(c["revenue"])).quantize(Decimal("0.01"))
        for c in lake.truth["by_channel"]
    )
    assert numbers["channel_performance"]["sum(revenue)"] == str(revenue)
