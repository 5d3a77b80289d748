"""Finding codes: every code the source can emit is declared, and an undeclared one is refused."""

import re
from pathlib import Path

import pytest

from osehw.core.findings import FINDING_CODES, Finding

SRC = Path(__file__).resolve().parents[2] / "src" / "osehw"


def test_every_code_in_the_source_is_declared():
    used = set()
    for path in SRC.rglob("*.py"):
        text = path.read_text()
        used |= set(re.findall(r'Finding\(\s*"([A-Z][A-Z_]+)"', text))
        used |= set(re.findall(r'\.add\(\s*"([A-Z][A-Z_]+)"', text))
    assert len(used) >= 25
    assert used <= set(FINDING_CODES), sorted(used - set(FINDING_CODES))


def test_an_undeclared_code_or_severity_is_refused():
    with pytest.raises(ValueError, match="not declared"):
        Finding("GCODE_TYPO", "error", "x", "y")
    with pytest.raises(ValueError, match="severity"):
        Finding("GCODE_PARSE", "fatal", "x", "y")
