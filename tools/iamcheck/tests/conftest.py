"""One loaded Service Authorization Reference for every test (the bundled JSON is 14 MB)."""

from __future__ import annotations

import pytest

from iamcheck.reference import Reference


@pytest.fixture(scope="session")
def reference() -> Reference:
    return Reference()
