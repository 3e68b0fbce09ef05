"""Shared pytest options: `--regen` rewrites the golden files instead of comparing with them."""

from __future__ import annotations

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--regen",
        action="store_true",
        default=False,
        help="rewrite the golden files (tests/cases/**) from the current output; review the diff",
    )


@pytest.fixture
def regen(request: pytest.FixtureRequest) -> bool:
    """True when the run should rewrite golden files rather than compare with them."""
    return bool(request.config.getoption("--regen"))
