"""Write docs/diagnostics.md from the registry of codes (``python tools/diagnostics_doc.py``).

``tests/diagnostics/test_codes.py`` fails when the page and the registry differ."""

from __future__ import annotations

import sys
from pathlib import Path

from deckgen.diagnostics import codes as C

PAGE = Path(__file__).resolve().parent.parent / "docs" / "diagnostics.md"
FAMILIES = {
    "E": "Errors: the post (or the command) could not be done",
    "S": "The source: encoding, front matter, Liquid",
    "M": "Markup the decks cannot show as the post means it",
    "L": "Links and the URL policy",
    "P": "Pictures",
    "T": "The layout",
    "A": "Accessibility",
    "O": "Outputs",
    "I": "Inputs of a folder build",
    "R": "reveal.js for the HTML deck",
    "D": "Edits read back from a deck (deckgen pull)",
}
INTRO = """# Diagnostics and their codes

Every problem deckgen reports is a diagnostic with a stable **code** (`P101`) and **name**
(`picture-unavailable`), a severity, a place (`file:line`), a message, a hint and its facts
(the URL, the reason...). A code keeps its meaning for good; a message may be reworded, so
scripts should read codes, for example from `deckgen check --output-format json`.

On the terminal a diagnostic is one line, its code last:

```
warning: lecture/x.md:12: https://example.org/a.png: HTTP 404 [P101]
lecture/x.md:30: link: scheme typo in 'ttps://x.org' (write https:// (or http://)) [L203]
deckgen: error: lecture/x.md:3: broken YAML front matter: ... (fix the YAML between the first two '---' lines) [E103]
```

Severities: **error** (the post, or the command, was not done: exit code 1, or 2 for bad input),
**warning** (built, but the deck shows something other than the post meant; `--strict` makes
it an error), **info** (a note, shown with `-v`), **hint** (a suggestion `check` shows).
The first hundreds (`x1xx`) are found while building; `x2xx` by `deckgen check`, which also
reports the picture (`P101`) and Liquid (`S103`) problems a build finds.

Many warnings of one code and reason in one file (33 pictures "host not found") print as one
line with a count; `-v` lists each.

This page is written from `src/deckgen/diagnostics/codes.py` by `python tools/diagnostics_doc.py`.
"""


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def page() -> str:
    out = [INTRO]
    for letter, title in FAMILIES.items():
        items = sorted((c for c in C.ALL if c.code[0] == letter), key=lambda c: c.code)
        if not items:
            continue
        out += [f"## {letter}: {title}", "", "| code | name | severity | message | example | what to do |"]
        out.append("|---|---|---|---|---|---|")
        for c in items:
            message = "(the error's own message)" if c.template == "{message}" else _cell(c.template)
            example = _cell(c.example.replace("`", "'"))
            out.append(
                f"| `{c.code}` | {c.name} | {c.severity.value} | {message} | `{example}` | {_cell(c.fix or c.hint)} |"
            )
        out.append("")
    return "\n".join(out)


if __name__ == "__main__":
    PAGE.write_text(page(), "utf-8")
    sys.stdout.write(f"wrote {PAGE}\n")
