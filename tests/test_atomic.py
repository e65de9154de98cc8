"""Writing several files as one: a failure at any step leaves every file as it was."""

import os
import stat

import pytest

from natodata import atomic
from natodata.atomic import Staged, write_files
from natodata.errors import UnwritableOutput


def listing(d):
    return {p.relative_to(d).as_posix(): (None if p.is_dir() else p.read_bytes()) for p in sorted(d.rglob("*"))}


@pytest.fixture
def files(tmp_path):
    (tmp_path / "a.csv").write_bytes(b"old a\n")
    (tmp_path / "b.csv").write_bytes(b"old b\n")
    return tmp_path


def test_every_file_is_written_with_the_targets_permissions(files):
    os.chmod(files / "a.csv", 0o640)
    write_files({files / "a.csv": b"new a\n", files / "c.csv": b"new c\n"})
    assert listing(files) == {"a.csv": b"new a\n", "b.csv": b"old b\n", "c.csv": b"new c\n"}
    assert stat.S_IMODE((files / "a.csv").stat().st_mode) == 0o640
    assert stat.S_IMODE((files / "c.csv").stat().st_mode) == 0o666 & ~_umask()


def _umask():
    m = os.umask(0)
    os.umask(m)
    return m


@pytest.mark.parametrize("fail_at", [1, 2, 3])
def test_a_rename_failing_midway_restores_every_file(files, monkeypatch, fail_at):
    before = listing(files)
    real, calls = os.replace, []

    def replace(src, dst):
        calls.append(dst)
        if len(calls) == fail_at:
            raise OSError(28, "No space left on device")
        return real(src, dst)

    monkeypatch.setattr(atomic.os, "replace", replace)
    with pytest.raises(UnwritableOutput, match=r"cannot write .*: No space left on device; nothing written"):
        write_files({files / "a.csv": b"new a\n", files / "b.csv": b"new b\n", files / "new.csv": b"new\n"})
    assert listing(files) == before  # byte-identical, the new file gone, no temporary files


def test_a_write_failing_midway_leaves_no_temporary_file(files, monkeypatch):
    before = listing(files)
    real_open, opened = open, []

    def full_disk(path, mode="r", *args, **kwargs):
        f = real_open(path, mode, *args, **kwargs)
        opened.append(path)
        if len(opened) == 2:
            f.close()
            raise OSError(28, "No space left on device")
        return f

    monkeypatch.setattr(atomic, "open", full_disk, raising=False)
    with pytest.raises(UnwritableOutput, match=r"cannot write .*b\.csv: No space left on device; nothing written"):
        write_files({files / "a.csv": b"new a\n", files / "b.csv": b"new b\n"})
    assert listing(files) == before


def test_a_directory_in_the_way_writes_nothing(files):
    before = listing(files)
    (files / "d.csv").mkdir()
    with pytest.raises(UnwritableOutput, match=r"cannot write .*d\.csv: it is a directory; nothing written"):
        write_files({files / "a.csv": b"new a\n", files / "d.csv": b"x"})
    assert listing(files) == {**before, "d.csv": None}


def test_leaving_without_commit_removes_staged_files_and_new_directories(tmp_path):
    with Staged() as staged:
        staged.write_bytes(tmp_path / "new" / "deep" / "x.parquet", b"x")
        assert len(list((tmp_path / "new" / "deep").iterdir())) == 1
    assert listing(tmp_path) == {}


def test_targets_outside_home_are_written_and_named_absolutely(tmp_path):
    (tmp_path / "pkg").mkdir()
    out = tmp_path / "elsewhere" / "deep" / "x.md"
    write_files({tmp_path / "pkg" / "a.csv": b"a\n", out: b"x\n"}, home=tmp_path / "pkg")
    assert listing(tmp_path) == {
        "elsewhere": None,
        "elsewhere/deep": None,
        "elsewhere/deep/x.md": b"x\n",
        "pkg": None,
        "pkg/a.csv": b"a\n",
    }


def test_a_planted_journal_moves_or_deletes_nothing_but_natodata_temporary_files(tmp_path):
    """A journal committed to a hostile repository names a file outside it as a new
    target of an unfinished write, and its backup: recovery removes neither."""
    import json

    victim = tmp_path / "home" / ".bashrc"
    victim.parent.mkdir()
    victim.write_text("mine\n")
    repo = tmp_path / "repo"
    repo.mkdir()
    txid = "0123456789abcdef"
    lines = [
        {"tmp": str(victim.with_name(f"..bashrc.{txid}.tmp")), "target": str(victim)},
        {"new": str(victim)},
        {"backup": str(victim), "target": str(victim)},
        {"tmp": "../home/x", "target": "../home/.bashrc"},
    ]
    (repo / f".natodata-journal-{txid}.json").write_text("".join(json.dumps(x) + "\n" for x in lines))
    atomic.recover(repo)
    assert victim.read_text() == "mine\n"
    lines = [{"tmp": str(victim.with_name(f"..bashrc.{txid}.tmp")), "target": str(victim)}, {"new": str(victim)}]
    (repo / f".natodata-journal-{txid}.json").write_text("".join(json.dumps(x) + "\n" for x in lines))
    assert atomic.recover(repo) == 1  # a well-formed journal of an unfinished write: its temporary files go
    assert victim.read_text() == "mine\n"
    assert listing(repo) == {}


def test_a_staged_tree_and_a_streamed_file_appear_together_on_commit(tmp_path):
    with Staged(home=tmp_path) as staged:
        stage = staged.write_tree(tmp_path / "release", {"a.txt": b"a", "sub/b.txt": b"b"})
        assert listing(stage) == {"a.txt": b"a", "sub": None, "sub/b.txt": b"b"}
        with staged.open(tmp_path / "dist" / "x.bin") as out:
            out.write(b"streamed")
        assert not (tmp_path / "release").exists() and not (tmp_path / "dist" / "x.bin").exists()
        staged.commit()
    assert listing(tmp_path) == {
        "dist": None,
        "dist/x.bin": b"streamed",
        "release": None,
        "release/a.txt": b"a",
        "release/sub": None,
        "release/sub/b.txt": b"b",
    }


def test_a_staged_tree_is_gone_without_a_commit(tmp_path):
    with Staged(home=tmp_path) as staged:
        staged.write_tree(tmp_path / "release", {"a.txt": b"a"})
        with staged.open(tmp_path / "x.bin") as out:
            out.write(b"x")
    assert listing(tmp_path) == {}


def test_a_staged_tree_refuses_a_directory_that_exists(tmp_path):
    (tmp_path / "release").mkdir()
    with Staged(home=tmp_path) as staged:
        with pytest.raises(UnwritableOutput, match="it exists"):
            staged.write_tree(tmp_path / "release", {"a.txt": b"a"})


def test_fill_directory_writes_the_files_in_their_subdirectories(tmp_path):
    assert atomic.fill_directory(tmp_path, {"x/y/z.txt": b"z", "w.txt": b""}) == tmp_path
    assert listing(tmp_path) == {"w.txt": b"", "x": None, "x/y": None, "x/y/z.txt": b"z"}
