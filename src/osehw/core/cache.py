"""A content-addressed cache of stage results, so a changed parameter redoes only the stages it feeds.

A stage's result is stored under the SHA-256 of everything it read: the
stage's name, osehw's code and data (:func:`osehw.core.fingerprint.
code_and_data_digest`, which covers the version, every catalog and profile
file) and the stage's own inputs (for CAM: the machines, and each sheet
part's recognised features and metadata, which are all CAM reads). A key
that matches therefore cannot hold a stale result; there is no invalidation
to get wrong.

The store is a plain folder of pickles (``<root>/<stage>/<key[:2]>/<key>.pickle``)
rather than a cache library such as diskcache: entries are written once and
never updated, so all that is needed is an atomic write (a temporary file
renamed into place) and a size cap, and a missing or corrupt entry is just a
miss. The folder is ``$OSEHW_CACHE_DIR``, else ``$XDG_CACHE_HOME/osehw``,
else ``~/.cache/osehw``; ``OSEHW_CACHE=0`` (or ``--no-cache``) turns it off.
It is only ever read by the user who wrote it (pickles are code: never
point it at a folder others can write).
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from pathlib import Path
from typing import Any

MAX_ENTRIES = 64  # per stage; the oldest are removed beyond it
PICKLE_PROTOCOL = 5


def default_root() -> Path | None:
    if os.environ.get("OSEHW_CACHE", "1") == "0":
        return None
    if os.environ.get("OSEHW_CACHE_DIR"):
        return Path(os.environ["OSEHW_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "osehw"


def stage_key(stage: str, *parts: Any) -> str:
    """SHA-256 over the stage name, osehw's code and data, and ``parts`` (pickled: plain values,
    dataclasses and shapely geometry pickle to the same bytes for the same content)."""
    from osehw.core.fingerprint import code_and_data_digest

    h = hashlib.sha256(f"osehw-stage-{stage}-v1\0".encode())
    h.update(code_and_data_digest())
    h.update(pickle.dumps(parts, protocol=PICKLE_PROTOCOL))
    return h.hexdigest()


class StageCache:
    def __init__(self, root: Path | None) -> None:
        self.root = root

    @classmethod
    def default(cls) -> "StageCache":
        return cls(default_root())

    def _path(self, stage: str, key: str) -> Path:
        assert self.root is not None
        return self.root / stage / key[:2] / f"{key}.pickle"

    def get(self, stage: str, key: str) -> Any | None:
        """The stored result, or None (no cache, no entry, or an entry that does not load)."""
        if self.root is None:
            return None
        path = self._path(stage, key)
        try:
            with path.open("rb") as fh:
                value = pickle.load(fh)  # noqa: S301 - the user's own cache folder, see module notes
            os.utime(path)  # recently used: kept longest by the size cap
            return value
        except FileNotFoundError:
            return None
        except Exception:  # a truncated or outdated entry is a miss; drop it
            path.unlink(missing_ok=True)
            return None

    def put(self, stage: str, key: str, value: Any) -> None:
        """Store ``value``; a cache that cannot be written is no error (the build does not need it)."""
        if self.root is None:
            return
        path = self._path(stage, key)
        tmp: Path | None = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
            tmp = Path(name)
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(value, fh, protocol=PICKLE_PROTOCOL)
            os.replace(tmp, path)
            tmp = None
            self._prune(stage)
        except (OSError, pickle.PicklingError, TypeError, AttributeError):
            if tmp is not None:
                tmp.unlink(missing_ok=True)

    def _prune(self, stage: str) -> None:
        entries = sorted((self.root / stage).glob("*/*.pickle"), key=lambda p: p.stat().st_mtime)  # type: ignore[operator]
        for old in entries[:-MAX_ENTRIES]:
            old.unlink(missing_ok=True)
