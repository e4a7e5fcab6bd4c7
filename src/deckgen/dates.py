"""The dates a build uses, so the same inputs give the same bytes.

Two dates matter. **The clock** is what Liquid's ``{{ site.time }}`` shows (the post's own
content): the time of the build, or ``SOURCE_DATE_EPOCH`` when it is set (reproducible builds
set it for exactly this). **The deck's date** is what the outputs carry as their creation
date (the .pptx's core properties, the PDF's ``CreationDate``): ``SOURCE_DATE_EPOCH`` when it
is set, else the post's date (its front matter ``date:``, else the ``YYYY-MM-DD-`` of its file
name), else :data:`NO_DATE`, never the time of the build. Times from ``SOURCE_DATE_EPOCH`` are
UTC, so the bytes do not depend on the machine's time zone.
"""

from __future__ import annotations

import datetime as dt
import re

from deckgen.errors import InputError

SOURCE_DATE_EPOCH = "SOURCE_DATE_EPOCH"
NO_DATE = dt.datetime(1980, 1, 1, tzinfo=dt.UTC)  # a post without a date: the earliest a ZIP entry holds
_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})$")


def source_date_epoch(value: str | None) -> dt.datetime | None:
    """``SOURCE_DATE_EPOCH`` (whole seconds since 1970, UTC) as a time; None when unset or empty.
    A value that is not a number of seconds is refused, as the specification asks."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    if not text.isdigit():
        raise InputError(
            f"{SOURCE_DATE_EPOCH}={text[:40]!r} is not a number of seconds since 1970",
            hint=f"set it to a whole number (git log -1 --format=%ct), or unset {SOURCE_DATE_EPOCH}",
        )
    try:
        return dt.datetime.fromtimestamp(int(text), dt.UTC)
    except (OverflowError, OSError, ValueError):
        raise InputError(
            f"{SOURCE_DATE_EPOCH}={text[:40]} is out of range", hint="give seconds since 1970, before the year 10000"
        ) from None


def clock(source_date: dt.datetime | None, now: dt.datetime | None) -> dt.datetime:
    """What ``{{ site.time }}`` shows: ``SOURCE_DATE_EPOCH``, else the clock given, else now."""
    return source_date or now or dt.datetime.now()


def deck_date(source_date: dt.datetime | None, post_date: str) -> dt.datetime:
    """The creation date the outputs carry: ``SOURCE_DATE_EPOCH``, else the post's day
    (``YYYY-MM-DD``, midnight UTC), else :data:`NO_DATE`."""
    if source_date is not None:
        return source_date.astimezone(dt.UTC)
    m = _DAY.match(post_date.strip())
    if m:
        try:
            return dt.datetime(int(m.group(1)), int(m.group(2)), int(m.group(3)), tzinfo=dt.UTC)
        except ValueError:
            pass
    return NO_DATE


__all__ = ["NO_DATE", "SOURCE_DATE_EPOCH", "clock", "deck_date", "source_date_epoch"]
