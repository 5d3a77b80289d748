"""Writing a design's outputs whole, and never touching a folder osehw did not make.

``with StagedOutput(out_root, name) as stage:`` writes every file into a
staging folder beside the target, ``out_root/.NAME.staging-PID``; on success
the staging folder takes the target's place, on any error it is removed and
the previous outputs stay as they were.

Rules that keep a user's files safe:

* **Ownership.** A folder at ``out_root/NAME`` is replaced only when its
  ``manifest.json`` says osehw wrote it (``"written_by": "osehw"``). Any other
  folder or file there is refused (:class:`OutputPathError`) unless the user
  passes ``force=True`` (``--force``).
* **Atomic replacement.** On Linux the staging folder and the old folder are
  swapped with one ``renameat2(RENAME_EXCHANGE)`` call (Linux ≥ 3.15, see
  rename(2)), so at every instant one whole folder is at the final path.
  Where the call is missing (other systems, some file systems) the old folder
  is first renamed to ``.NAME.old-PID`` and then replaced; a process killed
  between the two renames is repaired by the next run, which puts the old
  folder back.
* **Leftovers.** Staging and old folders of dead processes are removed (or
  restored, see above) by the next run on the same name.
* **One writer per folder.** ``.NAME.lock`` is held with ``flock`` for the
  whole write; the kernel drops it when the process dies, so a killed build
  never leaves a stale lock. A second build gets :class:`OutputBusyError`.
* **Environment errors** (read-only or full file system, ``--out`` under a
  file) become :class:`OutputWriteError` with the path and the reason.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import hashlib
import json
import os
import re
import shutil
from pathlib import Path
from typing import Any

from osehw.core.errors import OsehwError, quote_text

MAX_NAME = 100  # characters: leaves room for '.NAME.staging-PID' within the 255-byte file-name limit
SAFE_NAME = re.compile(rf"^[a-z0-9][a-z0-9._-]{{0,{MAX_NAME - 1}}}$")
MARKER_FIELD = "written_by"
MARKER = "osehw"
MAX_MANIFEST_BYTES = 64 << 20  # a manifest larger than this is not one of ours
STAGING = "staging"
OLD = "old"


class OutputPathError(OsehwError, ValueError):
    """An output path that osehw refuses to use (unsafe name, a folder osehw did not make…)."""


class OutputBusyError(OutputPathError):
    """Another live osehw process is writing the same output folder."""


class OutputWriteError(OutputPathError):
    """The file system refused the write (read-only, full, not a folder…); old outputs are intact."""


def check_name(name: str) -> str:
    """A design/variant name is one path component of safe characters (no '/', no '..')."""
    if len(name) > MAX_NAME:
        raise OutputPathError(f"design name '{quote_text(name, 40)}' is {len(name)} characters long: "
                              f"at most {MAX_NAME} are allowed")
    if not SAFE_NAME.match(name) or ".." in name:
        raise OutputPathError(f"design name '{quote_text(name)}' is not allowed: use lower-case letters, "
                              f"digits, '.', '_', '-', starting with a letter or digit")
    return name


def check_out_root(out_root: Path, project_root: Path) -> Path:
    """--out must be a folder (or creatable as one) that is not the project or one of its source folders."""
    if len(str(out_root)) > 1024:
        raise OutputPathError(f"--out '{quote_text(str(out_root))}': path is too long")
    try:
        out = out_root.resolve()
    except (OSError, RuntimeError) as exc:  # a symlink loop
        raise OutputPathError(f"--out {out_root}: {getattr(exc, 'strerror', None) or exc}") from None
    proj = project_root.resolve()
    guarded = [proj, *proj.parents] + [proj / d for d in ("src", "designs", "cam", "bom", "tests", ".git")]
    if out in guarded or any(p in out.parents for p in [proj / d for d in ("src", "designs", "cam", "bom", ".git")]):
        raise OutputPathError(f"--out {out_root}: refusing to write into the project's own folders")
    # The nearest existing folder on the way up must be a folder we may write in.
    probe = out
    while not probe.exists():
        probe = probe.parent
    if not probe.is_dir():
        raise OutputWriteError(f"--out {out_root}: {probe} is a file, not a folder")
    if not os.access(probe, os.W_OK | os.X_OK):
        raise OutputWriteError(f"--out {out_root}: {probe} is not writable")
    return out


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def written_by_osehw(folder: Path) -> bool:
    """True when ``folder`` holds a manifest.json that osehw wrote."""
    manifest = folder / "manifest.json"
    try:
        if not manifest.is_file() or manifest.stat().st_size > MAX_MANIFEST_BYTES:
            return False
        doc = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if not isinstance(doc, dict):
        return False
    # osehw 0.1 manifests carry no mark but always these two keys
    return doc.get(MARKER_FIELD) == MARKER or ("osehw_version" in doc and "files" in doc)


def check_target(final: Path, force: bool = False) -> None:
    """Refuse to replace ``final`` unless it is absent, osehw's own, or ``force`` is given."""
    if not os.path.lexists(final) or force:
        return
    if final.is_symlink() or not final.is_dir():
        raise OutputPathError(f"{final}: exists and is not an osehw output folder (a file or link); "
                              f"move it away or pass --force to replace it")
    if not written_by_osehw(final):
        raise OutputPathError(f"{final}: exists and osehw did not make it (no manifest.json written by osehw); "
                              f"move it away or pass --force to replace it")


def preflight(out_root: Path, name: str, force: bool = False) -> None:
    """Before any work: the target may be replaced, and no other osehw is writing it right now."""
    final = out_root / check_name(name)
    check_target(final, force)
    if out_root.is_dir():
        lock = FolderLock(out_root, name)
        try:
            lock.acquire()
        except OSError as exc:
            raise _os_error(exc, final) from None
        lock.release()


def _os_error(exc: OSError, where: Path) -> OutputWriteError:
    reason = exc.strerror or str(exc)
    if exc.errno == errno.ENOSPC:
        reason = "no space left on the device"
    elif exc.errno == errno.EROFS:
        reason = "the file system is read-only"
    elif exc.errno in (errno.EACCES, errno.EPERM):
        reason = "permission denied"
    elif exc.errno in (errno.ENOTDIR, errno.EEXIST):
        reason = "a file stands where a folder is needed"
    return OutputWriteError(f"cannot write {where}: {reason}; the previous outputs are unchanged")


_RENAME_EXCHANGE = 2  # linux/fs.h
_AT_FDCWD = -100


def _renameat2() -> Any:
    try:
        fn = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return None
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    return fn


def exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one atomic step; False where the system cannot (then nothing changed)."""
    fn = _renameat2()
    if fn is None:
        return False
    if fn(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(b))


class FolderLock:
    """An exclusive ``flock`` on ``out_root/.NAME.lock``, released by the kernel if the process dies."""

    def __init__(self, out_root: Path, name: str) -> None:
        self.path = out_root / f".{name}.lock"
        self.fd: int | None = None

    def acquire(self) -> None:
        while True:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = os.read(fd, 32).decode("ascii", "replace").strip() or "?"
                os.close(fd)
                raise OutputBusyError(f"{self.path.parent / self.path.name[1:-5]}: another osehw process "
                                      f"(pid {holder}) is writing this folder; wait for it to finish") from None
            # The holder before us may have unlinked the file between our open and flock.
            try:
                same = os.stat(self.path).st_ino == os.fstat(fd).st_ino
            except FileNotFoundError:
                same = False
            if same:
                os.ftruncate(fd, 0)
                os.write(fd, f"{os.getpid()}\n".encode())
                self.fd = fd
                return
            os.close(fd)

    def release(self) -> None:
        if self.fd is None:
            return
        try:
            os.unlink(self.path)  # while still locked, so no one can lock a file that is about to go
        except FileNotFoundError:
            pass
        os.close(self.fd)
        self.fd = None


def leftovers(out_root: Path, name: str) -> dict[str, list[Path]]:
    """Staging and old folders of ``name`` in ``out_root`` (call with the folder's lock held)."""
    found: dict[str, list[Path]] = {STAGING: [], OLD: []}
    pattern = re.compile(rf"^\.{re.escape(name)}\.({STAGING}|{OLD})-\d+$")
    for entry in sorted(out_root.iterdir()):
        m = pattern.match(entry.name)
        if m:
            found[m.group(1)].append(entry)
    return found


def recover(out_root: Path, name: str) -> list[str]:
    """Put a killed run's old folder back (if the final path is empty) and remove the rest.

    Call with the folder's lock held: then every staging/old folder of this
    name belongs to a process that died (a live writer would hold the lock).
    Returns what was done, one line each.
    """
    done: list[str] = []
    final = out_root / name
    found = leftovers(out_root, name)
    if not os.path.lexists(final):
        olds = sorted((p for p in found[OLD] if written_by_osehw(p)), key=lambda p: p.stat().st_mtime)
        if olds:
            os.rename(olds[-1], final)
            found[OLD].remove(olds[-1])
            done.append(f"restored {final} from {olds[-1].name} (a build was killed while replacing it)")
    for path in found[STAGING] + found[OLD]:
        shutil.rmtree(path, ignore_errors=True)
        done.append(f"removed {path.name} (left by a build that was killed)")
    return done


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


class StagedOutput:
    """``with StagedOutput(out_root, name) as stage:`` write into ``stage.path``; on success it replaces
    ``out_root/name`` whole (only if osehw made it, or ``force``), on error it is removed."""

    def __init__(self, out_root: Path, name: str, force: bool = False) -> None:
        self.out_root = out_root
        self.final = out_root / check_name(name)
        self.path = out_root / f".{name}.{STAGING}-{os.getpid()}"
        self.force = force
        self.lock = FolderLock(out_root, name)
        self.recovered: list[str] = []

    def file(self, relative: str) -> Path:
        target = (self.path / relative).resolve()
        if self.path.resolve() not in target.parents:
            raise OutputPathError(f"output file '{relative}' would escape the output folder")
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise _os_error(exc, self.final) from None
        return target

    def __enter__(self) -> "StagedOutput":
        self.created_root = not self.out_root.exists()
        try:
            self.out_root.mkdir(parents=True, exist_ok=True)
            self.lock.acquire()
        except OSError as exc:
            self._drop_empty_root()
            raise _os_error(exc, self.final) from None
        try:
            self.recovered = recover(self.out_root, self.final.name)
            check_target(self.final, self.force)
            self.path.mkdir()
        except BaseException as exc:
            self.lock.release()
            self._drop_empty_root()
            if isinstance(exc, OSError):
                raise _os_error(exc, self.final) from None
            raise
        return self

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> bool:
        failed = exc_type is not None
        try:
            if failed:
                shutil.rmtree(self.path, ignore_errors=True)
                if isinstance(exc, OSError):
                    raise _os_error(exc, self.final) from None
                return False
            try:
                self._commit()
            except BaseException as err:
                failed = True
                shutil.rmtree(self.path, ignore_errors=True)
                if isinstance(err, OSError):
                    raise _os_error(err, self.final) from None
                raise
            return False
        finally:
            self.lock.release()  # before the root is dropped: the lock file lives in it
            if failed:
                self._drop_empty_root()

    def _drop_empty_root(self) -> None:
        """A failed first build leaves no empty --out folder behind (only one it made itself)."""
        if self.created_root:
            try:
                self.out_root.rmdir()
            except OSError:
                pass

    def _commit(self) -> None:
        check_target(self.final, self.force)  # again: the folder may have appeared while we worked
        if os.path.lexists(self.final) and not self.final.is_dir():
            os.unlink(self.final)  # a file or link the user told us (--force) to replace
        if not os.path.lexists(self.final):
            os.rename(self.path, self.final)
        elif exchange(self.path, self.final):
            shutil.rmtree(self.path, ignore_errors=True)  # the staging path now holds the old folder
        else:
            old = self.out_root / f".{self.final.name}.{OLD}-{os.getpid()}"
            os.rename(self.final, old)
            os.rename(self.path, self.final)
            shutil.rmtree(old, ignore_errors=True)
        _fsync_dir(self.out_root)

    def write_manifest(self, info: dict[str, Any]) -> dict[str, str]:
        """Write manifest.json (``info``, osehw's ownership mark and the sha256 of every file staged);
        returns that file table."""
        files = {p.relative_to(self.path).as_posix(): sha256(p)
                 for p in sorted(self.path.rglob("*")) if p.is_file()}
        doc = dict(info, files=files, **{MARKER_FIELD: MARKER})
        target = self.file("manifest.json")
        target.write_text(json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
        return files
