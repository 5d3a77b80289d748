"""Per-machine zips: which files go in, and bytes fixed by their contents alone."""

import io
import zipfile

from osehw.site import bundles

FILES = sorted([
    "bom.csv", "bom.json", "cut-list.csv", "manifest.json", "model.step", "model.stl", "report.html",
    "parts/lid.dxf", "parts/lid.svg", "parts/production-list.csv", "figures/cost-cut_plan.svg",
    "sheets/grbl-hobby-800/hdpe-12.7-sheet-1.1-drill-5.nc", "sheets/grbl-hobby-800/hdpe-12.7-sheet-1.dxf",
    "sheets/grbl-hobby-800/hdpe-12.7-sheet-1.html", "sheets/grbl-hobby-800/hdpe-12.7-sheet-1.png",
    "sheets/grbl-hobby-800/hdpe-12.7-sheet-1.svg", "sheets/grbl-hobby-800/notes/extra.txt",
    "sheets/linuxcnc-4x8/hdpe-12.7-sheet-1.1-drill-5.ngc", "sheets/linuxcnc-4x8/hdpe-12.7-sheet-1.dxf",
])


def test_a_machines_zip_takes_its_sheet_files_the_cut_list_and_the_bom_and_nothing_of_another_machine():
    chosen = bundles.machine_files(FILES, "grbl-hobby-800")
    assert chosen == [
        "bom.csv", "cut-list.csv", "parts/production-list.csv",
        "sheets/grbl-hobby-800/hdpe-12.7-sheet-1.1-drill-5.nc", "sheets/grbl-hobby-800/hdpe-12.7-sheet-1.dxf",
        "sheets/grbl-hobby-800/hdpe-12.7-sheet-1.html", "sheets/grbl-hobby-800/hdpe-12.7-sheet-1.png",
        "sheets/grbl-hobby-800/hdpe-12.7-sheet-1.svg"]
    other = bundles.machine_files(FILES, "linuxcnc-4x8")
    assert [f for f in other if f.startswith("sheets/")] == [
        "sheets/linuxcnc-4x8/hdpe-12.7-sheet-1.1-drill-5.ngc", "sheets/linuxcnc-4x8/hdpe-12.7-sheet-1.dxf"]
    # a design without bar stock has no cut list: the zip simply has none
    assert "cut-list.csv" not in bundles.machine_files([f for f in FILES if f != "cut-list.csv"], "linuxcnc-4x8")


def test_entries_sit_in_one_folder_sheet_files_flat():
    assert bundles.arcname("sheets/grbl-hobby-800/a.nc", "x-grbl") == "x-grbl/a.nc"
    assert bundles.arcname("parts/production-list.csv", "x-grbl") == "x-grbl/parts/production-list.csv"


def test_zip_bytes_do_not_depend_on_order_or_time_and_carry_fixed_dates_and_modes(monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    entries = {"d/b.nc": b"G0 X0\n" * 100, "d/a.csv": b"item,qty\n"}
    data = bundles.zip_bytes(entries)
    assert data == bundles.zip_bytes(dict(reversed(list(entries.items()))))
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        infos = zf.infolist()
        assert [i.filename for i in infos] == ["d/a.csv", "d/b.nc"]
        assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
        assert {i.external_attr >> 16 for i in infos} == {0o100644}
        assert {i.create_system for i in infos} == {3}
        assert {n: zf.read(n) for n in zf.namelist()} == entries
        assert zf.testzip() is None


def test_source_date_epoch_stamps_the_entries(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14 22:13:20 UTC
    with zipfile.ZipFile(io.BytesIO(bundles.zip_bytes({"a": b"x"}))) as zf:
        assert zf.infolist()[0].date_time == (2023, 11, 14, 22, 13, 20)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")  # before 1980, which a zip cannot store: 1980 instead
    with zipfile.ZipFile(io.BytesIO(bundles.zip_bytes({"a": b"x"}))) as zf:
        assert zf.infolist()[0].date_time == (1980, 1, 1, 0, 0, 0)
