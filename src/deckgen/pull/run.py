"""``deckgen pull``'s front door: an edited deck in, the post's changes out (a unified diff),
written with ``write=True`` (the old post kept beside it first, the new one written whole).

1. read the deck and the map it carries (``deckread``);
2. find the post it was made from and refuse one that changed since (its SHA-256);
3. parse the post as the build did and list its texts (``units``);
4. match the deck's slides, shapes and paragraphs with the map (``match``);
5. write each change into the post's characters (``plan``, ``rewrite``, ``notes``);
6. parse the changed post again and keep only the changes it shows as the deck does (``verify``).
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import os
import time
from dataclasses import dataclass
from pathlib import Path

from deckgen.dates import SOURCE_DATE_EPOCH, source_date_epoch
from deckgen.diagnostics import Diagnostic
from deckgen.diagnostics import codes as C
from deckgen.errors import BuildError, InputError
from deckgen.pull.deckmap import POST, POST_SHA, Entry
from deckgen.pull.deckread import ReadDeck, read_deck
from deckgen.pull.match import Matcher
from deckgen.pull.plan import Planner
from deckgen.pull.slideread import TITLE
from deckgen.pull.textedit import Candidate
from deckgen.pull.units import lines_of, parse_post
from deckgen.pull.verify import Verifier
from deckgen.stamp import read_stamp

BACKUP_MARK = ".before-pull-"  # the old post kept beside it: NAME.before-pull-TIME~ (Jekyll skips NAME~)


@dataclass(frozen=True)
class PullResult:
    deck: Path
    post: Path
    before: str
    after: str
    diff: str  # unified, of the post ("" no change)
    changes: tuple[Candidate, ...]  # made
    findings: tuple[Diagnostic, ...]  # what was not carried over
    written: bool = False
    backup: Path | None = None
    seconds: float = 0.0


def post_candidates(deck: Path, props: dict[str, str]) -> list[Path]:
    """Where the post the deck names may be, most likely first: the build's record beside the
    deck, then its folder and name (``deckgen.post``) under the deck's folder or one above it,
    or here."""
    named = props.get(POST, "")
    if not named:
        raise InputError("the deck does not say which post it was made from", deck,
                         hint="give it with --post POST.md", code=C.PULL_POST_MISSING)
    rel = Path(named)
    if rel.is_absolute() or ".." in rel.parts:
        raise InputError(f"the deck names its post oddly ({named!r})", deck, hint="give it with --post POST.md",
                         code=C.PULL_POST_MISSING)
    folder = deck.resolve().parent
    found: list[Path] = []
    stamp = read_stamp(folder, rel)
    if stamp is not None and stamp.post and Path(stamp.post).name == rel.name:
        found.append(Path(stamp.post))
    for base in (folder, *folder.parents[:4], Path.cwd()):
        found.extend((base / rel, base / rel.name))
    return [p for p in dict.fromkeys(found) if p.is_file()]


def locate_post(deck: Path, props: dict[str, str], given: Path | None) -> Path:
    """The post the deck was made from: ``given``, else the first of :func:`post_candidates`
    holding the bytes the deck was made from, else the first there is."""
    if given is not None:
        if not given.is_file():
            raise InputError("no such post", given, hint="give the post the deck was built from", code=C.PULL_POST_MISSING)
        return given
    found = post_candidates(deck, props)
    if not found:
        raise InputError(
            f"the post this deck was made from ({props.get(POST, '')}) is not here",
            deck,
            hint="give it with --post POST.md",
            code=C.PULL_POST_MISSING,
        )
    want = props.get(POST_SHA, "")
    for path in found:
        try:
            if hashlib.sha256(path.read_bytes()).hexdigest() == want:
                return path
        except OSError:
            continue
    return found[0]


def _clock(deck: Path, post: Path, sha: str) -> dt.datetime:
    """The time Liquid showed when the deck was built: the build's record, else SOURCE_DATE_EPOCH, else now."""
    stamp = read_stamp(deck.resolve().parent, post)
    if stamp is not None and stamp.clock and stamp.post_sha256 == sha:
        try:
            return dt.datetime.fromisoformat(stamp.clock)
        except ValueError:
            pass
    return source_date_epoch(os.environ.get(SOURCE_DATE_EPOCH)) or dt.datetime.now()


def _titles(read: ReadDeck, text_of: object) -> dict[int, str]:
    out: dict[int, str] = {}
    for i, page in enumerate(read.map.pages):
        for shape in page.shapes:
            if shape.slot == TITLE and shape.entries:
                found = text_of(shape.entries[0])  # type: ignore[operator]
                out[i] = (found or "").strip() or f"slide {i + 1}"
    return out


def _pulled_from(post: Path, sha: str) -> Path | None:
    """The backup a pull kept of the very post the deck was made from, if there is one."""
    for kept in sorted(post.parent.glob(f"{post.name}{BACKUP_MARK}*~"), reverse=True):
        try:
            if hashlib.sha256(kept.read_bytes()).hexdigest() == sha:
                return kept
        except OSError:
            continue
    return None


def backup_name(post: Path, when: float) -> Path:
    stamp = int(when)
    while True:
        name = post.with_name(f"{post.name}{BACKUP_MARK}{dt.datetime.fromtimestamp(stamp):%Y%m%d-%H%M%S}~")
        if not os.path.lexists(name):
            return name
        stamp += 1


NO_NEWLINE = "\\ No newline at end of file\n"


Opcode = tuple[str, int, int, int, int]


def unified_diff(before: str, after: str, name: str, context: int = 3) -> str:
    """The change as a unified diff ``patch -p1`` and ``git apply`` take (lines with the post's
    own line ends): a last line without a line end is marked so, as diff and git write it. The
    lines the two share at the start and the end are set aside first, so a blank line (common
    in a post, which difflib's heuristics then ignore) shows as unchanged."""
    a, b = lines_of(before), lines_of(after)
    head = 0
    while head < min(len(a), len(b)) and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < min(len(a), len(b)) - head and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    if head == len(a) == len(b):
        return ""
    middle = difflib.SequenceMatcher(None, a[head : len(a) - tail], b[head : len(b) - tail], autojunk=len(a) > 2000)
    ops: list[Opcode] = [("equal", 0, head, 0, head)] if head else []
    ops += [(tag, i1 + head, i2 + head, j1 + head, j2 + head) for tag, i1, i2, j1, j2 in middle.get_opcodes()]
    if tail:
        ops.append(("equal", len(a) - tail, len(a), len(b) - tail, len(b)))
    out = [f"--- a/{name}\n", f"+++ b/{name}\n"]
    for hunk in _hunks(ops, context):
        out.append(f"@@ -{_span(hunk[0][1], hunk[-1][2])} +{_span(hunk[0][3], hunk[-1][4])} @@\n")
        for tag, i1, i2, j1, j2 in hunk:
            if tag == "equal":
                out += [f" {line}" for line in a[i1:i2]]
            else:
                out += [f"-{line}" for line in a[i1:i2]] + [f"+{line}" for line in b[j1:j2]]
    return "".join(line if line.endswith("\n") else f"{line}\n{NO_NEWLINE}" for line in out)


def _hunks(ops: list[Opcode], n: int) -> list[list[Opcode]]:
    """The changes with ``n`` unchanged lines around each, those closer than ``2n`` in one hunk."""
    hunks: list[list[Opcode]] = []
    current: list[Opcode] = []
    for k, (tag, i1, i2, j1, j2) in enumerate(ops):
        if tag != "equal":
            current.append((tag, i1, i2, j1, j2))
            continue
        if not current:  # before the first change: its last n lines
            if k + 1 < len(ops):
                current.append((tag, max(i1, i2 - n), i2, max(j1, j2 - n), j2))
            continue
        if k + 1 == len(ops) or i2 - i1 > 2 * n:  # after a change: its first n lines close the hunk
            current.append((tag, i1, min(i2, i1 + n), j1, min(j2, j1 + n)))
            hunks.append(current)
            current = [(tag, max(i1, i2 - n), i2, max(j1, j2 - n), j2)] if k + 1 < len(ops) else []
        else:
            current.append((tag, i1, i2, j1, j2))
    if any(op[0] != "equal" for op in current):
        hunks.append(current)
    return hunks


def _span(start: int, stop: int) -> str:
    """A hunk's lines as unified diffs write them: ``first,count`` (1-based; an empty one names the line before)."""
    count = stop - start
    if count == 1:
        return str(start + 1)
    return f"{start + 1 if count else start},{count}"


def pull_deck(deck: Path, post: Path | None = None, write: bool = False) -> PullResult:
    """Read the edits of ``deck`` back into its post (see the module's note); raises ``InputError``
    (one line) for a deck or post that cannot be pulled."""
    started = time.perf_counter()
    read = read_deck(deck)
    source = locate_post(deck, read.properties, post)
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read the post: {exc.strerror}", source, code=C.PULL_POST_MISSING) from None
    sha = hashlib.sha256(data).hexdigest()
    want = read.properties.get(POST_SHA, "")
    if want and sha != want:
        pulled = _pulled_from(source, want)
        if pulled is not None:
            raise InputError(
                f"this deck was pulled into the post already (the post before: {pulled.name})",
                source,
                hint="build the post again, and edit the new deck",
                code=C.PULL_POST_CHANGED,
            )
        raise InputError(
            "the post changed since this deck was built" + (" (--post is another version)" if post else ""),
            source,
            hint="pull before you edit the post, or pass --post with the version the deck was built from",
            code=C.PULL_POST_CHANGED,
        )
    now = _clock(deck, source, sha)
    site = read.map.site
    parsed = parse_post(source, data, now, site)
    planner = Planner(parsed, read.map)

    def text_of(entry: Entry) -> str | None:
        return planner.old_text(entry)

    changes = Matcher(read, _titles(read, text_of), text_of).run()
    candidates = planner.plan(changes)
    after, kept, refused = Verifier(parsed, now, site).accept(candidates)
    findings = [*changes.findings, *planner.findings]
    for change in refused:
        findings.append(
            C.PULL_TEXT_UNMAPPED(source, change.line or None, slide=change.slide, what=change.what,
                                 why="the post would not read as the deck does once changed",
                                 todo="make the change in the post by hand")
        )
    before = parsed.text.text
    diff = unified_diff(parsed.text.restore(before), parsed.text.restore(after), source.name)
    written, backup = False, None
    if write and after != before:
        backup = _write(source, data, parsed.text.encode(after))
        written = True
    return PullResult(
        deck, source, before, after, diff, tuple(kept), tuple(findings), written, backup, time.perf_counter() - started
    )


def _write(post: Path, old: bytes, new: bytes) -> Path:
    """Keep the old post beside it (a new file, never one that exists), then write the new one
    whole. A read-only post is left alone: replacing it would get round what its mode says."""
    from deckgen.fileio import atomic_write

    target = post.resolve()
    mode = os.stat(target).st_mode & 0o7777
    if not mode & 0o222 or not os.access(target, os.W_OK):
        raise BuildError("the post is read-only; not written", post, hint="chmod u+w it, or pull without --write and apply the diff by hand",
                         code=C.PULL_POST_UNWRITABLE)
    backup = backup_name(target, time.time())
    try:
        with open(backup, "xb") as handle:
            handle.write(old)
        atomic_write(target, new)
        os.chmod(target, mode)
    except OSError as exc:
        raise BuildError(f"cannot write the post: {exc.strerror}", post, hint="the post is unchanged",
                         code=C.PULL_POST_UNWRITABLE) from None
    return backup


__all__ = ["BACKUP_MARK", "PullResult", "backup_name", "locate_post", "post_candidates", "pull_deck", "unified_diff"]
