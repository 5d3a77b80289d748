"""Text put inside SVG and XML elements.

xml.sax.saxutils.escape does the same, but importing it imports urllib.request, and with it http.client
and ssl: about 0.1-0.16 s of every command that draws a sheet or a member, for three replacements.
"""

from __future__ import annotations

from html import escape as _escape


def xml_text(text: str) -> str:
    """``text`` with ``&``, ``<`` and ``>`` as entities (XML 1.0 §2.4: the characters element content may not
    hold as themselves; quotes need no escaping there)."""
    return _escape(text, quote=False)


__all__ = ["xml_text"]
