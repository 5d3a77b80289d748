"""The catalog's one CSV reader: rows to typed dataclasses, bad rows named by file, line, column and value."""

import csv
from dataclasses import dataclass

import pytest

from osehw import catalog
from osehw.catalog.materials import CatalogError
from osehw.catalog.power import batteries, controllers
from osehw.catalog.table import read_table
from osehw.core.paths import bom_dir


@dataclass(frozen=True)
class Thing:
    id: str
    mass_kg: float
    count: int
    voltages: tuple[int, ...]


def write(tmp_path, text):
    path = tmp_path / "things.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_rows_become_typed_dataclasses_and_extra_columns_are_ignored(tmp_path):
    path = write(tmp_path, "id,mass_kg,count,volts,source_date\na,1.5,3,12/24,2026-11-25\nb,2,1,48,2026-11-25\n")
    table = read_table(path, Thing, {"voltages": "volts"})
    assert table == {"a": Thing("a", 1.5, 3, (12, 24)), "b": Thing("b", 2.0, 1, (48,))}


@pytest.mark.parametrize("text, message", [
    ("id,mass_kg,count,voltages\na,1.5,3,12\nb,heavy,1,12\n", "line 3: mass_kg = 'heavy' is not a number"),
    ("id,mass_kg,count,voltages\na,1.5,2.5,12\n", "line 2: count = '2.5' is not a number"),
    ("id,mass_kg,voltages\na,1.5,12\n", "line 2: no column 'count'"),
    ("id,mass_kg,count,voltages\na,1,1,12\na,2,2,12\n", "line 3: id 'a' appears twice"),
])
def test_a_bad_row_is_named_by_file_line_column_and_value(tmp_path, text, message):
    path = write(tmp_path, text)
    with pytest.raises(CatalogError) as exc:
        read_table(path, Thing)
    assert str(exc.value) == f"{path}: {message}"


def test_a_missing_table_is_a_catalog_error_naming_it(tmp_path):
    with pytest.raises(CatalogError, match="nothing.csv: cannot read the table"):
        read_table(tmp_path / "nothing.csv", Thing)


def test_the_shipped_tables_read_as_the_csv_module_reads_them():
    """A second reading with the csv module alone: every battery's capacity (its column is named otherwise) and
    every controller's battery voltages, and each table's row count."""
    with (bom_dir() / "batteries.csv").open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert {r["id"]: float(r["capacity_ah_c20"]) for r in rows} == {k: b.capacity_ah for k, b in batteries().items()}
    with (bom_dir() / "charge_controllers.csv").open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert {r["id"]: [int(v) for v in r["battery_voltages"].split("/")] for r in rows} == {
        k: list(c.battery_voltages) for k, c in controllers().items()}
    for name, table in (("catalog.csv", catalog.items()), ("equipment.csv", catalog.equipment()),
                        ("stock_profiles.csv", catalog.stock_profiles())):
        with (bom_dir() / name).open(newline="", encoding="utf-8") as fh:
            assert len(list(csv.DictReader(fh))) == len(table) > 0
