"""The one base of every error osehw raises about its input or its environment.

The CLI turns any :class:`OsehwError` into one line per problem and exit
status 2, so a module's own error class (``FeedsError``, ``PostError``…)
never escapes as a traceback: it only has to derive from this base.
"""

from __future__ import annotations

MAX_QUOTED = 80  # characters of a bad value quoted back in an error line


class OsehwError(Exception):
    """Bad input or an unusable environment: reported as one line per problem, exit 2."""

    def lines(self) -> list[str]:
        return [quote_text(str(self), 400)]


def quote_text(text: str, limit: int = MAX_QUOTED) -> str:
    """``text`` shortened to ``limit`` characters, with how much was left out, on one line."""
    flat = text.replace("\r", "\\r").replace("\n", "\\n")
    if len(flat) <= limit:
        return flat
    return f"{flat[:limit]}… ({len(flat):,} characters)"
