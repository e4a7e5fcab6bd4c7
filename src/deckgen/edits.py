"""An edited output is never lost: what deckgen wrote is recorded, and a build that would
replace anything else keeps it aside first.

Every build records each file it puts in place (:class:`deckgen.stamp.FileRecord`: SHA-256,
size, modification time) in the post's stamp. Before a build replaces an output it compares
what is there with that record. An output is

* ``written``: its bytes are what deckgen wrote (for the HTML deck's folder: every file, and
  no file more or less);
* ``edited``: a recorded output whose bytes differ (a title fixed in PowerPoint, a picture
  swapped in the HTML deck's folder);
* ``unknown``: there is no record of it (a file deckgen did not write, or whose record was
  deleted);
* ``absent``.

An edited or unknown output is renamed, not copied, to ``NAME.edited-YYYYMMDD-HHMMSS.EXT``
beside the new one (a folder: ``NAME.edited-YYYYMMDD-HHMMSS``), the time being its last
modification, so the copies sort by when they were edited; the rename is said in one line
(``O101``/``O102``) and remembered in the stamp (``kept``). ``--discard-edits`` replaces it
instead (``O103``). Nothing here ever deletes a kept copy.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from deckgen.diagnostics import Diagnostic, Diagnostics
from deckgen.diagnostics import codes as C
from deckgen.errors import BuildError
from deckgen.stamp import FileRecord, Kept, Stamp

State = Literal["absent", "written", "edited", "unknown"]
KEPT_MARK = ".edited-"  # what a kept copy's name holds, before its time
CODES = frozenset({C.OUTPUT_EDITED_KEPT.code, C.OUTPUT_UNKNOWN_KEPT.code, C.OUTPUT_EDITS_DISCARDED.code})
_CHUNK = 1 << 20


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(_CHUNK):
            h.update(block)
    return h.hexdigest()


def record_of(path: Path) -> FileRecord:
    st = os.lstat(path)
    return FileRecord(sha256_of(path), st.st_size, st.st_mtime_ns)


def files_under(target: Path) -> list[Path]:
    """The files an output is made of: itself, or every file under its folder (links not followed)."""
    if not target.is_dir() or target.is_symlink():
        return [target]
    found: list[Path] = []
    for root, dirs, names in os.walk(target):
        dirs.sort()
        found.extend(Path(root) / name for name in sorted(names))
        found.extend(Path(root) / name for name in dirs if os.path.islink(os.path.join(root, name)))
    return found


Records = dict[str, FileRecord]  # an output's files by their path inside it ("" for a file)


def records_under(output: Path) -> Records:
    """The record of each file of an output (a deck made but not yet in place: renaming it
    keeps every file's bytes, size and modification time, so the records stay true)."""
    records: Records = {}
    for path in files_under(output):
        try:
            rel = "" if path == output else Path(os.path.relpath(path, output)).as_posix()
            records[rel] = record_of(path)
        except OSError:
            pass  # gone already: no record, so it is never taken as ours
    return records


def _rel(path: Path, out_dir: Path) -> str:
    return Path(os.path.relpath(path, out_dir)).as_posix()


def top_outputs(files: Iterable[str]) -> list[str]:
    """The outputs a record's files belong to: ``x.pptx``, ``x`` (the HTML deck's folder)."""
    return list(dict.fromkeys(rel.split("/", 1)[0] for rel in files))


def _same(path: Path, record: FileRecord) -> bool:
    try:
        st = os.lstat(path)
        if st.st_size != record.size:
            return False
        return st.st_mtime_ns == record.mtime_ns or sha256_of(path) == record.sha256
    except OSError:
        return False


def state_of(target: Path, out_dir: Path, stamp: Stamp | None) -> State:
    """What is at ``target`` (an output) compared with what the stamp says deckgen wrote there."""
    if not os.path.lexists(target):
        return "absent"
    if stamp is None:
        return "unknown"
    rel = _rel(target, out_dir)
    recorded = {k: v for k, v in stamp.files.items() if k == rel or k.startswith(rel + "/")}
    if not recorded:
        return _legacy_state(target, rel, stamp)
    present = {_rel(p, out_dir): p for p in files_under(target)}
    if present.keys() != recorded.keys():
        return "edited"
    return "written" if all(_same(present[k], r) for k, r in recorded.items()) else "edited"


def _legacy_state(target: Path, rel: str, stamp: Stamp) -> State:
    """A stamp from before records were kept (version 2) lists its outputs only: one not
    modified since the stamp was written is taken as written."""
    if stamp.version >= 3 or not any(o == rel or o.startswith(rel + "/") for o in stamp.outputs):
        return "unknown"
    try:
        latest = max(os.lstat(p).st_mtime_ns for p in files_under(target))
    except (OSError, ValueError):
        return "unknown"
    return "written" if latest <= stamp.recorded_ns else "edited"


def same_content(a: Path, b: Path) -> bool:
    """Do two outputs (files, or folders file by file) hold the same bytes?"""
    try:
        left = {Path(os.path.relpath(p, a)).as_posix(): p for p in files_under(a)}
        right = {Path(os.path.relpath(p, b)).as_posix(): p for p in files_under(b)}
        if left.keys() != right.keys() or any(os.path.islink(p) for p in (*left.values(), *right.values())):
            return False
        for rel, path in left.items():
            other = right[rel]
            if os.path.getsize(path) != os.path.getsize(other) or sha256_of(path) != sha256_of(other):
                return False
    except OSError:
        return False
    return True


def kept_name(target: Path) -> Path:
    """A free name beside ``target`` saying it is an edited copy, with its last modification time
    (``x.edited-20261207-104512.pptx``; a folder ``x.edited-20261207-104512``)."""
    try:
        seconds = max(os.lstat(p).st_mtime for p in files_under(target))
    except (OSError, ValueError):
        seconds = os.lstat(target).st_mtime
    stem, ext = (target.stem, target.suffix) if not target.is_dir() else (target.name, "")
    when = int(seconds)
    while True:  # two edits saved in one second: the next second free keeps the order
        name = target.with_name(f"{stem}{KEPT_MARK}{dt.datetime.fromtimestamp(when):%Y%m%d-%H%M%S}{ext}")
        if not os.path.lexists(name):
            return name
        when += 1


@dataclass
class Guard:
    """The edits check of one build: what the last build recorded (``old``), and what this
    one keeps aside and puts in place."""

    out_dir: Path
    old: Stamp | None
    diag: Diagnostics
    discard: bool = False  # --discard-edits: replace edited outputs without keeping them
    placed: dict[str, FileRecord] = field(default_factory=dict)  # files this build put in place
    replaced: set[str] = field(default_factory=set)  # the outputs (top level) it put in place
    kept: list[Kept] = field(default_factory=list)

    def edited(self) -> tuple[Path, ...]:
        """The recorded outputs whose bytes are no longer what deckgen wrote."""
        if self.old is None:
            return ()
        targets = (self.out_dir / rel for rel in top_outputs(self.old.files))
        return tuple(t for t in targets if state_of(t, self.out_dir, self.old) == "edited")

    def clear_way(self, target: Path, new: Path | None = None) -> None:
        """Before ``target`` is replaced by ``new`` (ready beside it): keep it aside if it is not
        what deckgen wrote, unless it holds the very bytes of ``new`` (nothing would be lost:
        a deck built again without its record, on a fresh clone of a course kept in git)."""
        state = state_of(target, self.out_dir, self.old)
        if state in ("absent", "written") or (new is not None and same_content(target, new)):
            return
        if self.discard:
            what = "edited since deckgen wrote it" if state == "edited" else "deckgen has no record of writing it"
            self.diag.report(C.OUTPUT_EDITS_DISCARDED, target, what=what, reason=state)
            return
        kept = kept_name(target)
        try:
            os.rename(target, kept)
        except OSError as exc:  # never replace what could not be kept
            raise BuildError(
                f"not what deckgen wrote, and cannot be kept aside as {kept.name}: {exc.strerror}; not replaced",
                target,
                hint="move it away yourself, or build with --discard-edits to replace it",
            ) from None
        self._remember(target, kept, state)

    def _remember(self, target: Path, kept: Path, state: State) -> None:
        rel = _rel(target, self.out_dir)
        old = self.old
        written = old.files.get(rel if not kept.is_dir() else f"{rel}/index.html") if old else None
        shown = kept / "index.html" if kept.is_dir() else kept
        try:
            digest = sha256_of(shown)
        except OSError:
            digest = ""
        self.kept.append(
            Kept(
                _rel(kept, self.out_dir),
                rel,
                state,
                digest,
                written.sha256 if written else "",
                old.post_sha256 if old else "",
                dt.datetime.now().isoformat(timespec="seconds"),
            )
        )
        pptx = kept.suffix.lower() == ".pptx"
        todo = (
            f"deckgen pull {kept} brings its text edits back into the post"
            if pptx
            else "carry the change into the post by hand; deckgen pull reads only .pptx decks"
        )
        code = C.OUTPUT_EDITED_KEPT if state == "edited" else C.OUTPUT_UNKNOWN_KEPT
        self.diag.report(code, target, kept=kept, todo=todo, output=rel)

    def placed_at(self, target: Path, records: Records | None = None) -> None:
        """After ``target`` is in place: record each of its files (``records``: taken already,
        by the process that made it, see :func:`records_under`)."""
        top = _rel(target, self.out_dir)
        self.replaced.add(top.split("/", 1)[0])
        for rel, record in (records_under(target) if records is None else records).items():
            self.placed[f"{top}/{rel}" if rel else top] = record

    def stamp(
        self,
        digest: str,
        title: str,
        pages: int,
        outputs: tuple[str, ...],
        said: tuple[Diagnostic, ...],
        post: Path,
        post_sha: str,
        date: str,
        clock: str = "",
    ) -> Stamp:
        """The new stamp: this build's files, the old records of outputs it did not write that
        are still there, and every kept copy still there."""
        old = self.old
        files = dict(self.placed)
        kept = list(self.kept)
        if old is not None:
            for rel, record in old.files.items():
                top = rel.split("/", 1)[0]
                if top not in self.replaced and os.path.lexists(self.out_dir / rel):
                    files.setdefault(rel, record)
            kept[:0] = [k for k in old.kept if os.path.lexists(self.out_dir / k.path)]
        return Stamp(
            digest,
            title,
            pages,
            outputs,
            said,
            files,
            tuple(kept),
            str(post.resolve()),
            post_sha,
            date,
            clock,
        )


__all__ = [
    "CODES", "KEPT_MARK", "Guard", "Records", "State", "files_under", "kept_name", "record_of", "records_under", "state_of",
]
