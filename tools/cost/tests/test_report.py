"""The `make cost` command: inputs, overrides, the output's shape and its last line, the
comparison and the sensitivity note, and every environment of cdk.json."""

from __future__ import annotations

import dataclasses
import json
import re

import pytest
from conftest import FIGURES
from cost import figures, model, report
from cost.environment import load_all

TOTAL_LINE = re.compile(r"^total_usd_per_month=(\d+\.\d\d)$")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("10000000", 1e7),
        ("10_000_000", 1e7),
        ("1e7", 1e7),
        ("10M", 1e7),
        ("2.5k", 2500),
        ("0", 0),
    ],
)
def test_counts_accept_suffixes_and_exponents(text, value):
    assert report.parse_count("EVENTS_PER_DAY", text) == value


@pytest.mark.parametrize("text", ["ten", "-5", "10 MB", ""])
def test_a_bad_count_names_the_input(text):
    with pytest.raises(
        report.InputError, match="EVENTS_PER_DAY: got .* must be a number ≥ 0"
    ):
        report.parse_count("EVENTS_PER_DAY", text)


def test_overrides_set_assumptions_and_figures():
    f = report.apply_overrides(
        FIGURES,
        ["crawler_dpus=1", "raw_objects_gzip=false", "curated_bytes_per_event=70"],
    )
    assert f.assumptions["crawler_dpus"] == 1
    assert f.assumptions["raw_objects_gzip"] is False
    assert f.curated_bytes_per_event == 70


@pytest.mark.parametrize(
    ("pair", "message"),
    [
        ("nope=1", "SET: unknown name 'nope', allowed: .*crawler_dpus"),
        ("crawler_dpus", "must be name=value"),
    ],
)
def test_a_bad_override_says_what_is_allowed(pair, message):
    with pytest.raises(report.InputError, match=message):
        report.apply_overrides(FIGURES, [pair])


def test_sensitivity_ranks_inputs_by_their_effect(scenario):
    ranked = report.sensitivity(scenario)
    changes = dict(ranked)
    assert [abs(c) for _, c in ranked] == sorted(
        (abs(c) for _, c in ranked), reverse=True
    )
    # volume drives most but not all of the bill (keys, alarms and minimums are fixed)
    assert 0 < changes["events_per_day"] < 10
    # a figure the bill does not depend on in this scenario moves nothing
    assert changes["ingestion_lambda_ms"] == 0


def test_comparison_at_the_published_volume(scenario):
    text = "\n".join(report.comparison(scenario))
    assert (
        "publishes $116.30/month at 10 requests/s (8,640,000 events/day at 10 events/request)"
        in text
    )
    assert "ingestion $49.80" in text and "processing $66.50" in text
    assert "This stack at the same volume" in text


def write_cdk_json(tmp_path, environments: dict) -> str:
    path = tmp_path / "cdk.json"
    path.write_text(
        json.dumps({"context": {"environments": environments}}), encoding="utf-8"
    )
    return str(path)


@pytest.fixture(scope="module")
def two_envs(tmp_path_factory):
    owner = "arn:aws:quicksight:us-east-1:111111111111:group/default/authors"
    return write_cdk_json(
        tmp_path_factory.mktemp("cdk"),
        {
            "lean": {"glue": {"flexExecution": True}},
            "dash": {
                "quicksight": {
                    "enabled": True,
                    "owners": [owner],
                    "importMode": "DIRECT_QUERY",
                }
            },
        },
    )


def run(capsys, *argv) -> tuple[int, list[str], str]:
    code = report.main(list(argv))
    out = capsys.readouterr()
    return code, out.out.splitlines(), out.err


def test_the_last_line_is_the_total_of_the_requested_month(capsys, two_envs):
    code, lines, _ = run(
        capsys,
        "--env",
        "lean",
        "--events-per-day",
        "1M",
        "--months",
        "3",
        "--cdk-json",
        two_envs,
    )
    assert code == 0
    total = float(TOTAL_LINE.match(lines[-1]).group(1))
    (row,) = [line for line in lines if line.strip().startswith("total ")]
    assert row.split()[-1] == f"${total:,.2f}"
    text = "\n".join(lines)
    for part in (
        "Inputs",
        "glue.flexExecution",
        "Flex",
        "Totals at other volumes",
        "Comparison",
        "moves the total most",
    ):
        assert part in text


def test_direct_query_dashboards_are_priced_by_views(capsys, two_envs):
    def views(n: str) -> list[str]:
        argv = [
            "--env",
            "dash",
            "--events-per-day",
            "1M",
            "--quick",
            "--cdk-json",
            two_envs,
        ]
        return run(capsys, *argv, "--dashboard-views-per-day", n)[1]

    few, many = views("1"), views("1000")
    assert any("direct query (1000 views/day)" in line for line in many)
    assert float(TOTAL_LINE.match(many[-1]).group(1)) > float(
        TOTAL_LINE.match(few[-1]).group(1)
    )


def test_all_prints_one_total_per_environment(capsys, two_envs):
    code, lines, _ = run(
        capsys, "--all", "--events-per-day", "1M", "--quick", "--cdk-json", two_envs
    )
    assert code == 0
    assert len([line for line in lines if TOTAL_LINE.match(line)]) == 2
    assert TOTAL_LINE.match(lines[-1])


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["--env", "qa", "--events-per-day", "1M"],
            "ENV: got 'qa', must be one of dash, lean",
        ),
        (
            ["--env", "lean", "--events-per-day", "1M", "--set", "x=1"],
            "SET: unknown name 'x'",
        ),
    ],
)
def test_bad_inputs_exit_2_with_a_message(capsys, two_envs, argv, message):
    code, _, err = run(capsys, *argv, "--cdk-json", two_envs)
    assert code == 2 and message in err


def test_a_bad_events_per_day_is_refused_by_name(capsys, two_envs):
    with pytest.raises(SystemExit) as exit_:
        report.main(
            ["--env", "lean", "--events-per-day", "lots", "--cdk-json", two_envs]
        )
    assert exit_.value.code == 2
    assert "EVENTS_PER_DAY: got 'lots'" in capsys.readouterr().err


def test_an_invalid_cdk_json_reports_config_parse(capsys, tmp_path):
    bad = write_cdk_json(tmp_path, {"dev": {"glue": {"maxWorkers": 1}}})
    code, _, err = run(
        capsys, "--env", "dev", "--events-per-day", "1M", "--cdk-json", bad
    )
    assert code == 2 and "environments.dev.glue.maxWorkers" in err


def test_every_environment_of_cdk_json_is_priced(scenario):
    """What `make test` runs through `make cost` too: each environment as the app parses it."""
    envs = load_all()
    assert envs
    for name, cfg in envs.items():
        env = report.Environment.from_config(name, cfg)
        s = dataclasses.replace(
            scenario, env=env, figures=figures.load(), events_per_day=1e7, month=12
        )
        text, total = report.render(env, s, 12, quick=True)
        assert total == pytest.approx(model.total(model.bill(s)))
        assert ("QuickSight" in text) == cfg["quicksight"]["enabled"]


def test_ingestion_follows_the_environment():
    envs = load_all()
    assert (
        report.Environment.from_config("prod", envs["prod"]).ingestion_enabled is False
    )
    assert report.Environment.from_config("dev", envs["dev"]).ingestion_enabled is True
