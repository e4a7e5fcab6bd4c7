"""errors: the one exception root, the message's place, and the internal-bug error."""

from __future__ import annotations

from pathlib import Path

import pytest

from deckgen.diagnostics import codes as C
from deckgen.errors import BuildError, DeckgenError, InputError, InternalError, ThemeError, unknown_kind


def test_a_message_starts_with_its_file_and_line_when_it_has_them() -> None:
    # where() itself is tested with the renderings (tests/diagnostics/test_render.py)
    assert str(InputError("broken", Path("p.md"), 2, hint="fix it")) == "p.md:2: broken (fix it)"
    assert str(InputError("broken", Path("p.md"))) == "p.md: broken"
    assert str(BuildError("cannot write")) == "cannot write"


def test_an_error_is_a_diagnostic_with_its_code() -> None:
    error = InputError("broken YAML", Path("p.md"), 2, hint="fix it", code=C.FRONT_MATTER_INVALID)
    found = error.diagnostic
    assert (found.code, found.severity, found.file, found.line) == ("E103", "error", "p.md", 2)
    assert (found.message, found.hint) == ("broken YAML", "fix it")
    # each kind of error has its own code unless it is given one
    assert InputError("x").code is C.INPUT_ERROR and ThemeError("x").code is C.THEME_INVALID
    assert BuildError("x").code is C.BUILD_FAILED and InternalError("x").code is C.INTERNAL_ERROR


def test_an_error_survives_a_process_pool_with_its_place_code_and_details() -> None:
    import pickle

    error = InternalError("internal error: boom", Path("p.md"), 3, hint="a bug in deckgen", code=C.INTERNAL_ERROR)
    error.details = "Traceback ..."
    back = pickle.loads(pickle.dumps(error))
    assert type(back) is InternalError and str(back) == str(error)
    assert back.diagnostic == error.diagnostic and back.details == "Traceback ..."


def test_a_kind_no_case_takes_is_an_internal_error_naming_it_not_an_assertion() -> None:
    with pytest.raises(InternalError) as caught:
        unknown_kind(3.5, "the test")  # type: ignore[arg-type]
    assert isinstance(caught.value, BuildError) and isinstance(caught.value, DeckgenError)
    assert caught.value.exit_code == 1
    assert str(caught.value) == "internal error: the test got a float, a kind it does not know (a bug in deckgen)"
