"""Zips to download: per design and per machine, everything a maker needs to cut it.

A zip holds one folder, ``<variant>-<machine>/``, with the machine's G-code
programs, sheet DXFs and setup sheets (and their toolpath pictures), the cut
list and the bill of materials. The bytes are fixed for fixed contents: entries
in sorted order, each with the same date (1980-01-01, the earliest a zip can
store — APPNOTE.TXT 4.4.6 — or SOURCE_DATE_EPOCH), Unix mode 0644, and one
deflate level.
"""

from __future__ import annotations

import io
import zipfile
from datetime import datetime
from pathlib import Path

from osehw.core.reproducible import source_datetime

ZIP_EPOCH = datetime(1980, 1, 1)  # MS-DOS dates start here (APPNOTE.TXT 4.4.6)
SHEET_SUFFIXES = {".nc", ".ngc", ".tap", ".dxf", ".html", ".svg", ".png"}  # programs, drawings, setup sheets
SHARED_FILES = ("bom.csv", "cut-list.csv", "parts/production-list.csv")
UNIX = 3  # ZipInfo.create_system: the mode in external_attr is a Unix one
FILE_MODE = 0o100644  # a regular file, rw-r--r--


def machine_files(files: list[str], machine: str) -> list[str]:
    """The files of one machine's zip, as paths in the design's build folder, sorted.

    ``files`` are the build folder's files (its manifest's list)."""
    folder = f"sheets/{machine}/"
    chosen = [f for f in files if f.startswith(folder) and "/" not in f[len(folder):]
              and Path(f).suffix in SHEET_SUFFIXES]
    chosen += [f for f in SHARED_FILES if f in files]
    return sorted(chosen)


def arcname(path: str, top: str) -> str:
    """Where a build file goes in the zip: the machine's sheet files and the shared files side by side."""
    return f"{top}/{Path(path).name if path.startswith('sheets/') else path}"


def zip_bytes(entries: dict[str, bytes]) -> bytes:
    """A zip of ``{name: bytes}`` with fixed dates, modes and order."""
    stamp = max(source_datetime(ZIP_EPOCH), ZIP_EPOCH)  # a zip cannot hold a date before 1980
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, date_time=stamp.timetuple()[:6])
            info.create_system = UNIX
            info.external_attr = FILE_MODE << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, entries[name], compresslevel=9)
    return buf.getvalue()


def machine_zip(build_folder: Path, files: list[str], top: str, machine: str) -> tuple[bytes, list[str]]:
    """(the zip's bytes, its entry names) for one machine of one design."""
    entries = {arcname(f, top): (build_folder / f).read_bytes() for f in machine_files(files, machine)}
    return zip_bytes(entries), sorted(entries)
