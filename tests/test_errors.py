"""errors: the one exception root, the message's place, and the internal-bug error."""

from __future__ import annotations

from pathlib import Path

import pytest

from deckgen.errors import BuildError, DeckgenError, InputError, InternalError, unknown_kind, where


def test_a_message_starts_with_its_file_and_line_when_it_has_them() -> None:
    assert where(Path("p.md"), 4) == "p.md:4: "
    assert where("p.md") == "p.md: "
    assert where(None, 4) == ""
    assert str(InputError("broken", Path("p.md"), 2, hint="fix it")) == "p.md:2: broken (fix it)"


def test_a_kind_no_case_takes_is_an_internal_error_naming_it_not_an_assertion() -> None:
    with pytest.raises(InternalError) as caught:
        unknown_kind(3.5, "the test")  # type: ignore[arg-type]
    assert isinstance(caught.value, BuildError) and isinstance(caught.value, DeckgenError)
    assert caught.value.exit_code == 1
    assert str(caught.value) == "internal error: the test got a float, a kind it does not know (a bug in deckgen)"
