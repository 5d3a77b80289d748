"""xml_text against the standard library's XML escaping and an XML parser reading it back."""

import xml.etree.ElementTree as ET
from xml.sax.saxutils import escape

import pytest

from osehw.core.xml_text import xml_text


@pytest.mark.parametrize("text", ["plain", "a & b < c > d", "&amp; already", "\"quoted\" 'x'", "Ø13 × 90°", ""])
def test_same_as_saxutils_and_read_back_whole(text):
    assert xml_text(text) == escape(text)
    assert (ET.fromstring(f"<t>{xml_text(text)}</t>").text or "") == text
