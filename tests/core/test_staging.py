"""Safe output writing: ownership, atomic replacement under real kills, locks, file-system errors."""

import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from osehw.core.staging import (
    FolderLock,
    OutputBusyError,
    OutputPathError,
    OutputWriteError,
    StagedOutput,
    check_name,
    check_out_root,
    preflight,
    written_by_osehw,
)

CHILD = Path(__file__).with_name("staging_child.py")


def write(root, name="demo", text="first", force=False):
    with StagedOutput(root, name, force=force) as stage:
        stage.file("a.txt").write_text(text)
        stage.write_manifest({"design": name, "tag": text})


@pytest.mark.parametrize("bad", ["../x", "a/b", "..", "", "UPPER", ".hidden", "x" * 101, "a\x00b"])
def test_unsafe_names_are_refused(bad):
    with pytest.raises(OutputPathError):
        check_name(bad)


def test_a_300_character_name_is_refused_with_a_short_line():
    with pytest.raises(OutputPathError) as exc:
        check_name("n" * 300)
    assert "300 characters long" in str(exc.value) and len(str(exc.value)) < 160


def test_out_root_cannot_be_the_project_or_its_sources(tmp_path):
    proj = tmp_path / "proj"
    (proj / "src").mkdir(parents=True)
    for bad in (proj, tmp_path, proj / "src", proj / "src" / "deeper", proj / "designs"):
        with pytest.raises(OutputPathError):
            check_out_root(bad, proj)
    assert check_out_root(proj / "outputs", proj) == (proj / "outputs").resolve()


def test_out_root_under_a_file_is_refused(tmp_path):
    (tmp_path / "plain").write_text("x")
    with pytest.raises(OutputWriteError, match="is a file, not a folder"):
        check_out_root(tmp_path / "plain" / "deeper", tmp_path / "proj")


def test_failed_build_leaves_old_outputs_and_no_staging(tmp_path):
    write(tmp_path)
    with pytest.raises(RuntimeError):
        with StagedOutput(tmp_path, "demo") as stage:
            stage.file("a.txt").write_text("half")
            raise RuntimeError("boom")
    assert (tmp_path / "demo" / "a.txt").read_text() == "first"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo"]  # no staging, no lock file


def test_files_cannot_escape_the_stage(tmp_path):
    with StagedOutput(tmp_path, "demo") as stage:
        with pytest.raises(OutputPathError):
            stage.file("../evil.txt")


def test_manifest_hashes_every_file_and_carries_the_mark(tmp_path):
    with StagedOutput(tmp_path, "demo") as stage:
        stage.file("sub/b.txt").write_bytes(b"hello")
        stage.write_manifest({"design": "demo"})
    doc = json.loads((tmp_path / "demo" / "manifest.json").read_text())
    assert doc["files"] == {"sub/b.txt": hashlib.sha256(b"hello").hexdigest()}
    assert doc["written_by"] == "osehw"
    assert written_by_osehw(tmp_path / "demo")


# ---- a user's folder is never removed ---------------------------------------------------------------


@pytest.mark.parametrize("manifest", [None, "not json", '{"design": "x"}', '["written_by", "osehw"]'])
def test_a_folder_osehw_did_not_make_is_refused_and_kept(tmp_path, manifest):
    mine = tmp_path / "demo"
    mine.mkdir()
    (mine / "my-notes.txt").write_text("precious")
    if manifest is not None:
        (mine / "manifest.json").write_text(manifest)
    with pytest.raises(OutputPathError, match="osehw did not make it"):
        write(tmp_path)
    with pytest.raises(OutputPathError, match="osehw did not make it"):
        preflight(tmp_path, "demo")
    assert (mine / "my-notes.txt").read_text() == "precious"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo"]


def test_a_file_in_the_way_is_refused_unless_forced(tmp_path):
    (tmp_path / "demo").write_text("a user's file")
    with pytest.raises(OutputPathError, match="not an osehw output folder"):
        write(tmp_path)
    assert (tmp_path / "demo").read_text() == "a user's file"
    write(tmp_path, force=True)
    assert (tmp_path / "demo" / "a.txt").read_text() == "first"


def test_force_replaces_a_foreign_folder(tmp_path):
    (tmp_path / "demo").mkdir()
    (tmp_path / "demo" / "x.txt").write_text("x")
    write(tmp_path, text="new", force=True)
    assert sorted(p.name for p in (tmp_path / "demo").iterdir()) == ["a.txt", "manifest.json"]


def test_osehw_0_1_manifests_count_as_ours(tmp_path):
    (tmp_path / "demo").mkdir()
    (tmp_path / "demo" / "manifest.json").write_text('{"osehw_version": "0.1.0", "files": {}}')
    write(tmp_path, text="new")
    assert (tmp_path / "demo" / "a.txt").read_text() == "new"


# ---- kills at every line of the commit path ----------------------------------------------------------


def child(root, tag, kill_at=0, *extra, n_files=6):
    return subprocess.run([sys.executable, str(CHILD), str(root), "demo", tag, str(n_files), str(kill_at), *extra],
                          capture_output=True, text=True, timeout=60)


def folder_state(folder: Path) -> str | None:
    """The tag of a whole output folder (every file the manifest lists, with its hash), else None."""
    doc = json.loads((folder / "manifest.json").read_text())
    for rel, digest in doc["files"].items():
        assert hashlib.sha256((folder / rel).read_bytes()).hexdigest() == digest, rel
    on_disk = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    assert on_disk == set(doc["files"]) | {"manifest.json"}
    return doc["tag"]


@pytest.mark.parametrize("mode", ["exchange", "fallback"])
def test_a_kill_at_any_line_leaves_the_old_or_the_new_folder_whole(tmp_path, mode):
    extra = ["fallback"] if mode == "fallback" else []
    probe = child(tmp_path / "probe", "old", 0, *extra)
    assert probe.returncode == 0, probe.stderr
    probe = child(tmp_path / "probe", "new", 0, *extra)  # a replacing run: the longest path through the code
    lines_run = int(probe.stdout.strip())
    assert lines_run > 50  # the commit path: lock, recovery, ownership check, staging, swap, clean-up
    kills = 0
    for kill_at in range(1, lines_run + 1):
        root = tmp_path / f"k{kill_at}"
        write(root, text="old")
        r = child(root, "new", kill_at, *extra)
        if r.returncode == 0:
            continue  # the line counter ran past the kill point on this run
        assert r.returncode == -9, r.stderr
        kills += 1
        final = root / "demo"
        if final.exists():
            assert folder_state(final) in ("old", "new")
        else:
            # only the two-rename fallback may leave the final path empty, with the old folder aside
            assert mode == "fallback"
            assert [p.name for p in root.iterdir() if p.name.startswith(".demo.old-")]
        # the next run (here in the test's own process) repairs whatever the kill left and writes whole
        write(root, text="again")
        assert folder_state(final) == "again"
        assert sorted(p.name for p in root.iterdir()) == ["demo"]
    assert kills >= lines_run - 2


def test_a_killed_runs_old_folder_is_restored_before_anything_else(tmp_path):
    """The fallback's worst moment: old folder renamed aside, process gone, final path empty."""
    write(tmp_path, text="precious build")
    os.rename(tmp_path / "demo", tmp_path / ".demo.old-999999")
    (tmp_path / ".demo.staging-999998").mkdir()
    (tmp_path / ".demo.staging-999998" / "half.txt").write_text("half")
    preflight(tmp_path, "demo")  # nothing to refuse: the final path is empty
    with pytest.raises(RuntimeError):
        with StagedOutput(tmp_path, "demo") as stage:
            assert (tmp_path / "demo" / "a.txt").read_text() == "precious build"
            assert stage.recovered and "restored" in stage.recovered[0]
            raise RuntimeError("the new build fails")
    assert (tmp_path / "demo" / "a.txt").read_text() == "precious build"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo"]


# ---- one writer at a time ----------------------------------------------------------------------------


def test_a_second_writer_is_refused_while_the_first_holds_the_folder(tmp_path):
    write(tmp_path, text="old")
    ready = tmp_path / "ready"
    first = subprocess.Popen([sys.executable, str(CHILD), str(tmp_path), "demo", "first", "3", "0", "hold", "3",
                              str(ready)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.time() + 30
        while not ready.exists():
            assert time.time() < deadline and first.poll() is None
            time.sleep(0.02)
        second = child(tmp_path, "second")
        assert second.returncode == 2
        assert "another osehw process" in second.stderr and f"pid {first.pid}" in second.stderr
        with pytest.raises(OutputBusyError):
            preflight(tmp_path, "demo")
        assert folder_state(tmp_path / "demo") == "old"
    finally:
        first.wait(timeout=60)
    assert first.returncode == 0
    assert folder_state(tmp_path / "demo") == "first"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo", "ready"]


def test_racing_writers_never_crash_and_one_folder_wins_whole(tmp_path):
    procs = [subprocess.Popen([sys.executable, str(CHILD), str(tmp_path), "demo", f"w{i}", "20", "0"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for i in range(6)]
    results = [(p.wait(timeout=120), p.stderr.read()) for p in procs]
    for code, stderr in results:
        assert code in (0, 2), stderr
        assert "Traceback" not in stderr
        if code == 2:
            assert "another osehw process" in stderr
    assert any(code == 0 for code, _ in results)
    assert folder_state(tmp_path / "demo").startswith("w")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo"]


def test_a_lock_left_by_a_killed_process_does_not_block(tmp_path):
    r = child(tmp_path, "old", 5)  # killed while holding the lock
    assert r.returncode == -9
    write(tmp_path, text="after")
    assert (tmp_path / "demo" / "a.txt").read_text() == "after"
    lock = FolderLock(tmp_path, "demo")
    lock.acquire()
    lock.release()
    assert not (tmp_path / ".demo.lock").exists()


# ---- full and read-only file systems (real tmpfs mounts, where this machine allows them) -------------


def mount_tmpfs(folder: Path, size: str) -> None:
    folder.mkdir()
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], capture_output=True)
    if r.returncode != 0:
        pytest.skip("this machine does not allow mounting a tmpfs")


@pytest.fixture
def small_tmpfs(tmp_path):
    mount_tmpfs(tmp_path / "mnt", "256k")
    yield tmp_path / "mnt"
    subprocess.run(["umount", "-l", str(tmp_path / "mnt")], capture_output=True)


@pytest.fixture
def tiny_tmpfs(tmp_path):
    mount_tmpfs(tmp_path / "mnt", "40k")
    yield tmp_path / "mnt"
    subprocess.run(["umount", "-l", str(tmp_path / "mnt")], capture_output=True)


def test_a_full_disk_is_a_clear_error_and_the_old_outputs_stay(small_tmpfs):
    write(small_tmpfs, text="old")
    with pytest.raises(OutputWriteError, match="no space left"):
        with StagedOutput(small_tmpfs, "demo") as stage:
            stage.file("big.bin").write_bytes(b"\0" * (1 << 20))
    assert (small_tmpfs / "demo" / "a.txt").read_text() == "old"
    assert sorted(p.name for p in small_tmpfs.iterdir()) == ["demo"]


def test_a_read_only_disk_is_a_clear_error_and_the_old_outputs_stay(small_tmpfs):
    write(small_tmpfs, text="old")
    subprocess.run(["mount", "-o", "remount,ro", str(small_tmpfs)], check=True)
    with pytest.raises(OutputWriteError, match="read-only|not writable"):
        check_out_root(small_tmpfs, Path("/nonexistent-project"))
    with pytest.raises(OutputWriteError, match="read-only"):
        write(small_tmpfs, text="new")
    assert (small_tmpfs / "demo" / "a.txt").read_text() == "old"


def test_the_cli_on_a_full_disk_says_so_and_keeps_the_old_outputs(tiny_tmpfs):
    """A real ``osehw cam`` run into a 40 kB file system: the STEP, DXF, previews and programs do not fit."""
    small_tmpfs = tiny_tmpfs
    import ezdxf

    doc = ezdxf.new("R2010", units=4)
    doc.modelspace().add_lwpolyline([(0, 0), (300, 0), (300, 200), (0, 200)], close=True)
    doc.modelspace().add_circle((150, 100), 40)
    dxf = small_tmpfs.parent / "plate.dxf"
    doc.saveas(dxf)
    write(small_tmpfs, name="plate", text="old")
    env = dict(os.environ, COLUMNS="200")
    r = subprocess.run([sys.executable, "-m", "osehw", "cam", str(dxf), "--thickness", "12", "--machine",
                        "grbl-hobby-800", "--out", str(small_tmpfs)], capture_output=True, text=True, env=env,
                       timeout=300)
    assert r.returncode == 2, r.stdout + r.stderr
    assert "no space left" in r.stderr and "Traceback" not in r.stderr
    assert (small_tmpfs / "plate" / "a.txt").read_text() == "old"
    assert sorted(p.name for p in small_tmpfs.iterdir()) == ["plate"]


def test_a_failed_first_build_leaves_no_empty_out_folder(tmp_path):
    root = tmp_path / "new" / "out"
    with pytest.raises(RuntimeError):
        with StagedOutput(root, "demo") as stage:
            stage.file("a.txt").write_text("half")
            raise RuntimeError("boom")
    assert not root.exists()
