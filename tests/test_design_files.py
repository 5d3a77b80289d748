"""Every shipped design file builds and passes every check CI runs (all machine profiles)."""

import pytest

from osehw.core.design_files import design_files
from osehw.pipeline import BuildPipeline, load


@pytest.mark.parametrize("path", design_files(), ids=lambda p: p.stem)
def test_every_design_file_builds_and_passes_its_checks(path):
    pipe = BuildPipeline()
    result = pipe.run(pipe.start(load(str(path))), "check")
    assert not result.errors, [f"{f.code} {f.subject}: {f.message}" for f in result.errors]
    if result.design.all_sheet_parts():  # a power system has no sheet parts
        assert result.cam is not None and result.cam.sheets
    assert result.bom_total_usd > 0
