"""Is a design's output folder already what a build would write? A fingerprint of every input.

A build's outputs depend on: the design file's bytes and those of every file it
names (a composite's children, the site and its weather), the ``--set`` overrides,
the machine selection, ``SOURCE_DATE_EPOCH``, osehw's own code and templates
(``src/osehw``), and the data it reads (``cam/`` profiles, ``bom/`` catalogs).
:func:`input_key` hashes all of them (SHA-256, content not timestamps, so a
fresh clone and a touched file agree); the manifest records the key, and
:func:`up_to_date` says whether a folder was written from the same key and
is still whole. An unchanged ``osehw build`` then only hashes files: no
CadQuery import, no model, no CAM. A plain content-addressed check was
chosen over a cache library (diskcache…): the outputs folder already is the
store, and a second copy of every STEP and G-code file would only be
something more to keep in step.
"""

from __future__ import annotations

import hashlib
import json
import os
from functools import lru_cache
from pathlib import Path
from typing import Any

from osehw.core.paths import bom_dir, cam_dir

KEY_FIELD = "input_key"
_SOURCE_SUFFIXES = (".py", ".j2", ".yaml", ".yml", ".csv", ".json", ".html", ".txt")


def _tree_digest(root: Path, h: Any) -> None:
    if not root.is_dir():
        return
    for path in sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in _SOURCE_SUFFIXES
                       and "__pycache__" not in p.parts):
        h.update(path.relative_to(root).as_posix().encode() + b"\0")
        h.update(hashlib.sha256(path.read_bytes()).digest())


@lru_cache(maxsize=1)
def code_and_data_digest() -> bytes:
    """SHA-256 over osehw's code and templates and the cam/ and bom/ data folders."""
    h = hashlib.sha256(b"osehw-code-and-data-v1\0")
    for root in (Path(__file__).resolve().parents[1], cam_dir(), bom_dir()):
        h.update(str(root.name).encode() + b"\0")
        _tree_digest(root, h)
    return h.digest()


def referenced_files(design_file: Path, seen: frozenset[Path] = frozenset()) -> list[Path]:
    """The design file and every file it leads to: a composite's children's design files (and
    theirs), the design files its parameters name (``FILE_FIELDS``), the site file and its weather file. A file that cannot be read is left to the build,
    which reports it properly."""
    from osehw.core.design_files import FILE_FIELDS, resolve_design_file
    from osehw.core.params import ParamError, read_design_file
    from osehw.core.site import load_site

    path = design_file.resolve()
    if path in seen:
        return []
    out = [design_file]
    try:
        doc = read_design_file(design_file)
        if doc.site:
            site = load_site(doc.site, relative_to=design_file)
            out.append(Path(site.path))
            weather = site.weather_path()
            if weather is not None:
                out.append(weather)
        children = doc.params.get("children") or {}
        specs = list(children.values()) if isinstance(children, dict) else []
        specs += [v for k, v in sorted(doc.params.items()) if k != "children"]  # a node's `tower: {file: …}`
        for spec in specs:
            if isinstance(spec, dict) and isinstance(spec.get("file"), str):
                out += referenced_files(resolve_design_file(spec["file"]), seen | {path})
        for name, default in sorted(FILE_FIELDS.get(doc.design, {}).items()):
            named = doc.params.get(name, default)
            if isinstance(named, str):
                out += referenced_files(resolve_design_file(named), seen | {path})
    except (ParamError, OSError, ValueError):
        pass
    return out


def input_key(design_file: Path, overrides: dict[str, Any] | None, machines: list[str] | None) -> str:
    """The fingerprint of everything a build of ``design_file`` reads."""
    h = hashlib.sha256(b"osehw-build-v2\0")
    h.update(code_and_data_digest())
    for path in referenced_files(design_file):
        h.update(hashlib.sha256(path.read_bytes()).digest() if path.is_file() else b"missing")
    h.update(json.dumps(overrides or {}, sort_keys=True, default=str).encode() + b"\0")
    h.update(json.dumps(sorted(machines) if machines else None).encode() + b"\0")
    h.update(os.environ.get("SOURCE_DATE_EPOCH", "").encode())
    return h.hexdigest()


def up_to_date(folder: Path, key: str) -> bool:
    """True when ``folder`` was written from ``key`` and every file its manifest lists is intact."""
    from osehw.core.staging import sha256

    try:
        doc = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        if not isinstance(doc, dict) or doc.get(KEY_FIELD) != key:
            return False
        files = doc["files"]
        on_disk = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
        if on_disk != set(files) | {"manifest.json"}:
            return False
        return all(sha256(folder / rel) == digest for rel, digest in files.items())
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return False
