"""Runs a year of Glue cron expressions, counted by hand for 2027 (a common year that starts
on a Friday: 261 weekdays, 52 Mondays)."""

import pytest
from cost.cron import CronError, runs_per_year


@pytest.mark.parametrize(
    ("expr", "runs"),
    [
        ("cron(0 2 * * ? *)", 365),  # the default: daily at 02:00
        ("cron(0 * * * ? *)", 365 * 24),
        ("cron(0/15 * * * ? *)", 365 * 24 * 4),
        ("cron(5,35 14 * * ? *)", 365 * 2),
        ("cron(0 6-18/6 * * ? *)", 365 * 3),  # 06, 12, 18
        ("cron(0 18 ? * MON-FRI *)", 261),
        ("cron(0 3 ? * 2 *)", 52),  # Mondays
        ("cron(0 8 1 * ? *)", 12),
        ("cron(0 8 1 JAN,JUL ? *)", 2),
        ("cron(0 0 L * ? *)", 12),
        ("cron(0 0 LW * ? *)", 12),
        ("cron(0 9 15W * ? *)", 12),
        ("cron(0 3 ? * 2#1 *)", 12),  # first Monday of each month
        ("cron(0 10 ? * 6L 2026-2030)", 12),  # last Friday of each month
        ("cron(0 2 * * ? 2020)", 0),  # only in the past
    ],
)
def test_runs_per_year(expr, runs):
    assert runs_per_year(expr) == runs


def test_the_nearest_weekday_never_leaves_the_month():
    # 2027-05-01 is a Saturday: 1W is Monday the 3rd (not April 30), once a month all year
    assert runs_per_year("cron(0 9 1W * ? *)") == 12


@pytest.mark.parametrize(
    ("expr", "message"),
    [
        ("rate(1 day)", "must be a Glue cron expression"),
        ("cron(0 2 * * *)", "must be a Glue cron expression"),
        ("cron(0 2 * * * *)", "exactly one of day-of-month and day-of-week"),
        ("cron(0 2 ? * FUN *)", "'FUN' is not a number or a name"),
    ],
)
def test_invalid_expressions_say_why(expr, message):
    with pytest.raises(CronError, match=message):
        runs_per_year(expr)
