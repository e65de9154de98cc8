"""The verdict cache returns what computing returns, and never a broken or foreign entry."""

from __future__ import annotations

import json

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
