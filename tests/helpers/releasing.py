"""Helpers for the release and diff tests: CHANGELOG entries, schema edits, snapshots."""

from __future__ import annotations

import json
from pathlib import Path

EPOCH = 1700000000  # 2023-11-14T22:13:20Z
CREATED = "2023-11-14T22:13:20Z"


GIT_ENV = {
    "GIT_AUTHOR_NAME": "natodata tests",
    "GIT_AUTHOR_EMAIL": "tests@natodata.invalid",
    "GIT_COMMITTER_NAME": "natodata tests",
    "GIT_COMMITTER_EMAIL": "tests@natodata.invalid",
    "GIT_AUTHOR_DATE": CREATED,
    "GIT_COMMITTER_DATE": CREATED,
}


def git(root: Path, *args: str) -> str:
    import os
    import subprocess

    run = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, env={**os.environ, **GIT_ENV})
    assert run.returncode == 0, run.stderr
    return run.stdout


def commit(root: Path, message: str = "change") -> None:
    """Commit everything in ``root`` (a git repository is made on first use): publish
    refuses uncommitted changes."""
    if not (root / ".git").exists():
        git(root, "init", "-q")
        (root / ".gitignore").write_text("dist/\n")
    git(root, "add", "-A")
    git(root, "commit", "-q", "--allow-empty", "-m", message)


def write_changelog(root: Path, *versions: str) -> None:
    """A CHANGELOG with an entry for each version (newest first)."""
    text = "# Changelog\n\n## Unreleased\n\n"
    for v in versions:
        text += f"## {v} - 2023-11-14\n\n### Changed\n- Release {v}.\n\n"
    (root / "CHANGELOG.md").write_text(text, encoding="utf-8")


def schema(root: Path, table: str) -> dict:
    return json.loads((root / "schemas" / f"{table}.json").read_text(encoding="utf-8"))


def save_schema(root: Path, table: str, descriptor: dict) -> None:
    (root / "schemas" / f"{table}.json").write_text(json.dumps(descriptor, indent=2) + "\n", encoding="utf-8")


def field(descriptor: dict, name: str) -> dict:
    return next(f for f in descriptor["fields"] if f["name"] == name)


def descriptor(root: Path) -> dict:
    return json.loads((root / "datapackage.json").read_text(encoding="utf-8"))


def save_descriptor(root: Path, desc: dict) -> None:
    (root / "datapackage.json").write_text(json.dumps(desc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def snapshot(root: Path) -> dict[str, bytes | None]:
    """Every path under ``root`` with its bytes (None for directories)."""
    return {p.relative_to(root).as_posix(): (None if p.is_dir() else p.read_bytes()) for p in sorted(root.rglob("*"))}
