import pytest

from osehw.output import OutputPathError, StagedOutput, check_name, check_out_root


@pytest.mark.parametrize("bad", ["../x", "a/b", "..", "", "UPPER", ".hidden"])
def test_unsafe_names_are_refused(bad):
    with pytest.raises(OutputPathError):
        check_name(bad)


def test_out_root_cannot_be_the_project_or_its_sources(tmp_path):
    proj = tmp_path / "proj"
    (proj / "src").mkdir(parents=True)
    for bad in (proj, tmp_path, proj / "src", proj / "src" / "deeper", proj / "designs"):
        with pytest.raises(OutputPathError):
            check_out_root(bad, proj)
    assert check_out_root(proj / "outputs", proj) == (proj / "outputs").resolve()


def test_failed_build_leaves_old_outputs_and_no_staging(tmp_path):
    with StagedOutput(tmp_path, "demo") as stage:
        stage.file("a.txt").write_text("first")
    with pytest.raises(RuntimeError):
        with StagedOutput(tmp_path, "demo") as stage:
            stage.file("a.txt").write_text("half")
            raise RuntimeError("boom")
    assert (tmp_path / "demo" / "a.txt").read_text() == "first"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo"]


def test_files_cannot_escape_the_stage(tmp_path):
    with StagedOutput(tmp_path, "demo") as stage:
        with pytest.raises(OutputPathError):
            stage.file("../evil.txt")


def test_manifest_hashes_every_file(tmp_path):
    import hashlib
    import json

    with StagedOutput(tmp_path, "demo") as stage:
        stage.file("sub/b.txt").write_bytes(b"hello")
        stage.write_manifest({"design": "demo"})
    doc = json.loads((tmp_path / "demo" / "manifest.json").read_text())
    assert doc["files"] == {"sub/b.txt": hashlib.sha256(b"hello").hexdigest()}
