"""The sheet list: each nested sheet's use and the remnant, one CSV row a sheet."""

from __future__ import annotations

import csv
import io

from osehw.cam.drawings.sheet_list import HEADER, SheetRow, sheet_list_csv
from osehw.cam.nesting.remnant import Remnant, SheetUse


def test_rows_give_each_sheets_use_and_the_last_sheets_fill_and_remnant():
    util = (0.731234, 0.604, 0.11849)
    strip = Remnant(2, 412.375, 0.0, 800.0, 800.0, util[2])
    rows = [SheetRow("hdpe-12.7", 800.0, 800.0, n, SheetUse(k, util, strip if k == 2 else None))
            for k, n in enumerate((9, 14, 3))]
    rows.append(SheetRow("plywood-12", 2440.0, 1220.0, 4, SheetUse(0, (0.75,), None)))
    got = list(csv.reader(io.StringIO(sheet_list_csv(rows))))
    assert tuple(got[0]) == HEADER
    assert got[1:] == [
        ["hdpe-12.7", "1", "3", "800", "800", "9", "0.7312", "", "", "", "", ""],
        ["hdpe-12.7", "2", "3", "800", "800", "14", "0.6040", "", "", "", "", ""],
        ["hdpe-12.7", "3", "3", "800", "800", "3", "0.1185", "0.1185", "412.375", "0", "800", "800"],
        ["plywood-12", "1", "1", "2440", "1220", "4", "0.7500", "0.7500", "", "", "", ""],
    ]
