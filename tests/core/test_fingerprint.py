"""The build fingerprint: every input changes it, and a folder is up to date only when whole."""

import json

from osehw.core.fingerprint import KEY_FIELD, input_key, up_to_date
from osehw.core.staging import StagedOutput


def test_every_input_changes_the_key(tmp_path, monkeypatch):
    design = tmp_path / "d.yaml"
    design.write_text("design: node-enclosure\n")
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    base = input_key(design, {}, None)
    assert input_key(design, {}, None) == base  # deterministic
    assert input_key(design, {"vent": False}, None) != base
    assert input_key(design, {}, ["grbl-hobby-800"]) != base
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert input_key(design, {}, None) != base
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    design.write_text("design: node-enclosure\n# a comment changes the bytes\n")
    assert input_key(design, {}, None) != base


def test_a_folder_is_up_to_date_only_when_its_key_matches_and_every_file_is_intact(tmp_path):
    with StagedOutput(tmp_path, "demo") as stage:
        stage.file("a.txt").write_text("a")
        stage.file("sub/b.txt").write_text("b")
        stage.write_manifest({KEY_FIELD: "k1"})
    folder = tmp_path / "demo"
    assert json.loads((folder / "manifest.json").read_text())[KEY_FIELD] == "k1"
    assert up_to_date(folder, "k1") and not up_to_date(folder, "k2")
    (folder / "sub" / "b.txt").write_text("edited")
    assert not up_to_date(folder, "k1")
    (folder / "sub" / "b.txt").write_text("b")
    assert up_to_date(folder, "k1")
    (folder / "extra.txt").write_text("a file osehw did not list")
    assert not up_to_date(folder, "k1")
    (folder / "extra.txt").unlink()
    (folder / "a.txt").unlink()
    assert not up_to_date(folder, "k1")
    assert not up_to_date(tmp_path / "missing", "k1")


def test_a_composite_is_rebuilt_when_a_child_file_or_its_site_changes(tmp_path):
    child = tmp_path / "box.yaml"
    child.write_text("design: node-enclosure\n")
    site = tmp_path / "here.yaml"
    site.write_text("name: Here\nlatitude: 36.1\nlongitude: -79.95\nelevation_m: 273\ntimezone: Etc/GMT+5\n"
                    "weather: {source: clearsky}\n")
    kit = tmp_path / "kit.yaml"
    kit.write_text(f"design: composite\nsite: {site}\nparams:\n  children:\n    box: {{file: {child}}}\n")
    base = input_key(kit, {}, None)
    child.write_text("design: node-enclosure\nparams: {vent: false}\n")
    after_child = input_key(kit, {}, None)
    assert after_child != base
    site.write_text(site.read_text().replace("273", "274"))
    assert input_key(kit, {}, None) not in (base, after_child)


def test_a_tower_is_rebuilt_when_its_mount_file_changes(tmp_path):
    # the tower's `mount` names a design file (default designs/antenna-mount.yaml): it is an input too
    from osehw.core.fingerprint import referenced_files
    from osehw.core.paths import designs_dir

    mount = tmp_path / "mount.yaml"
    mount.write_text("design: antenna-mount\n")
    tower = tmp_path / "tower.yaml"
    tower.write_text(f"design: tower\nparams:\n  mount: {mount}\n")
    base = input_key(tower, {}, None)
    mount.write_text("design: antenna-mount\nparams: {slot_radius: 120}\n")
    assert input_key(tower, {}, None) != base
    default = tmp_path / "plain.yaml"
    default.write_text("design: tower\n")
    assert referenced_files(default) == [default, designs_dir() / "antenna-mount.yaml"]
