"""Job arguments (names from contract/jobargs.go) and the typed run configuration."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

# Exactly the names of contract.JobArgumentNames() / OptionalJobArgumentNames(); the tests
# compare these tuples with `go run ./cmd/contract`.
REQUIRED_ARGS = (
    "raw_path",
    "events_path",
    "sessions_path",
    "quarantine_path",
    "daily_traffic_path",
    "daily_pages_path",
    "daily_journeys_path",
    "reports_path",
    "state_path",
    "database_name",
    "events_table",
    "sessions_table",
    "quarantine_table",
    "daily_traffic_table",
    "daily_pages_table",
    "daily_journeys_table",
    "session_timeout_minutes",
)
OPTIONAL_ARGS = ("reference_time",)
# The tables the job writes: each has a <name>_path and a <name>_table argument.
TABLES = tuple(name.removesuffix("_table") for name in REQUIRED_ARGS if name.endswith("_table"))


@dataclass(frozen=True)
class JobConfig:
    raw_path: str
    events_path: str
    sessions_path: str
    quarantine_path: str
    daily_traffic_path: str
    daily_pages_path: str
    daily_journeys_path: str
    reports_path: str
    state_path: str
    database_name: str
    events_table: str
    sessions_table: str
    quarantine_table: str
    daily_traffic_table: str
    daily_pages_table: str
    daily_journeys_table: str
    session_timeout_minutes: int
    # None means "the run start"; set it for tests and backfills.
    reference_time: datetime | None = None

    @classmethod
    def from_args(cls, args: dict[str, str]) -> JobConfig:
        """Builds the config from job arguments (strings, as Glue passes them); validates them."""
        missing = [name for name in REQUIRED_ARGS if not args.get(name)]
        if missing:
            raise ValueError(f"missing job arguments: {', '.join(missing)}")
        timeout = int(args["session_timeout_minutes"])
        if timeout <= 0:
            raise ValueError(f"session_timeout_minutes: got {timeout}, must be a positive number of minutes")
        reference = args.get("reference_time")
        return cls(
            **{name: args[name] for name in REQUIRED_ARGS if name != "session_timeout_minutes"},
            session_timeout_minutes=timeout,
            reference_time=parse_instant(reference) if reference else None,
        )


def parse_instant(text: str) -> datetime:
    """An ISO-8601 instant; a value without offset is taken as UTC. Returned in UTC."""
    value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC)
