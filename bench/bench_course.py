"""A whole course: cold, again unchanged, and again after one post was edited.

    python bench/bench_course.py [--course ../shared/course] [--work DIR] [--jobs N]

The posts are localized to ``../shared/tools/fakeweb.py`` (0 ms per answer) in ``--work``
(a fresh temporary folder unless given; give the same one again to skip the cold build's
downloads). Printed per step: wall, CPU (user + system of deckgen and its workers), peak
memory of the largest process, and which outputs were rewritten (targets: unchanged <= 1.5 s
and one edit <= 3 s; unchanged rewrites nothing, the course page included; one edit rewrites
only that post's decks, its card when its title slide changed, and the page when what it shows
changed).
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from benchtools import ROOT, bench_env, deckgen_cmd, fakeweb, localize, timed


def snapshot(out: Path) -> dict[str, int]:
    return {str(p.relative_to(out)): p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}


def rewritten(before: dict[str, int], after: dict[str, int]) -> list[str]:
    tops = {name.split("/")[0] for name, t in after.items() if before.get(name) != t}
    return sorted(tops - {".deckgen"})


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--course", type=Path, default=ROOT.parent / "shared" / "course")
    parser.add_argument("--work", type=Path)
    parser.add_argument("--jobs", type=int, default=0)
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="deckgen-course-"))
    with fakeweb() as port:
        posts = work / "course"
        for source in sorted(args.course.glob("*.md")):
            localize(source, posts / source.name, port)
        env = bench_env(work / "cache")
        out = work / "out"
        cmd = [*deckgen_cmd(), "build", str(posts), "--out", str(out), "-q"]
        if args.jobs:
            cmd += ["--jobs", str(args.jobs)]
        steps = [("first build (cold unless --work was built before)", None), ("unchanged", None)]
        steps.append(("one post edited", sorted(posts.glob("*.md"))[len(list(posts.glob("*.md"))) // 2]))
        for label, edit in steps:
            if edit is not None:
                edit.write_text(edit.read_text("utf-8") + "\n\nOne more line, edited.\n", "utf-8")
            before = snapshot(out) if out.exists() else {}
            run = timed(cmd, env)
            changed = rewritten(before, snapshot(out))
            shown = ", ".join(changed) if len(changed) <= 4 else f"{len(changed)} outputs"
            print(
                f"{label}: {run.wall:.1f} s wall, {run.cpu:.1f} s CPU, {run.peak_mb:.0f} MB peak, "
                f"exit {run.code}, rewritten: {shown}"
            )
    print(f"work folder: {work}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
