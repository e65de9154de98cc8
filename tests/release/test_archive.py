"""A release's archive: deterministic, its members normalised by a tarfile filter, streamed from disk."""

import hashlib
import io
import os
import tarfile

from natodata.atomic import fill_directory
from natodata.release.archive import normalised, write_archive

FILES = {"datapackage.json": b"{}\n", "data/b.csv": b"id\n1\n" * 10_000, "data/a.csv": b"id\n", "data.txt": b"x"}


def test_the_archive_is_the_same_whatever_the_files_owner_mode_and_time(tmp_path):
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    one, two = fill_directory(tmp_path / "one", FILES), fill_directory(tmp_path / "two", FILES)
    os.chmod(two / "data" / "a.csv", 0o600)
    os.utime(two / "data.txt", (1, 1))
    a, b = io.BytesIO(), io.BytesIO()
    assert write_archive(one, FILES, "p-1.0.0", 1_600_000_000, a) == (
        len(a.getvalue()),
        hashlib.sha256(a.getvalue()).hexdigest(),
    )
    write_archive(two, FILES, "p-1.0.0", 1_600_000_000, b)
    assert a.getvalue() == b.getvalue()
    assert write_archive(one, FILES, "p-1.0.0", 1_600_000_000) == (
        len(a.getvalue()),
        hashlib.sha256(a.getvalue()).hexdigest(),
    )


def test_members_are_sorted_normalised_and_hold_the_files(tmp_path):
    out = io.BytesIO()
    write_archive(fill_directory(tmp_path, FILES), FILES, "p-1.0.0", 1_600_000_000, out)
    head = out.getvalue()[:10]
    assert (head[:3], head[3], head[4:8]) == (b"\x1f\x8b\x08", 0, b"\0\0\0\0")  # gzip: no file name, mtime 0
    with tarfile.open(fileobj=io.BytesIO(out.getvalue())) as tar:
        members = tar.getmembers()
        assert [m.name for m in members] == [
            "p-1.0.0",
            "p-1.0.0/data",
            "p-1.0.0/data.txt",
            "p-1.0.0/data/a.csv",
            "p-1.0.0/data/b.csv",
            "p-1.0.0/datapackage.json",
        ]
        assert {(m.mtime, m.uid, m.gid, m.uname, m.gname) for m in members} == {(1_600_000_000, 0, 0, "", "")}
        assert {m.name: m.mode for m in members if m.isdir()} == {"p-1.0.0": 0o755, "p-1.0.0/data": 0o755}
        assert {m.mode for m in members if m.isfile()} == {0o644}
        assert tar.extractfile("p-1.0.0/data/b.csv").read() == FILES["data/b.csv"]


def test_the_filter_sets_owner_time_and_mode():
    info = tarfile.TarInfo("x")
    info.uid, info.uname, info.mtime, info.mode = 1000, "me", 5, 0o600
    assert (lambda i: (i.uid, i.uname, i.mtime, i.mode))(normalised(7)(info)) == (0, "", 7, 0o644)
    d = tarfile.TarInfo("d")
    d.type = tarfile.DIRTYPE
    assert normalised(7)(d).mode == 0o755
