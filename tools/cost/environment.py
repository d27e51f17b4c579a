"""One environment's configuration as the CDK app sees it: parsed, defaulted and validated by
config.Parse in Go (`go run ./cmd/envconfig`), so no default is retyped here."""

from __future__ import annotations

import json
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


class ConfigError(ValueError):
    pass


def load_all(cdk_json: Path = ROOT / "cdk.json") -> dict[str, dict]:
    """{name: environment as JSON} from cdk.json, through config.Parse."""
    result = subprocess.run(
        [
            os.environ.get("GO", "go"),
            "run",
            "./cmd/envconfig",
            "-cdk-json",
            str(cdk_json),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        raise ConfigError(
            result.stderr.strip() or f"go run ./cmd/envconfig: exit {result.returncode}"
        )
    return json.loads(result.stdout)


@dataclass(frozen=True)
class Environment:
    """The fields of an environment that change its bill, with where each came from."""

    name: str
    region: str
    raw_ia_days: int
    raw_glacier_days: int
    results_retention_days: int
    glue_schedule: str
    glue_max_workers: int
    glue_flex: bool
    alarm_email: bool
    quicksight_enabled: bool
    quicksight_import_mode: str
    ingestion_enabled: bool

    @classmethod
    def from_config(cls, name: str, cfg: dict) -> Environment:
        return cls(
            name=name,
            region=cfg["region"],
            raw_ia_days=cfg["storage"]["rawInfrequentAccessDays"],
            raw_glacier_days=cfg["storage"]["rawGlacierDays"],
            results_retention_days=cfg["storage"]["athenaResultsRetentionDays"],
            glue_schedule=cfg["glue"]["schedule"],
            glue_max_workers=cfg["glue"]["maxWorkers"],
            glue_flex=cfg["glue"]["flexExecution"],
            alarm_email=bool(cfg["alarms"]["email"]),
            quicksight_enabled=cfg["quicksight"]["enabled"],
            quicksight_import_mode=cfg["quicksight"]["importMode"],
            ingestion_enabled=cfg["ingestion"]["enabled"],
        )

    def settings(self) -> list[tuple[str, object]]:
        """(cdk.json field, value) of everything the formulas read."""
        return [
            ("storage.rawInfrequentAccessDays", self.raw_ia_days),
            ("storage.rawGlacierDays", self.raw_glacier_days),
            ("storage.athenaResultsRetentionDays", self.results_retention_days),
            ("glue.schedule", self.glue_schedule),
            ("glue.maxWorkers", self.glue_max_workers),
            ("glue.flexExecution", self.glue_flex),
            ("alarms.email", "set" if self.alarm_email else "none"),
            ("quicksight.enabled", self.quicksight_enabled),
            ("quicksight.importMode", self.quicksight_import_mode),
            ("ingestion.enabled", self.ingestion_enabled),
        ]
