"""Shared fixtures: a private copy of the shipped package that a test may corrupt, and the
synthetic corpus its rows are anchored in (tests.helpers.corpus). The helpers themselves
are the package tests.helpers."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import Pkg, copy_package
from tests.helpers.corpus import synthetic


@pytest.fixture
def pkg(tmp_path) -> Pkg:
    """A copy of the shipped package whose sources record the synthetic articles' sha256."""
    return Pkg(copy_package(tmp_path / "pkg", synthetic().package))


@pytest.fixture
def corpus() -> Path:
    """The synthetic corpus of the shipped package (read-only: copy it to change it)."""
    return synthetic().corpus


@pytest.fixture
def shipped() -> Path:
    """The shipped package as :func:`corpus` matches it (read-only: copy it to change it)."""
    return synthetic().package
