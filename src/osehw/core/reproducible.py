"""The build date stamped into file headers: ``SOURCE_DATE_EPOCH`` or none at all.

reproducible-builds.org's convention: a decimal count of seconds since
1970-01-01 00:00:00 UTC, set by whoever wants a real date in the files. Without
it, formats that need a date get a fixed one, so the same parameters give the
same bytes.
"""

from __future__ import annotations

import os
from datetime import datetime, timezone

from osehw.core.errors import OsehwError, quote_text

LATEST = 253402300799  # 9999-12-31 23:59:59 UTC: the last second a four-digit year can write


class SourceDateError(OsehwError, ValueError):
    """SOURCE_DATE_EPOCH is set to something that is not a usable date."""


def source_date_epoch() -> int | None:
    """SOURCE_DATE_EPOCH as whole seconds, None when unset or empty; SourceDateError when malformed."""
    raw = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not raw:
        return None
    if not raw.isdigit() or not raw.isascii():
        raise SourceDateError(f"SOURCE_DATE_EPOCH = '{quote_text(raw)}': must be a whole number of seconds "
                              f"since 1970-01-01 UTC (reproducible-builds.org)")
    value = int(raw)
    if value > LATEST:
        raise SourceDateError(f"SOURCE_DATE_EPOCH = {quote_text(raw)}: must be ≤ {LATEST} (9999-12-31 UTC)")
    return value


def source_datetime(default: datetime) -> datetime:
    """The build date as a naive UTC datetime: SOURCE_DATE_EPOCH when set, else ``default``."""
    epoch = source_date_epoch()
    if epoch is None:
        return default
    return datetime.fromtimestamp(epoch, tz=timezone.utc).replace(tzinfo=None)
