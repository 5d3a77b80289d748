"""Writing a design's outputs whole: into a staging folder beside the target, then moved into place.

A failed build leaves the previous outputs untouched and no half-written folder.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from pathlib import Path
from typing import Any

SAFE_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,99}$")


class OutputPathError(ValueError):
    pass


def check_name(name: str) -> str:
    """A design/variant name is one path component of safe characters (no '/', no '..')."""
    if not SAFE_NAME.match(name) or ".." in name:
        raise OutputPathError(f"design name '{name}' is not allowed: use lower-case letters, digits, '.', '_', '-'")
    return name


def check_out_root(out_root: Path, project_root: Path) -> Path:
    """--out must be a folder that is neither the project itself nor one of its parents or source folders."""
    out = out_root.resolve()
    proj = project_root.resolve()
    if out.exists() and not out.is_dir():
        raise OutputPathError(f"--out {out_root}: exists and is not a folder")
    guarded = [proj, *proj.parents] + [proj / d for d in ("src", "designs", "cam", "bom", "tests", ".git")]
    if out in guarded or any(p in out.parents for p in [proj / d for d in ("src", "designs", "cam", "bom", ".git")]):
        raise OutputPathError(f"--out {out_root}: refusing to write into the project's own folders")
    return out


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


class StagedOutput:
    """``with StagedOutput(out_root, name) as stage:`` write into ``stage.path``; on success it replaces
    ``out_root/name`` whole, on error it is removed."""

    def __init__(self, out_root: Path, name: str) -> None:
        self.final = out_root / check_name(name)
        self.path = out_root / f".{name}.staging-{os.getpid()}"

    def file(self, relative: str) -> Path:
        target = (self.path / relative).resolve()
        if self.path.resolve() not in target.parents:
            raise OutputPathError(f"output file '{relative}' would escape the output folder")
        target.parent.mkdir(parents=True, exist_ok=True)
        return target

    def __enter__(self) -> "StagedOutput":
        if self.path.exists():
            shutil.rmtree(self.path)
        self.path.mkdir(parents=True)
        return self

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        if exc_type is not None:
            shutil.rmtree(self.path, ignore_errors=True)
            return
        old = self.final.with_name(f".{self.final.name}.old-{os.getpid()}")
        if self.final.exists():
            os.replace(self.final, old)
        os.replace(self.path, self.final)
        shutil.rmtree(old, ignore_errors=True)

    def write_manifest(self, info: dict[str, Any]) -> dict[str, str]:
        """Write manifest.json (``info`` plus the sha256 of every file staged); returns that file table."""
        files = {p.relative_to(self.path).as_posix(): sha256(p)
                 for p in sorted(self.path.rglob("*")) if p.is_file()}
        doc = dict(info, files=files)
        target = self.file("manifest.json")
        target.write_text(json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
        return files
