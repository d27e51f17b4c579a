"""Job arguments (names from the contract's JSON export) and the typed run configuration."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from clickstream_etl.contract import OPTIONAL_ARGS, REQUIRED_ARGS
from clickstream_etl.privacy import DEFAULT_IP_MODE, check_ip_mode

__all__ = ["OPTIONAL_ARGS", "REQUIRED_ARGS", "JobConfig", "parse_instant"]


@dataclass(frozen=True)
class JobConfig:
    raw_path: str
    # The curated zone's root: each contract table lives under its prefix (contract.Table.path).
    curated_path: str
    reports_path: str
    state_path: str
    session_timeout_minutes: int
    # The IANA zone of every date, local hour and weekday written (localtime.py).
    reporting_time_zone: str
    # None means "the run start"; set it for tests and backfills.
    reference_time: datetime | None = None
    # privacy.ip: how the IP addresses in quarantined raw lines are kept.
    ip_mode: str = DEFAULT_IP_MODE
    # privacy.curatedRetentionDays: None keeps events and sessions until erased.
    curated_retention_days: int | None = None

    @classmethod
    def from_args(cls, args: dict[str, str]) -> JobConfig:
        """Builds the config from job arguments (strings, as Glue passes them); validates them."""
        missing = [name for name in REQUIRED_ARGS if not args.get(name)]
        if missing:
            raise ValueError(f"missing job arguments: {', '.join(missing)}")
        text = args["session_timeout_minutes"]
        try:
            timeout = int(text)
        except ValueError:
            raise ValueError(f"session_timeout_minutes: got {text!r}, must be a whole number of minutes") from None
        if timeout <= 0:
            raise ValueError(f"session_timeout_minutes: got {timeout}, must be a positive number of minutes")
        zone = args["reporting_time_zone"]
        if zone != zone.strip():
            raise ValueError(
                f"reporting_time_zone: got {zone!r}, must be a time zone name without spaces such as Asia/Seoul"
            )
        reference = args.get("reference_time")
        retention = args.get("curated_retention_days")
        return cls(
            raw_path=args["raw_path"],
            curated_path=args["curated_path"],
            reports_path=args["reports_path"],
            state_path=args["state_path"],
            session_timeout_minutes=timeout,
            reporting_time_zone=zone,
            reference_time=parse_instant(reference) if reference else None,
            ip_mode=check_ip_mode(args.get("ip_mode") or DEFAULT_IP_MODE),
            curated_retention_days=_positive_days("curated_retention_days", retention) if retention else None,
        )


def _positive_days(name: str, text: str) -> int:
    try:
        days = int(text)
    except ValueError:
        raise ValueError(f"{name}: got {text!r}, must be a whole number of days") from None
    if days <= 0:
        raise ValueError(f"{name}: got {days}, must be a positive number of days")
    return days


def parse_instant(text: str) -> datetime:
    """An ISO-8601 instant; a value without offset is taken as UTC. Returned in UTC."""
    value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC)
