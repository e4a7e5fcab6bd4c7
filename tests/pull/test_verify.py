"""pull/verify.py: a change is kept only when the post, parsed again, reads as the deck does and
every other text as before; of several, those that read right are kept."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from deckgen.pull.plan import shown_canonical
from deckgen.pull.slideread import PLAIN
from deckgen.pull.textedit import Candidate, Edit
from deckgen.pull.units import parse_post
from deckgen.pull.verify import Verifier

POST = "---\ntitle: V\n---\n\n---\n## One\n- alpha\n- beta\n"


def test_only_the_changes_that_read_as_the_deck_does_are_kept(tmp_path: Path) -> None:
    post = tmp_path / "v.md"
    post.write_text(POST, "utf-8")
    now = dt.datetime(2024, 1, 1)
    parsed = parse_post(post, post.read_bytes(), now, "")
    text = parsed.text.text
    alpha = text.index("alpha")
    unit = parsed.units["0.0.0"]
    good = Candidate("a", 2, 7, [Edit(alpha, alpha + 5, "gamma")], [("replace", "0.0.0", shown_canonical(unit, (("gamma", PLAIN),)))])
    # says it makes "delta" of beta, but its edit also breaks the list into a heading
    beta = text.index("- beta")
    bad = Candidate("b", 2, 8, [Edit(beta, beta + 6, "# delta")], [("replace", "0.0.1", shown_canonical(unit, (("delta", PLAIN),)))])
    out, kept, refused = Verifier(parsed, now, "").accept([good, bad])
    assert (kept, refused) == ([good], [bad])
    assert out == POST.replace("alpha", "gamma")
