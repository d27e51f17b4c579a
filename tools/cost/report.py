"""`make cost ENV=<name> EVENTS_PER_DAY=<n>`: the monthly bill of one environment, per
component and line item, with every input and its source, totals at other volumes, the
comparison with Clickstream Analytics on AWS's published figure and the input that moves the
total most. The last line is `total_usd_per_month=<number>` (month MONTHS) for scripts (with
--all, the last line of each environment's block).

    python -m cost --env prod --events-per-day 10M [--months 12] [--dashboard-views-per-day 50]
        [--authors 0 --readers 0] [--force-ingestion] [--set name=value ...]
    python -m cost --all --events-per-day 10M     # every environment of cdk.json
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import re
import sys
from pathlib import Path

from . import model
from .environment import ConfigError, Environment, load_all
from .figures import FIGURES_FILE, Figures, load
from .prices import PRICES_FILE, PriceBook
from .units import SECONDS_PER_DAY

INVENTORY_FILE = Path(__file__).resolve().parent / "inventory.json"


def load_inventory() -> dict:
    """inventory.json plus the number of curated tables, counted in the contract (their one list)."""
    from clickstream_etl import contract

    inventory = json.loads(INVENTORY_FILE.read_text(encoding="utf-8"))
    return inventory | {"curated_tables": len(contract.TABLES)}


VOLUMES = (1_000_000, 10_000_000, 100_000_000)
SENSITIVITY_STEP = 0.1
SUFFIXES = {"": 1, "K": 10**3, "M": 10**6, "G": 10**9, "B": 10**9}


class InputError(ValueError):
    """A bad command-line input; the message names it and says what is allowed."""


def parse_count(name: str, text: str) -> float:
    """10000000, 10_000_000, 1e7, 10M, 2.5K."""
    m = re.fullmatch(
        r"\s*([0-9][0-9_]*(?:\.[0-9]+)?(?:[eE][0-9]+)?)\s*([KMGBkmgb]?)\s*", str(text)
    )
    if not m:
        raise InputError(
            f"{name}: got {text!r}, must be a number ≥ 0 such as 10000000, 1e7 or 10M"
        )
    return float(m.group(1).replace("_", "")) * SUFFIXES[m.group(2).upper()]


def apply_overrides(figures: Figures, pairs: list[str]) -> Figures:
    """`name=value` for an assumption or a derived per-event figure (what-if runs)."""
    scalars = {
        f.name for f in dataclasses.fields(Figures) if f.type in ("float", float)
    }
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep:
            raise InputError(f"SET: got {pair!r}, must be name=value")
        if name in figures.assumptions:
            current = figures.assumptions[name]
            parsed = (
                value.lower() in ("1", "true", "yes")
                if isinstance(current, bool)
                else parse_count(name, value)
            )
            figures = dataclasses.replace(
                figures, assumptions={**figures.assumptions, name: parsed}
            )
        elif name in scalars:
            figures = dataclasses.replace(figures, **{name: parse_count(name, value)})
        else:
            allowed = ", ".join(sorted(scalars | set(figures.assumptions)))
            raise InputError(f"SET: unknown name {name!r}, allowed: {allowed}")
    return figures


def scaled(figures: Figures, name: str, factor: float) -> Figures:
    """The figures with one input multiplied (a dict input: all its values)."""
    if name in figures.assumptions:
        return dataclasses.replace(
            figures,
            assumptions={
                **figures.assumptions,
                name: figures.assumptions[name] * factor,
            },
        )
    value = getattr(figures, name)
    if isinstance(value, dict):
        return dataclasses.replace(
            figures, **{name: {k: v * factor for k, v in value.items()}}
        )
    return dataclasses.replace(figures, **{name: value * factor})


def sensitive_inputs(figures: Figures) -> list[str]:
    fields = [
        f.name
        for f in dataclasses.fields(Figures)
        if f.name not in ("assumptions", "sources")
    ]
    numeric = [k for k, v in figures.assumptions.items() if not isinstance(v, bool)]
    return ["events_per_day", *fields, *numeric]


def sensitivity(base: model.Scenario) -> list[tuple[str, float]]:
    """(input, % change of the total when the input grows by SENSITIVITY_STEP), largest first."""
    total = model.total(model.bill(base))
    out = []
    for name in sensitive_inputs(base.figures):
        if name == "events_per_day":
            s = dataclasses.replace(
                base, events_per_day=base.events_per_day * (1 + SENSITIVITY_STEP)
            )
        else:
            s = dataclasses.replace(
                base, figures=scaled(base.figures, name, 1 + SENSITIVITY_STEP)
            )
        out.append(
            (name, (model.total(model.bill(s)) - total) / total * 100 if total else 0)
        )
    return sorted(out, key=lambda x: -abs(x[1]))


def number(value: float) -> str:
    """A figure for the inputs table: whole numbers with separators, others to 4 digits."""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.4g}"


def money(usd: float) -> str:
    return f"${usd:,.2f}" if usd >= 0.01 or usd == 0 else f"${usd:.4f}"


def quantity(q: float) -> str:
    return f"{q:,.0f}" if q >= 100 else f"{q:,.4g}"


def by_component(lines: list[model.Line]) -> dict[str, float]:
    out: dict[str, float] = {}
    for line in lines:
        out[line.component] = out.get(line.component, 0) + line.usd
    return out


def comparison(base: model.Scenario) -> list[str]:
    """This stack vs Clickstream Analytics on AWS at the volume of its published 10 RPS tier."""
    p = base.prices
    rps = p.published("clickstream_analytics_on_aws.requests_per_second")
    per_request = p.published("clickstream_analytics_on_aws.events_per_request")
    ingestion = p.published("clickstream_analytics_on_aws.ingestion_usd_month")
    processing = p.published("clickstream_analytics_on_aws.processing_usd_month")
    events = rps * per_request * SECONDS_PER_DAY
    figures = dataclasses.replace(
        base.figures,
        assumptions={
            **base.figures.assumptions,
            "ingestion_events_per_request": per_request,
        },
    )
    same = dataclasses.replace(
        base, events_per_day=events, force_ingestion=True, figures=figures
    )
    parts = by_component(model.bill(same))
    ours = parts.get("Ingestion", 0) + parts.get("Glue", 0)
    theirs = (
        f"Clickstream Analytics on AWS publishes {money(ingestion + processing)}/month at {rps:g} requests/s "
        f"({events:,.0f} events/day at {per_request:g} events/request): ingestion {money(ingestion)} "
        f"(ALB + Fargate, straight to S3) + processing {money(processing)} (EMR Serverless, hourly)."
    )
    this = (
        f"This stack at the same volume and events/request, month {base.month}: ingestion "
        f"{money(parts.get('Ingestion', 0))} (Lambda + Firehose) + processing {money(parts.get('Glue', 0))} "
        f"(Glue, {base.env.glue_schedule}) = {money(ours)}; everything included {money(sum(parts.values()))}."
    )
    return [theirs, this]


def render(
    env: Environment, scenario: model.Scenario, months: int, quick: bool = False
) -> tuple[str, float]:
    """The report of one environment and its month-`months` total."""
    p, f = scenario.prices, scenario.figures
    last = model.bill(scenario)
    first = model.bill(dataclasses.replace(scenario, month=1))
    total = model.total(last)
    out = [
        (
            f"make cost: environment {env.name}, {scenario.events_per_day:,.0f} events/day, month {months} "
            f"of data (prices: {p.region}, as of {p.as_of}, {p.currency})"
        )
    ]
    if env.region and env.region != p.region:
        out.append(
            f"note: the environment deploys to {env.region}; prices.json holds {p.region} prices"
        )
    out += ["", "Inputs"]
    groups = [
        (
            "command line",
            [
                (
                    "EVENTS_PER_DAY",
                    f"{scenario.events_per_day:,.0f}",
                    "raw events received a day",
                ),
                (
                    "MONTHS",
                    str(months),
                    "the month costed: storage and scans grow with the data kept",
                ),
                (
                    "QUICKSIGHT_AUTHORS / READERS",
                    f"{scenario.quicksight_authors} / {scenario.quicksight_readers}",
                    "seats",
                ),
                (
                    "DASHBOARD_VIEWS_PER_DAY",
                    f"{scenario.dashboard_views_per_day:g}",
                    "priced only with importMode DIRECT_QUERY",
                ),
                (
                    "FORCE_INGESTION",
                    str(scenario.force_ingestion),
                    "price the collector even where ingestion is not enabled",
                ),
            ],
        ),
        (
            f"cdk.json environments.{env.name}, defaults applied by config.Parse (go run ./cmd/envconfig)",
            [(name, str(value), "") for name, value in env.settings()]
            + [
                (
                    "= runs a month",
                    f"{scenario.runs_per_month:.1f}",
                    "of the ETL and the crawler, glue.schedule over a year",
                )
            ],
        ),
    ]
    derived = {
        "raw_json_bytes_per_event": f.raw_json_bytes_per_event,
        "raw_gzip_bytes_per_event": f.raw_gzip_bytes_per_event,
        "curated_bytes_per_event": f.curated_bytes_per_event,
        "curated_events_per_raw_event": f.curated_events_per_raw_event,
        "etl_raw_events_per_core_second": f.etl_raw_events_per_core_second,
        "dedup_scan_bytes_per_curated_event": f.dedup_scan_bytes_per_curated_event,
        "query_scan_bytes_per_event": f.query_scan_bytes_per_event,
        "dataset_scan_bytes_per_event": f.dataset_scan_bytes_per_event,
        "dataset_spice_bytes_per_event": f.dataset_spice_bytes_per_event,
    }
    for source in dict.fromkeys(f.sources[name] for name in derived):
        rows = []
        for name, value in derived.items():
            if f.sources[name] != source:
                continue
            if isinstance(value, dict):
                rows += [(f"{name}[{k}]", number(v), "") for k, v in value.items()] or [
                    (name, "none", "")
                ]
            else:
                rows.append((name, number(value), ""))
        groups.append((source, rows))
    groups.append(
        (
            'assumptions (tools/cost/figures.json; SET="name=value" overrides)',
            [
                (
                    name,
                    str(value) if isinstance(value, bool) else number(value),
                    f.sources[name].removeprefix("assumption: "),
                )
                for name, value in f.assumptions.items()
            ],
        )
    )
    width = max(len(r[0]) for _, rows in groups for r in rows)
    for title, rows in groups:
        out.append(f"  {title}:")
        out += [
            f"    {name:<{width}}  {value:>20}  {note}".rstrip()
            for name, value, note in rows
        ]

    out += ["", f"Cost per month (month 1 and month {months})", ""]
    head = f"  {'component':<11} {'item':<46} {'quantity':>14} {'unit':<16} {'unit price':>12} {'month 1':>10} {f'month {months}':>10}"
    out.append(head)
    first_usd = {(line.component, line.item): line.usd for line in first}
    components = by_component(last)
    first_components = by_component(first)
    for component in components:
        for line in last:
            if line.component != component or not (
                line.usd or first_usd.get((line.component, line.item))
            ):
                continue
            out.append(
                f"  {line.component:<11} {line.item[:46]:<46} {quantity(line.quantity):>14} {line.unit:<16} "
                f"{p.price(line.price_key):>12.6g} {money(first_usd.get((line.component, line.item), 0)):>10} {money(line.usd):>10}"
            )
        out.append(
            f"  {component:<11} {'subtotal':<46} {'':>14} {'':<16} {'':>12} {money(first_components[component]):>10} {money(components[component]):>10}"
        )
    out.append(
        f"  {'total':<11} {'':<46} {'':>14} {'':<16} {'':>12} {money(model.total(first)):>10} {money(total):>10}"
    )
    largest = max(components, key=components.get)
    share = components[largest] / total * 100 if total else 0
    out.append(f"  largest component: {largest}, {share:.0f} % of the total")
    if not quick:
        out += ["", f"Totals at other volumes (month {months})"]
        out.append(
            "  "
            + " · ".join(
                f"{v / 1e6:g} M events/day {money(model.total(model.bill(dataclasses.replace(scenario, events_per_day=v))))}"
                for v in VOLUMES
            )
        )
        out += ["", "Comparison"] + [f"  {line}" for line in comparison(scenario)]
        top = sensitivity(scenario)[:3]
        out += ["", f"Sensitivity: each input +{SENSITIVITY_STEP:.0%}, the total moves"]
        out += [f"  {name}: {change:+.1f} %" for name, change in top]
        out.append(f"  → {top[0][0]} moves the total most.")
    return "\n".join(out), total


def scenario_for(
    env: Environment,
    args: argparse.Namespace,
    figures: Figures,
    prices: PriceBook,
    inventory: dict,
) -> model.Scenario:
    views = args.dashboard_views_per_day
    return model.Scenario(
        env=env,
        figures=figures,
        inventory=inventory,
        prices=prices,
        events_per_day=args.events_per_day,
        month=args.months,
        dashboard_views_per_day=figures.assumptions["dashboard_views_per_day"]
        if views is None
        else views,
        quicksight_authors=args.authors,
        quicksight_readers=args.readers,
        force_ingestion=args.force_ingestion,
    )


def _non_negative_int(name: str):
    def parse(text: str) -> int:
        value = parse_count(name, text)
        if value != int(value):
            raise argparse.ArgumentTypeError(
                f"{name}: got {text!r}, must be a whole number ≥ 0"
            )
        return int(value)

    return parse


def _count(name: str):
    def parse(text: str) -> float:
        try:
            return parse_count(name, text)
        except InputError as e:
            raise argparse.ArgumentTypeError(str(e)) from None

    return parse


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        prog="make cost",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--env", help="an environment of cdk.json")
    which.add_argument(
        "--all", action="store_true", help="every environment of cdk.json"
    )
    p.add_argument("--events-per-day", type=_count("EVENTS_PER_DAY"), required=True)
    p.add_argument("--months", type=_non_negative_int("MONTHS"), default=12)
    p.add_argument("--dashboard-views-per-day", type=_count("DASHBOARD_VIEWS_PER_DAY"))
    p.add_argument("--authors", type=_non_negative_int("QUICKSIGHT_AUTHORS"), default=0)
    p.add_argument("--readers", type=_non_negative_int("QUICKSIGHT_READERS"), default=0)
    p.add_argument(
        "--force-ingestion",
        action="store_true",
        help="price the collector where ingestion is not enabled",
    )
    p.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="override an assumption or figure",
    )
    p.add_argument("--cdk-json", type=Path, default=None)
    p.add_argument("--figures", type=Path, default=FIGURES_FILE)
    p.add_argument("--prices", type=Path, default=PRICES_FILE)
    p.add_argument(
        "--quick",
        action="store_true",
        help="skip other volumes, comparison and sensitivity",
    )
    args = p.parse_args(argv)
    if args.months < 1:
        p.error(f"MONTHS: got {args.months}, must be at least 1")
    try:
        figures = apply_overrides(load(args.figures), args.set)
        envs = load_all(args.cdk_json) if args.cdk_json else load_all()
    except (InputError, ConfigError) as e:
        print(f"make cost: {e}", file=sys.stderr)
        return 2
    if args.env and args.env not in envs:
        print(
            f"make cost: ENV: got {args.env!r}, must be one of {', '.join(sorted(envs))}",
            file=sys.stderr,
        )
        return 2
    prices = PriceBook.load(args.prices)
    inventory = load_inventory()
    names = sorted(envs) if args.all else [args.env]
    for i, name in enumerate(names):
        env = Environment.from_config(name, envs[name])
        text, total = render(
            env,
            scenario_for(env, args, figures, prices, inventory),
            args.months,
            args.quick,
        )
        print(("\n" if i else "") + text)
        print(f"total_usd_per_month={total:.2f}")
    return 0
