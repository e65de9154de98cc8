"""The git facts a release depends on: a clean tree, the commit it is made from, its tag.

A release must be traceable to a commit, so ``publish`` refuses outside a git checkout and
with uncommitted changes to the files a release is made from.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from ..errors import PublishError


def _git(root: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    try:
        run = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True)
    except OSError as exc:
        raise PublishError(f"cannot run git: {exc.strerror or exc}; publish needs a git checkout") from None
    if check and run.returncode != 0:
        raise PublishError(f"git {' '.join(args)} failed in {root}: {run.stderr.strip() or run.stdout.strip()}")
    return run


def dirty_paths(root: Path, paths: list[str]) -> list[str]:
    """Which of ``paths`` (relative to ``root``) have uncommitted changes or are untracked.
    Raises PublishError outside a git checkout or before the first commit."""
    inside = _git(root, "rev-parse", "--is-inside-work-tree", check=False)
    if inside.returncode != 0 or inside.stdout.strip() != "true":
        raise PublishError(
            f"{root} is not in a git checkout; a release must be traceable to a commit, so commit the "
            "package to git first"
        )
    if _git(root, "rev-parse", "--verify", "-q", "HEAD", check=False).returncode != 0:
        raise PublishError(f"{root} has no commit yet; commit the package first")
    status = _git(root, "status", "--porcelain=v1", "-z", "--untracked-files=all", "--", *paths).stdout
    out = []
    entries = status.split("\0")
    i = 0
    while i < len(entries):
        entry = entries[i]
        if len(entry) > 3:
            out.append(entry[3:])
            if entry[0] in "RC":  # a rename is followed by its source path
                i += 1
        i += 1
    top = Path(_git(root, "rev-parse", "--show-toplevel").stdout.strip())
    prefix = root.resolve().relative_to(top.resolve()).as_posix()
    return sorted(p[len(prefix) + 1 :] if prefix not in ("", ".") and p.startswith(prefix + "/") else p for p in out)


def tag_exists(root: Path, tag: str) -> bool:
    return _git(root, "rev-parse", "--verify", "-q", f"refs/tags/{tag}", check=False).returncode == 0


def commit_and_tag(root: Path, paths: list[str], message: str, tag: str) -> str:
    """Commit ``paths`` and put an annotated tag on that commit; return the commit id."""
    _git(root, "add", "--", *paths)
    _git(root, "commit", "-q", "-m", message, "--", *paths)
    _git(root, "tag", "-a", tag, "-m", message)
    return _git(root, "rev-parse", "HEAD").stdout.strip()
