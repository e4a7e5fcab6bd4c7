"""diagnostics/codes.py: the registry of codes: each unique and well formed, each makes a
diagnostic from its facts, and docs/diagnostics.md lists every code as the registry has it."""

from __future__ import annotations

import runpy
from pathlib import Path

from deckgen.diagnostics import Severity
from deckgen.diagnostics import codes as C

ROOT = Path(__file__).resolve().parents[2]


def test_the_codes_page_is_written_from_the_registry() -> None:
    tool = runpy.run_path(str(ROOT / "tools" / "diagnostics_doc.py"))
    written = (ROOT / "docs" / "diagnostics.md").read_text("utf-8")
    assert written == tool["page"](), "docs/diagnostics.md is stale: run python tools/diagnostics_doc.py"


def test_codes_are_unique_and_well_formed() -> None:
    assert len({c.code for c in C.ALL}) == len(C.ALL) == len({c.name for c in C.ALL})
    for c in C.ALL:
        assert c.code[0] in "ESMLPTIRAOD" and c.code[1:].isdigit(), c
        assert c.example and c.fix, c
        assert isinstance(c.severity, Severity)


def test_every_code_makes_a_diagnostic_from_its_facts() -> None:
    # a template is a format string: a brace meant as text must be doubled (S103's hint was not)
    for c in C.ALL:
        d = c("p.md", 1, **dict.fromkeys(c.fields(), "FACT"))
        assert (d.code, d.name, d.severity) == (c.code, c.name, c.severity)
        if c.fields():
            assert "FACT" in d.message + d.hint, c
    assert C.LIQUID_UNCLOSED("p.md", 4, text="{{ x").hint == "close it with }} or %}"
