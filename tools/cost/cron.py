"""How often a Glue cron expression fires: the workflow's schedule (`glue.schedule`), which
`internal/gluecron` has already validated at synth.

Glue cron: `cron(Minutes Hours Day-of-month Month Day-of-week Year)`, one of day-of-month and
day-of-week `?`; day-of-week 1-7 is SUN-SAT. Counted over a calendar year: the first year the
year field allows, from REFERENCE_YEAR on (a common year, so a month is 365/12 days).
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

REFERENCE_YEAR = 2027
MONTHS = {m.upper(): i for i, m in enumerate(calendar.month_abbr) if m}
WEEKDAYS = {"SUN": 1, "MON": 2, "TUE": 3, "WED": 4, "THU": 5, "FRI": 6, "SAT": 7}
WRAPPER = re.compile(r"^cron\((.*)\)$")


class CronError(ValueError):
    pass


def _value(token: str, names: dict[str, int]) -> int:
    token = token.upper()
    if token in names:
        return names[token]
    if not token.isdigit():
        raise CronError(f"{token!r} is not a number or a name")
    return int(token)


def _values(
    field: str, low: int, high: int, names: dict[str, int] | None = None
) -> set[int]:
    """The values a field allows: `*`, `a`, `a-b`, `*/n`, `a/n`, `a-b/n`, comma lists."""
    names = names or {}
    out: set[int] = set()
    for item in field.split(","):
        body, _, step = item.partition("/")
        if body == "*":
            first, last = low, high
        elif "-" in body:
            a, b = body.split("-", 1)
            first, last = _value(a, names), _value(b, names)
        else:
            first = _value(body, names)
            last = high if step else first
        out.update(range(first, last + 1, int(step) if step else 1))
    return out


def _weekday(day: date) -> int:
    """Glue's day-of-week number: SUN=1 … SAT=7."""
    return day.isoweekday() % 7 + 1


def _nearest_weekday(year: int, month: int, dom: int) -> int:
    last = calendar.monthrange(year, month)[1]
    day = date(year, month, min(dom, last))
    if day.weekday() == 5:  # Saturday: Friday, or Monday when the 1st is a Saturday
        return day.day - 1 if day.day > 1 else day.day + 2
    if day.weekday() == 6:  # Sunday: Monday, or Friday at the month's end
        return day.day + 1 if day.day < last else day.day - 2
    return day.day


def _day_matches(day: date, dom: str, dow: str) -> bool:
    last = calendar.monthrange(day.year, day.month)[1]
    if dow == "?":
        if dom == "L":
            return day.day == last
        if dom == "LW":
            return day.day == _nearest_weekday(day.year, day.month, last)
        if dom.endswith("W"):
            return day.day == _nearest_weekday(day.year, day.month, int(dom[:-1]))
        return day.day in _values(dom, 1, 31)
    weekday = _weekday(day)
    if "#" in dow:
        wanted, nth = dow.split("#")
        return weekday == _value(wanted, WEEKDAYS) and (day.day - 1) // 7 + 1 == int(
            nth
        )
    if dow.upper().endswith("L") and dow.upper() not in WEEKDAYS:
        return weekday == _value(dow[:-1], WEEKDAYS) and day.day + 7 > last
    return weekday in _values(dow, 1, 7, WEEKDAYS)


def runs_per_year(expr: str) -> int:
    """Times the expression fires in the first year its year field allows (from REFERENCE_YEAR)."""
    match = WRAPPER.match(expr.strip())
    parts = match.group(1).split() if match else []
    if len(parts) != 6:
        raise CronError(
            f'got {expr!r}, must be a Glue cron expression such as "cron(0 2 * * ? *)"'
        )
    minutes, hours, dom, months, dow, years = parts
    if (dom == "?") == (dow == "?"):
        raise CronError(
            f'got {expr!r}: exactly one of day-of-month and day-of-week must be "?"'
        )
    allowed_years = sorted(y for y in _values(years, 1970, 2199) if y >= REFERENCE_YEAR)
    if not allowed_years:
        return 0
    year = allowed_years[0]
    per_day = len(_values(minutes, 0, 59)) * len(_values(hours, 0, 23))
    allowed_months = _values(months, 1, 12, MONTHS)
    day, days = date(year, 1, 1), 0
    while day.year == year:
        if day.month in allowed_months and _day_matches(day, dom, dow):
            days += 1
        day += timedelta(days=1)
    return days * per_day
