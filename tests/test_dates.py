"""The dates a build uses: the clock Liquid shows and the date the outputs carry."""

from __future__ import annotations

import datetime as dt

import pytest

from deckgen.dates import NO_DATE, clock, deck_date, source_date_epoch
from deckgen.errors import InputError

EPOCH = dt.datetime(2024, 9, 1, 8, 30, tzinfo=dt.UTC)


def test_source_date_epoch_is_utc_seconds_and_unset_when_empty() -> None:
    assert source_date_epoch(None) is None
    assert source_date_epoch("") is None and source_date_epoch("  ") is None
    assert source_date_epoch(str(int(EPOCH.timestamp()))) == EPOCH
    assert source_date_epoch(" 0 ") == dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


@pytest.mark.parametrize("value", ["yesterday", "-5", "1.5", "1e9", "99999999999999999999"])
def test_a_malformed_source_date_epoch_is_refused(value: str) -> None:
    with pytest.raises(InputError) as caught:
        source_date_epoch(value)
    assert caught.value.exit_code == 2 and caught.value.hint


def test_the_clock_is_source_date_epoch_then_the_given_time_then_now() -> None:
    day = dt.datetime(2026, 1, 2, 10, 0)
    assert clock(EPOCH, day) == EPOCH
    assert clock(None, day) == day
    assert abs((clock(None, None) - dt.datetime.now()).total_seconds()) < 60


def test_the_deck_date_is_source_date_epoch_then_the_post_date_then_a_fixed_one() -> None:
    assert deck_date(EPOCH, "2024-03-05") == EPOCH
    assert deck_date(None, "2024-03-05") == dt.datetime(2024, 3, 5, tzinfo=dt.UTC)
    for no_date in ("", "next monday", "2024-02-30", "2024-3-5"):
        assert deck_date(None, no_date) == NO_DATE
    local = dt.datetime(2024, 9, 1, 16, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    assert deck_date(local, "") == EPOCH  # always in UTC
