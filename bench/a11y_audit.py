"""axe-core and the phone view over built HTML decks: violations per deck and size, phone metrics.

    python bench/a11y_audit.py DECK_DIR [DECK_DIR ...] [--sizes 1280x720,320x640] [--phone-per-slide] [--json OUT]

Each DECK_DIR holds an ``index.html`` (``python bench/build_local.py OUT POST.md`` builds them).
axe-core comes from ``.ci/node`` (``npm install --prefix .ci/node axe-core@4``) or ``$DECKGEN_AXE_JS``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests")]

from support.a11ycheck import audit_deck  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("decks", nargs="+", type=Path)
    parser.add_argument("--sizes", default="1280x720,320x640")
    parser.add_argument("--phone-per-slide", action="store_true", help="on a phone too, axe after each slide")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    sizes = [tuple(int(n) for n in s.split("x")) for s in args.sizes.split(",")]
    out = []
    bad = 0
    for deck in args.decks:
        audits = audit_deck(deck, tuple(sizes), phone_per_slide=args.phone_per_slide)
        for (w, h), audit in audits.items():
            row: dict[str, object] = {"deck": deck.name, "size": f"{w}x{h}", "slides": audit.slides}
            row["violations"] = len(audit.violations)
            row["rules"] = audit.rules()
            line = f"{deck.name} {w}x{h}: {audit.slides} slides, {len(audit.violations)} violations {audit.rules()}"
            if audit.phone is not None:
                p = audit.phone
                widths = [wd for _, wd in p.pictures]
                row["phone"] = {
                    "scroll_width": p.scroll_width,
                    "text_median": p.text_median,
                    "text_min": p.text_min,
                    "pictures": len(widths),
                    "picture_width_min": min(widths, default=0),
                    "picture_width_max": max(widths, default=0),
                    "in_order": p.order == p.ids,
                    "unreachable": len(p.unreachable),
                }
                line += f"\n  phone: {row['phone']}"
            for v in audit.violations[:8]:
                line += "\n  " + v.line()
            for problem in audit.console_errors + audit.network_requests:
                line += f"\n  page error or request: {problem[:200]}"
            print(line, flush=True)
            bad += len(audit.violations)
            out.append(row)
    if args.json:
        args.json.write_text(json.dumps(out, indent=1), "utf-8")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
