"""The outputs registry: discovery and each output's declared files."""

from osehw.outputs import OUTPUTS, discover


def test_discovery_finds_one_output_per_module_with_its_files():
    assert discover().names() == ["analysis-files", "bom", "cam", "cut-list", "member-drawings", "model",
                                  "part-drawings", "report"]
    assert OUTPUTS.get("cut-list").files == ("cut-list.csv",)
    assert OUTPUTS.get("model").files == ("model.step", "model.stl")
    assert OUTPUTS.get("bom").files == ("bom.csv", "bom.json")
