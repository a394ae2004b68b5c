"""One precision rule: every number the formatting layer writes has at most three significant figures."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from model.formatting import format_bbl, format_count, format_quantity, format_usd, significant

UNITS = ["USD/yr", "USD", "fraction", "bbl/yr", "bbl", "x", "workers", "index", "containers/yr"]
NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


def significant_figures(text: str) -> int:
    """Significant figures of the number in ``text`` (trailing zeros of a whole number do not count)."""
    digits = NUMBER.search(text).group(0).replace(",", "")
    whole, _, decimals = digits.partition(".")
    if decimals:
        return len((whole + decimals).lstrip("0"))
    return len(whole.lstrip("0").rstrip("0")) or 1


@given(
    value=st.floats(min_value=-1e12, max_value=1e12, allow_nan=False),
    unit=st.sampled_from(UNITS),
    difference=st.booleans(),
)
def test_no_number_has_more_than_three_significant_figures(value, unit, difference):
    text = format_quantity(value, unit, difference)
    assert significant_figures(text) <= 3, text


@given(st.floats(min_value=-1e12, max_value=1e12, allow_nan=False))
def test_the_other_formatters_follow_the_rule(value):
    for text in (format_usd(value), format_bbl(value), format_count(value), significant(value)):
        assert significant_figures(text) <= 3, text


@pytest.mark.parametrize(
    ("value", "unit", "difference", "shown"),
    [
        (7.0116e8, "USD/yr", False, "$701 m"),
        (-2.17e6, "USD/yr", True, "−$2.17 m"),
        (8.8509e8, "USD/yr", True, "+$885 m"),
        (9.996e8, "USD/yr", False, "$1.00 bn"),  # the unit is chosen after rounding
        (4500, "USD", False, "$4,500"),
        (0.4567, "fraction", False, "45.7%"),
        (0.99996, "fraction", False, "100%"),
        (0.0, "fraction", True, "0 pp"),
        (1e-9, "USD/yr", True, "$0"),  # a change that rounds to nothing has no sign
        (73_400, "bbl", False, "73,000 bbl"),
        (12_345, "workers", False, "12,300 workers"),
    ],
)
def test_worked_examples(value, unit, difference, shown):
    assert format_quantity(value, unit, difference) == shown


def test_the_rule_bites():
    assert significant_figures("$701.16 m") == 5 and significant_figures("12,345") == 5
