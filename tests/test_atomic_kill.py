"""Writing several files under SIGKILL: killed at every system call of a commit, the
files are all old or (once the next run has recovered) all new, and nothing is left."""

import os
import subprocess
import sys
import textwrap

import pytest

from tests.helpers import copy_package

#: A child that writes three files (two replaced, one new) with ``natodata.atomic`` and
#: kills itself at its Nth call of a file-system function atomic uses.
CHILD = textwrap.dedent("""
    import os, signal, sys
    from pathlib import Path
    from natodata import atomic

    class Killing:
        def __init__(self, real, at):
            self.real, self.at, self.calls = real, at, 0
        def __getattr__(self, name):
            attr = getattr(self.real, name)
            if name not in ("write", "open", "replace", "link", "fsync", "close", "unlink", "mkdir", "rmdir", "chmod"):
                return attr
            def call(*args, **kwargs):
                self.calls += 1
                if self.calls == self.at:
                    os.kill(os.getpid(), signal.SIGKILL)
                return attr(*args, **kwargs)
            return call

    d, at = Path(sys.argv[1]), int(sys.argv[2])
    atomic.os = Killing(os, at)
    atomic.write_files({d / "a.csv": b"new a\\n", d / "sub" / "b.csv": b"new b\\n", d / "sub" / "new" / "c.csv": b"new c\\n"},
                       home=d)
""")

OLD = {"a.csv": b"old a\n", "sub/b.csv": b"old b\n"}
NEW = {"a.csv": b"new a\n", "sub/b.csv": b"new b\n", "sub/new/c.csv": b"new c\n"}


def files(d):
    return {p.relative_to(d).as_posix(): p.read_bytes() for p in sorted(d.rglob("*")) if p.is_file()}


@pytest.mark.slow
def test_killed_at_every_step_a_commit_is_all_or_nothing(tmp_path):
    from natodata.atomic import recover

    outcomes = set()
    for at in range(1, 200):
        d = tmp_path / str(at)
        (d / "sub").mkdir(parents=True)
        for rel, data in OLD.items():
            (d / rel).write_bytes(data)
        run = subprocess.run([sys.executable, "-c", CHILD, str(d), str(at)], capture_output=True, text=True)
        if run.returncode == 0:
            assert files(d) == NEW
            break
        assert run.returncode == -9, run.stderr
        for rel, data in files(d).items():  # never a half-written file
            if not rel.split("/")[-1].startswith("."):  # a temporary file, backup or journal
                assert data in (OLD.get(rel), NEW.get(rel)), rel
        recover(d)
        after = files(d)
        assert after in (OLD, NEW), (at, after)
        outcomes.add("new" if after == NEW else "old")
        assert not (d / "sub" / "new").exists() or after == NEW  # a directory it made goes with the files
    else:
        pytest.fail("the commit never finished")
    assert outcomes == {"old", "new"}  # killed before and after the commit point


FMT_CHILD = textwrap.dedent("""
    import os, signal, sys
    from natodata import atomic

    real = os.replace
    calls = []
    def replace(src, dst):
        calls.append(dst)
        if len(calls) == 2:
            os.kill(os.getpid(), signal.SIGKILL)
        return real(src, dst)
    atomic.os.replace = replace  # the module os: patched in this child only
    from natodata.cli import app
    app(["fmt", sys.argv[1]])
""")


@pytest.mark.slow
def test_fmt_killed_between_its_renames_is_finished_by_the_next_run(tmp_path):
    root = copy_package(tmp_path / "pkg")
    for name in ("actors", "events", "quotes"):  # three files to rewrite: CRLF line endings
        p = root / "data" / f"{name}.csv"
        p.write_bytes(p.read_bytes().replace(b"\n", b"\r\n"))
    run = subprocess.run([sys.executable, "-c", FMT_CHILD, str(root)], capture_output=True, text=True)
    assert run.returncode == -9, run.stderr
    leftovers = sorted(p.name for p in root.rglob(".*"))
    assert any(n.startswith(".natodata-journal-") for n in leftovers)
    crlf = [n for n in ("actors", "events", "quotes") if b"\r\n" in (root / "data" / f"{n}.csv").read_bytes()]
    assert len(crlf) == 2  # one file renamed, two not: a mix until the next run
    natodata = os.path.join(os.path.dirname(sys.executable), "natodata")
    run = subprocess.run([natodata, "fmt", str(root)], capture_output=True, text=True)
    assert (run.returncode, run.stdout) == (0, "all files canonical\n")  # the journal finished the job
    assert sorted(p.name for p in root.rglob(".*")) == []
