"""A design's build folder as the download page sees it: its manifest, checked against the files.

The page lists a SHA-256 for every download, so it is made only from
folders that osehw wrote (``manifest.json`` with osehw's mark) and whose
every file still has the hash that manifest records; anything else is bad
input naming the file, never a page that lists sums of edited files.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from osehw.core.errors import OsehwError
from osehw.core.staging import sha256, written_by_osehw

ECONOMICS = "economics"  # the analysis whose summary the page shows as the design's economics


class SiteInputError(OsehwError, ValueError):
    """A build folder the site cannot be made from (not osehw's, or changed since it was built)."""


@dataclass(frozen=True)
class BuiltDesign:
    variant: str
    folder: Path
    manifest: dict[str, Any] = field(repr=False)

    @property
    def files(self) -> list[str]:
        """Every file of the build folder, manifest.json included, sorted."""
        return sorted(set(self.manifest["files"]) | {"manifest.json"})

    @property
    def machines(self) -> list[str]:
        return sorted({s["machine"] for s in self.sheets})

    @property
    def sheets(self) -> list[dict[str, Any]]:
        return list((self.manifest.get("cam") or {}).get("sheets", []))

    @property
    def errors(self) -> int:
        return sum(1 for f in self.manifest.get("findings", []) if f.get("severity") == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.manifest.get("findings", []) if f.get("severity") == "warning")

    def analyses(self) -> dict[str, dict[str, Any]]:
        return {k: v for k, v in sorted((self.manifest.get("analyses") or {}).items()) if isinstance(v, dict)}

    def economics(self) -> tuple[str, dict[str, Any]] | None:
        """(analysis name, summary) of the design's economics analysis (its own first, else a child's)."""
        found = [(name, s) for name, s in self.analyses().items() if name.rsplit("/", 1)[-1] == ECONOMICS]
        return min(found, key=lambda item: item[0].count("/")) if found else None

    def figures(self) -> list[str]:
        return [f for f in self.files if f.startswith("figures/") and f.endswith(".svg")]


def read_build(root: Path, variant: str) -> BuiltDesign | None:
    """The build of ``variant`` under ``root``; None when it has not been built."""
    folder = root / variant
    if not (folder / "manifest.json").is_file():
        return None
    if not written_by_osehw(folder):
        raise SiteInputError(f"{folder}: its manifest.json was not written by osehw; "
                             f"run osehw build {variant} --out {root} --force")
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    files = manifest.get("files")
    if not isinstance(files, dict):
        raise SiteInputError(f"{folder / 'manifest.json'}: no 'files' table; run osehw build {variant} --out {root}")
    for rel, digest in sorted(files.items()):
        path = folder / rel
        if ".." in Path(rel).parts or Path(rel).is_absolute():
            raise SiteInputError(f"{folder / 'manifest.json'}: lists '{rel}', outside its folder")
        if not path.is_file():
            raise SiteInputError(f"{path}: listed in its manifest but missing; "
                                 f"run osehw build {variant} --out {root}")
        if sha256(path) != digest:
            raise SiteInputError(f"{path}: changed since osehw built it (SHA-256 differs from its manifest); "
                                 f"run osehw build {variant} --out {root}")
    return BuiltDesign(variant, folder, manifest)
