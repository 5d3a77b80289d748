"""Reading a build folder for the page: only osehw's own, and only as osehw wrote it."""

import json
import shutil

import pytest

from osehw.site.collect import SiteInputError, read_build
from tests.site.conftest import MACHINE, VARIANT


@pytest.fixture()
def copy(built_root, tmp_path):
    shutil.copytree(built_root / VARIANT, tmp_path / VARIANT)
    return tmp_path


def test_a_build_reads_back_with_its_machines_sheets_and_files(built_root):
    design = read_build(built_root, VARIANT)
    manifest = json.loads((built_root / VARIANT / "manifest.json").read_text())
    assert design.machines == [MACHINE]
    assert design.files == sorted(set(manifest["files"]) | {"manifest.json"})
    assert design.errors == sum(f["severity"] == "error" for f in manifest["findings"]) == 0
    assert design.economics() is None  # the antenna mount has no economics analysis


def test_a_design_not_built_is_none(tmp_path):
    assert read_build(tmp_path, VARIANT) is None


def test_a_file_changed_after_the_build_is_refused_naming_it_and_the_command(copy):
    target = copy / VARIANT / "bom.csv"
    target.write_text(target.read_text() + "extra,1\n")
    with pytest.raises(SiteInputError, match=r"bom\.csv: changed since osehw built it.*osehw build antenna-mount"):
        read_build(copy, VARIANT)
    target.unlink()
    with pytest.raises(SiteInputError, match=r"bom\.csv: listed in its manifest but missing"):
        read_build(copy, VARIANT)


def test_a_folder_osehw_did_not_write_is_refused(tmp_path):
    (tmp_path / VARIANT).mkdir()
    (tmp_path / VARIANT / "manifest.json").write_text('{"mine": true}')
    with pytest.raises(SiteInputError, match="not written by osehw"):
        read_build(tmp_path, VARIANT)


def test_a_manifest_naming_a_file_outside_its_folder_is_refused(copy):
    path = copy / VARIANT / "manifest.json"
    doc = json.loads(path.read_text())
    doc["files"]["../secret"] = "0" * 64
    path.write_text(json.dumps(doc))
    with pytest.raises(SiteInputError, match="outside its folder"):
        read_build(copy, VARIANT)


def test_economics_is_the_designs_own_before_a_childs(copy):
    path = copy / VARIANT / "manifest.json"
    doc = json.loads(path.read_text())
    doc["analyses"]["relay/economics"] = {"capital_usd": 1.0}
    doc["analyses"]["economics"] = {"capital_usd": 2.0}
    path.write_text(json.dumps(doc))
    assert read_build(copy, VARIANT).economics() == ("economics", {"capital_usd": 2.0})
