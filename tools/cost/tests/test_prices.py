"""Money comes only from prices.json: every formula looks prices up there, nothing in the
formulas module can be a price, and the file holds nothing the model does not use."""

from __future__ import annotations

import ast
import dataclasses
import json
from pathlib import Path

import pytest
from conftest import every_branch
from cost import model, report
from cost.prices import PRICES_FILE, PriceBook, UnknownPrice

MODEL_SOURCE = Path(model.__file__)


def test_every_entry_of_prices_json_is_used(scenario):
    prices = PriceBook.load()
    for s in every_branch(scenario):
        model.bill(dataclasses.replace(s, prices=prices))
    report.comparison(dataclasses.replace(scenario, prices=prices))
    assert set(prices.entries) - prices.used == set(), "entries no formula uses"


def test_every_entry_has_a_unit_a_source_and_a_number():
    data = json.loads(PRICES_FILE.read_text(encoding="utf-8"))
    assert data["as_of"] and data["region"] and data["currency"] == "USD"
    for section in ("prices", "rules", "published"):
        for key, entry in data[section].items():
            assert entry["unit"] and entry["source"], key
            assert entry["price" if section == "prices" else "value"] >= 0, key


def test_the_formulas_module_holds_no_price():
    """Only the integers 0, 1 and 2 may appear as numbers in model.py: a price, a minimum or a
    rounding step typed into a formula fails here and belongs in prices.json."""
    tree = ast.parse(MODEL_SOURCE.read_text(encoding="utf-8"))
    literals = [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and type(node.value) in (int, float)
        and node.value not in (0, 1, 2)
    ]
    floats = [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and type(node.value) is float
    ]
    assert literals == [] and floats == []


def test_an_unknown_price_is_an_error(prices):
    with pytest.raises(UnknownPrice, match="prices.nope is not in prices.json"):
        prices.price("nope")


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"unit": "GB", "price": -1, "source": "x"}, "got -1, must be a number ≥ 0"),
        (
            {"unit": "GB", "price": "0.1", "source": "x"},
            "got '0.1', must be a number ≥ 0",
        ),
        ({"unit": "GB", "price": 0.1}, "needs a unit and a source"),
    ],
)
def test_a_malformed_entry_names_itself(tmp_path, entry, message):
    data = json.loads(PRICES_FILE.read_text(encoding="utf-8"))
    data["prices"]["s3.standard.storage"] = entry
    path = tmp_path / "prices.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ValueError, match=f"prices.s3.standard.storage: {message}"):
        PriceBook.load(path)
