"""docs/diagnostics.md lists every code as the registry has it."""

from __future__ import annotations

import runpy
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_codes_page_is_written_from_the_registry() -> None:
    tool = runpy.run_path(str(ROOT / "tools" / "diagnostics_doc.py"))
    written = (ROOT / "docs" / "diagnostics.md").read_text("utf-8")
    assert written == tool["page"](), "docs/diagnostics.md is stale: run python tools/diagnostics_doc.py"
