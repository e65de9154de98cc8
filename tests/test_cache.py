"""The verdict cache returns what computing returns, and never a broken or foreign entry."""

from __future__ import annotations

import json

import pytest

from natodata import cache
from natodata.checks import descriptor


def test_a_cached_verdict_is_the_computed_one(tmp_path, monkeypatch):
    monkeypatch.setenv("NATODATA_CACHE_DIR", str(tmp_path))
    calls = []

    def compute():
        calls.append(1)
        return ["one", "two"]

    assert cache.cached_strings("ns", "text", compute) == ["one", "two"]
    assert cache.cached_strings("ns", "text", compute) == ["one", "two"]
    assert len(calls) == 1
    assert cache.cached_strings("other", "text", compute) == ["one", "two"] and len(calls) == 2


def test_a_damaged_entry_is_computed_again(tmp_path, monkeypatch):
    monkeypatch.setenv("NATODATA_CACHE_DIR", str(tmp_path))
    cache.cached_strings("ns", "text", lambda: ["x"])
    (entry,) = tmp_path.rglob("*.json")
    for damage in ["{", json.dumps({"namespace": "ns", "value": [1]}), json.dumps({"namespace": "elsewhere", "value": ["y"]})]:
        entry.write_text(damage)
        assert cache.cached_strings("ns", "text", lambda: ["x"]) == ["x"]


def test_no_cache_and_unwritable_caches_compute(tmp_path, monkeypatch):
    monkeypatch.setenv("NATODATA_NO_CACHE", "1")
    monkeypatch.setenv("NATODATA_CACHE_DIR", str(tmp_path))
    assert cache.cached_strings("ns", "text", lambda: ["x"]) == ["x"]
    assert not list(tmp_path.iterdir())
    monkeypatch.delenv("NATODATA_NO_CACHE")
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("NATODATA_CACHE_DIR", str(blocker))
    assert cache.cached_strings("ns", "text", lambda: ["x"]) == ["x"]


def test_frictionless_verdicts_are_the_same_from_the_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("NATODATA_CACHE_DIR", str(tmp_path))
    bad = {"fields": [{"name": "a", "type": "integer", "constraints": {"minimum": "x"}}], "primaryKey": 5}
    fresh = descriptor._validate("Schema", json.dumps(bad, sort_keys=True))
    assert fresh  # frictionless finds errors in it
    descriptor._frictionless_errors_of.cache_clear()
    assert descriptor._frictionless_errors("Schema", bad) == fresh  # computed and stored
    descriptor._frictionless_errors_of.cache_clear()
    assert descriptor._frictionless_errors("Schema", bad) == fresh  # read back
    assert len(list(tmp_path.rglob("*.json"))) == 1


def test_the_library_caches_nothing_unless_asked(tmp_path, monkeypatch):
    monkeypatch.delenv("NATODATA_CACHE_DIR")
    monkeypatch.delenv("NATODATA_NO_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.cache_dir() is None and cache.default_dir() == tmp_path / "xdg" / "natodata"
    calls = []
    assert cache.cached_strings("ns", "text", lambda: calls.append(1) or ["x"]) == ["x"]
    assert cache.cached_strings("ns", "text", lambda: calls.append(1) or ["x"]) == ["x"]
    assert len(calls) == 2 and not (tmp_path / "xdg").exists()


@pytest.mark.slow  # two natodata processes
def test_load_writes_no_cache_and_the_command_line_does(tmp_path):
    """natodata.load() in a process of its own leaves the user's cache alone; the
    natodata command keeps its verdicts there."""
    import os
    import subprocess
    import sys

    from tests.helpers import ROOT

    env = {k: v for k, v in os.environ.items() if not k.startswith("NATODATA_")}
    env.update(HOME=str(tmp_path / "home"), XDG_CACHE_HOME=str(tmp_path / "xdg"))
    run = subprocess.run([sys.executable, "-c", f"import natodata; natodata.load(path={str(ROOT)!r})"],
                         env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert not (tmp_path / "xdg").exists() and not (tmp_path / "home").exists()
    run = subprocess.run([sys.executable, "-m", "natodata", "validate", str(ROOT)], env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    assert list((tmp_path / "xdg" / "natodata").rglob("*.json"))
