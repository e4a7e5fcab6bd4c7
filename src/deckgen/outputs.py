"""The writers' stage: the laid-out deck into files, each written whole or not at all.

Each deck is made in full beside its target first (a temporary name starting with ``.``)
and put in its place by a rename. By default every deck of a post is ready before any is
swapped in, so a failure (a full disk, a folder that cannot be written) leaves the old decks
as they were; ``serve`` asks for each deck as soon as it is ready instead (the HTML deck
first, so open tabs reload at once).
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from deckgen.dates import NO_DATE
from deckgen.diagnostics import Diagnostics
from deckgen.errors import BuildError, unknown_kind
from deckgen.fileio import running, stage_stream
from deckgen.forkjob import ForkJob, may_fork
from deckgen.measure import Measurer, TableMeasurer
from deckgen.model.laidout import LaidDeck
from deckgen.options import BuildOptions, Format
from deckgen.theme.schema import Theme

if TYPE_CHECKING:
    import datetime as dt

    from deckgen.assets.revealjs import RevealBundle
    from deckgen.edits import Guard, Records
    from deckgen.writers.pdf import PdfWriter

# the order decks are written in: the HTML deck first (serve's tabs wait for it)
ORDER: tuple[Format, ...] = ("html", "pptx", "pdf")

Written = Callable[[Format | None, Path], None]  # a deck in its place (None: a handout)


@dataclass(frozen=True)
class Wrote:
    outputs: tuple[Path, ...]
    reveal_origin: str = ""  # where reveal.js came from (``cdn-link``: the deck needs the internet)


def output_names(post: Path, out_dir: Path) -> tuple[Path, Path]:
    """The .pptx and the HTML deck's folder of a post."""
    return out_dir / f"{post.stem}.pptx", out_dir / post.stem


def pdf_name(post: Path, out_dir: Path) -> Path:
    return out_dir / f"{post.stem}.pdf"


def handout_name(post: Path, out_dir: Path, per_sheet: int) -> Path:
    return out_dir / f"{post.stem}.handout-{per_sheet}.pdf"


# a deck staged: (the temporary, its target, its format, the path shown, the records of its
# files when the process that made it took them, ``edits.records_under``)
Made = tuple[Path, Path, Format | None, Path, "Records | None"]


def write_outputs(
    laid: LaidDeck,
    theme: Theme,
    post: Path,
    options: BuildOptions,
    cache_root: Path,
    diag: Diagnostics,
    measurer: Measurer | None = None,
    written: Written | None = None,
    guard: Guard | None = None,
    created: dt.datetime = NO_DATE,
) -> Wrote:
    """Write the decks ``options.formats`` asks for (and the handout); with ``written``, each
    is put in place as soon as it is ready and ``written`` hears of it. ``guard`` keeps an
    edited output aside before it is replaced, and records what is put in place
    (:mod:`deckgen.edits`); ``created`` is the date the decks carry (:mod:`deckgen.dates`)."""
    out_dir = options.out_dir
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BuildError(f"cannot create the output folder: {exc.strerror}", out_dir) from None
    outputs: list[Path] = []
    staged: list[tuple[Path, Path, Records | None]] = []  # (ready temporary, target, records), not yet in place

    def ready(tmp: Path, target: Path, fmt: Format | None, shown: Path, records: Records | None) -> None:
        outputs.append(shown)
        if written is None:
            staged.append((tmp, target, records))
            return
        try:
            _place(tmp, target, guard, records)
        finally:
            remove(tmp)
        written(fmt, shown)

    makers = _Makers(laid, theme, options, cache_root, diag, measurer, created)
    screen = [fmt for fmt in ORDER if fmt in options.formats and fmt != "pdf"]

    def paper() -> list[Made]:  # the PDF and the handout: one writer, nothing the others make
        made = [makers.make("pdf", post)] if "pdf" in options.formats else []
        return made + ([makers.handout(post)] if options.handout else [])

    # one post at a time (not serve's, whose server has threads), a child on the other core
    # (:mod:`deckgen.forkjob`) makes the paper decks when screen decks are asked for too, else
    # the HTML deck beside the .pptx (reveal.js is found here first: its notes are said here);
    # the child records the files it made for the edits guard too
    fork = written is None and may_fork()
    here = screen
    work: Callable[[], list[Made]] | None = None
    if fork and screen and (options.handout or "pdf" in options.formats):
        work = lambda: [_recorded(m) for m in paper()]  # noqa: E731 - the child's whole work
    elif fork and "html" in screen and len(screen) > 1:
        makers.bundle()
        here = [fmt for fmt in screen if fmt != "html"]
        work = lambda: [_recorded(makers.make("html", post))]  # noqa: E731 - the child's whole work
    beside = ForkJob(work) if work is not None else None
    made: list[Made] = []  # decks made, not yet ready (beside a child: ready in ORDER once all are)
    try:
        for fmt in here:
            deck = makers.make(fmt, post)
            if beside is None:
                ready(*deck)
            else:
                made.append(deck)
        made += beside.result() if beside is not None else paper()
        for deck in sorted(made, key=lambda m: _rank(m[2])):  # in ORDER, the handout last
            ready(*deck)
        for tmp, target, records in staged:
            _place(tmp, target, guard, records)
    finally:
        left = beside.abandon() if beside is not None else None
        for tmp, *_ in left or ():
            remove(tmp)
        for tmp, *_ in made:
            remove(tmp)
        for tmp, *_ in staged:
            remove(tmp)
    return Wrote(tuple(outputs), makers.origin)



def _rank(fmt: Format | None) -> int:
    return ORDER.index(fmt) if fmt is not None else len(ORDER)


@dataclass
class _Makers:
    """Each deck made in full beside its place: (the temporary, its target, its format, the path shown)."""

    laid: LaidDeck
    theme: Theme
    options: BuildOptions
    cache_root: Path
    diag: Diagnostics
    measurer: Measurer | None
    created: dt.datetime = NO_DATE
    origin: str = ""
    _pdf: PdfWriter | None = None
    _bundle: RevealBundle | None = None

    def make(self, fmt: Format, post: Path) -> Made:
        out_dir = self.options.out_dir
        pptx_path, html_dir = output_names(post, out_dir)
        match fmt:
            case "html":
                from deckgen.writers.html import RevealWriter

                writer = RevealWriter(self.theme, self.bundle())
                tmp = _staged_dir(html_dir, lambda folder: writer.write(self.laid, folder))
                return tmp, html_dir, fmt, html_dir / "index.html", None
            case "pptx":
                from deckgen.writers.pptx import PptxWriter

                pptx = PptxWriter(
                    self.theme, self.cache_root / "pptx-base", self.created, map_cache=self.cache_root / "pptx-maps"
                )
                return _staged_file(pptx_path, lambda f: pptx.write(self.laid, f)), pptx_path, fmt, pptx_path, None
            case "pdf":
                pdf = self.pdf()
                path = pdf_name(post, out_dir)
                return _staged_file(path, lambda f: pdf.write(self.laid, f)), path, fmt, path, None
            case _:
                unknown_kind(fmt, "write_outputs")

    def bundle(self) -> RevealBundle:
        """reveal.js for the HTML deck (found once)."""
        if self._bundle is None:
            from deckgen.assets.revealjs import obtain_reveal

            opts = self.options
            self._bundle = obtain_reveal(opts.reveal_js, self.cache_root, self.diag, allow_network=not opts.offline)
            self.origin = self._bundle.origin
        return self._bundle

    def handout(self, post: Path) -> Made:
        from deckgen.writers.handout import write_handout

        pdf = self.pdf()
        path = handout_name(post, self.options.out_dir, self.options.handout)
        per, paper = self.options.handout, self.options.paper
        return _staged_file(path, lambda f: write_handout(pdf, self.laid, per, paper, f)), path, None, path, None

    def pdf(self) -> PdfWriter:
        if self._pdf is None:
            from deckgen.writers.pdf import PdfWriter

            self._pdf = PdfWriter(self.theme, self.measurer or TableMeasurer(), self.cache_root, created=self.created)
        return self._pdf


def _staged_file(path: Path, fill: Callable[[BinaryIO], object]) -> Path:
    """A temporary file beside ``path`` that ``fill`` writes the deck into (not yet in its place)."""
    try:
        return stage_stream(path, fill, prefix=_tmp_prefix(path))
    except OSError as exc:  # the deck's own file, or a picture or font it was reading
        raise BuildError(f"cannot write: {exc.strerror}", exc.filename or path) from None


def _staged_dir(target: Path, fill: Callable[[Path], None]) -> Path:
    """A temporary folder beside ``target``, filled (not yet in its place)."""
    try:
        tmp = Path(tempfile.mkdtemp(prefix=_tmp_prefix(target), suffix=".tmp", dir=target.parent))
    except OSError as exc:
        raise BuildError(f"cannot write in the output folder: {exc.strerror}", target.parent) from None
    try:
        fill(tmp)
        os.chmod(tmp, 0o755)
    except OSError as exc:
        remove(tmp)
        raise BuildError(f"cannot write: {exc.strerror}", exc.filename or target) from None
    except BaseException:
        remove(tmp)
        raise
    return tmp


def _recorded(made: Made) -> Made:
    """A deck made, with the records of its files (a child's: the parent need not read them)."""
    tmp, target, fmt, shown, _ = made
    from deckgen.edits import records_under

    return tmp, target, fmt, shown, records_under(tmp)


def _place(tmp: Path, target: Path, guard: Guard | None, records: Records | None = None) -> None:
    """Put a ready deck in place; an edited one there is kept aside first (``guard``)."""
    if guard is None:
        _swap_in(tmp, target)
        return
    guard.clear_way(target, tmp)
    _swap_in(tmp, target)
    guard.placed_at(target, records)


def _swap_in(tmp: Path, target: Path) -> None:
    """Put a ready file or folder in the place of ``target`` (the old one goes)."""
    try:
        if tmp.is_dir() and target.exists():
            old = target.with_name(f".{target.name}.old-{os.getpid()}-{time.time_ns()}")
            os.replace(target, old)
            try:
                os.replace(tmp, target)
            except OSError:
                os.replace(old, target)
                raise
            remove(old)
        else:
            os.replace(tmp, target)
    except OSError as exc:
        raise BuildError(f"cannot replace: {exc.strerror}", target) from None


def remove(path: Path) -> None:
    """Remove a file or a folder tree, read-only parts included; quietly if it is gone."""
    if not os.path.lexists(path):
        return
    if path.is_dir() and not path.is_symlink():

        def writable_then_retry(func: Callable[[str], object], name: str, _exc: object) -> None:
            try:
                os.chmod(os.path.dirname(name), 0o755)
                if os.path.isdir(name) and not os.path.islink(name):
                    os.chmod(name, 0o755)
                func(name)
            except OSError:
                pass

        if sys.version_info >= (3, 12):
            shutil.rmtree(path, onexc=writable_then_retry)
        else:  # onerror: the only hook before 3.12 (deprecated after)
            shutil.rmtree(path, onerror=writable_then_retry)
    else:
        path.unlink(missing_ok=True)


def atomic_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` in one rename."""
    tmp = _staged_file(path, lambda f: f.write(data))
    try:
        _swap_in(tmp, path)
    finally:
        remove(tmp)


def atomic_dir(target: Path, fill: Callable[[Path], None]) -> None:
    """Fill a fresh temporary folder, then swap it in for ``target`` in one rename."""
    tmp = _staged_dir(target, fill)
    try:
        _swap_in(tmp, target)
    finally:
        remove(tmp)


# ---------------------------------------------------------------------------
# what builds that died left behind (SIGKILL, a power cut): a deck's temporary, or its old
# copy moved aside for the swap (``_swap_in``), each named with the pid of the process

_TMP_RANDOM = r"[a-z0-9_]{8}"  # what tempfile adds


def _tmp_prefix(target: Path) -> str:
    """``.big.pptx.<pid>-``: a temporary names its deck and the process writing it."""
    return f".{target.name}.{os.getpid()}-"


def _leftover(post: Path) -> re.Pattern[str]:
    """The names of ``post``'s decks' temporaries and old copies (older versions: no pid)."""
    decks = rf"{re.escape(post.stem)}(?:\.pptx|\.pdf|\.handout-\d\.pdf)?"
    return re.compile(rf"\.(?P<deck>{decks})\.(?:(?:(?P<pid>\d+)-)?{_TMP_RANDOM}\.tmp|old-(?P<old>\d+)-\d+)")


def sweep_leftovers(post: Path, out_dir: Path, before: float) -> list[Path]:
    """Remove what builds of ``post`` that died left in ``out_dir``: its decks' temporaries
    and old copies, older than ``before`` (this build's start) and of no running process.
    An old copy whose deck is missing (killed between the two renames) is put back. Nothing
    else is touched; what cannot be removed stays. The paths removed."""
    pattern = _leftover(post)
    gone: list[Path] = []
    try:
        names = [entry.name for entry in os.scandir(out_dir) if entry.name.startswith(".")]
    except OSError:
        return gone
    for name in names:
        m = pattern.fullmatch(name)
        path = out_dir / name
        pid = m and (m.group("pid") or m.group("old"))
        try:
            if m is None or path.lstat().st_mtime >= before or (pid and running(int(pid))):
                continue
            deck = out_dir / m.group("deck")
            if m.group("old") and not os.path.lexists(deck):
                os.replace(path, deck)  # the swap never finished: the old deck is the deck
                continue
            remove(path)
        except OSError:
            continue
        gone.append(path)
    return gone


__all__ = ["Wrote", "atomic_bytes", "atomic_dir", "output_names", "remove", "sweep_leftovers", "write_outputs"]
