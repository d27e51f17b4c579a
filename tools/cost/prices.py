"""The one source of money: prices.json (dated, one region), read through a PriceBook that
records which entries a calculation used, so tests can prove that every figure in the output
comes from that file and that the file holds nothing unused."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

PRICES_FILE = Path(__file__).resolve().parent / "prices.json"
SECTIONS = ("prices", "rules", "published")


class UnknownPrice(KeyError):
    """A formula asked for an entry prices.json does not have."""


@dataclass
class PriceBook:
    as_of: str
    region: str
    currency: str
    entries: dict[str, dict]  # "<section>:<key>" -> entry
    used: set[str] = field(default_factory=set)

    @classmethod
    def load(cls, path: Path = PRICES_FILE) -> PriceBook:
        data = json.loads(path.read_text(encoding="utf-8"))
        entries = {}
        for section in SECTIONS:
            for key, entry in data[section].items():
                number = entry["price" if section == "prices" else "value"]
                if not isinstance(number, int | float) or number < 0:
                    raise ValueError(
                        f"{path.name}: {section}.{key}: got {number!r}, must be a number ≥ 0"
                    )
                if not entry.get("unit") or not entry.get("source"):
                    raise ValueError(
                        f"{path.name}: {section}.{key}: needs a unit and a source"
                    )
                entries[f"{section}:{key}"] = entry
        return cls(data["as_of"], data["region"], data["currency"], entries)

    def _get(self, section: str, key: str) -> dict:
        name = f"{section}:{key}"
        if name not in self.entries:
            raise UnknownPrice(f"{section}.{key} is not in prices.json")
        self.used.add(name)
        return self.entries[name]

    def price(self, key: str) -> float:
        """USD per unit of a priced item."""
        return float(self._get("prices", key)["price"])

    def unit(self, key: str) -> str:
        return self._get("prices", key)["unit"]

    def rule(self, key: str) -> float:
        """A billing quantity that goes with the prices (a minimum, a rounding, a unit size)."""
        return float(self._get("rules", key)["value"])

    def published(self, key: str) -> float:
        """A figure another product publishes, for the comparison line."""
        return float(self._get("published", key)["value"])
