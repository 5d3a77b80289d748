"""One reader for the catalog's CSV tables (``bom/*.csv``): each row becomes a frozen dataclass, its columns
named as the dataclass's fields and converted by their types, so every table reports a bad row the same way —
file, line, column and value."""

from __future__ import annotations

import csv
import dataclasses
import typing
from pathlib import Path
from typing import Any, Callable, TypeVar

from osehw.catalog.materials import CatalogError

Row = TypeVar("Row")


def read_rows(path: Path) -> list[dict[str, str]]:
    try:
        with path.open(newline="", encoding="utf-8") as fh:
            return list(csv.DictReader(fh))
    except OSError as exc:
        raise CatalogError(f"{path}: cannot read the table: {exc.strerror or exc}") from None


def _converter(kind: Any) -> Callable[[str], Any]:
    """str, int and float as they are; a tuple of ints is written ``12/24/48`` (a cell may not hold commas)."""
    if kind in (str, int, float):
        return kind
    if typing.get_origin(kind) is tuple and typing.get_args(kind)[0] is int:
        return lambda text: tuple(int(v) for v in text.split("/"))
    raise TypeError(f"no CSV conversion for {kind!r}")


def read_table(path: Path, row_type: type[Row], columns: dict[str, str] | None = None) -> dict[str, Row]:
    """``{id: row_type(...)}`` from the CSV at ``path``. ``columns`` maps a field to a column named otherwise;
    columns the dataclass has no field for (``source_date``, ``confidence`` on some) are ignored. A missing
    column, a value of the wrong type or a repeated id raises :class:`CatalogError` naming the file, the line,
    the column and the value."""
    names = columns or {}
    hints = typing.get_type_hints(row_type)
    fields = [(f.name, names.get(f.name, f.name), _converter(hints[f.name])) for f in dataclasses.fields(row_type)]
    out: dict[str, Row] = {}
    for line, record in enumerate(read_rows(path), start=2):
        values = {}
        for field, column, convert in fields:
            if record.get(column) is None:
                raise CatalogError(f"{path}: line {line}: no column '{column}'")
            text = record[column]
            try:
                values[field] = convert(text)
            except ValueError:
                raise CatalogError(f"{path}: line {line}: {column} = {text!r} is not "
                                   f"{'a number' if convert in (int, float) else 'valid'}") from None
        row = row_type(**values)
        key = values["id"]
        if key in out:
            raise CatalogError(f"{path}: line {line}: id {key!r} appears twice")
        out[key] = row
    return out
