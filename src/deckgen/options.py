"""What a run of the pipeline is asked to do: the options of ``build``, ``serve`` and ``check``.

Options are composed: the picture options (:class:`~deckgen.assets.resolve.AssetOptions`)
are one group inside :class:`BuildOptions`, as they are one group of the command line.
``deckgen.toml`` in the working folder gives defaults (``formats``, ``theme``).
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, get_args

from deckgen.assets.resolver import AssetOptions
from deckgen.errors import InputError

Format = Literal["pptx", "html", "pdf"]
Paper = Literal["a4", "letter"]
FORMATS: tuple[Format, ...] = ("pptx", "html")  # the default
ALL_FORMATS: tuple[Format, ...] = get_args(Format)
PAPERS: tuple[Paper, ...] = get_args(Paper)
HANDOUTS = (1, 2, 3, 6)
CONFIG_FILE = "deckgen.toml"
MAX_POST_BYTES = 1024 * 1024  # a post larger than this is refused before any work


@dataclass(frozen=True)
class BuildOptions:
    formats: tuple[Format, ...] = FORMATS
    out_dir: Path = Path("build")
    theme: str | None = None
    pictures: AssetOptions = field(default_factory=AssetOptions)
    reveal_js: Path | None = None
    site_url: str | None = None  # the site's address (else url + baseurl of its _config.yml)
    max_post_bytes: int = MAX_POST_BYTES
    render_workers: int = 0  # threads drawing pictures (0: one per core)
    now: dt.datetime | None = None  # the clock (Liquid's site.time); None: the time of the run
    source_date: dt.datetime | None = None  # SOURCE_DATE_EPOCH: the clock and the date the outputs carry
    cwd: Path | None = None
    incremental: bool = False  # skip a post whose stamp says its outputs are current
    force: bool = False  # rebuild a post whose outputs are current (an edited one is still kept aside)
    discard_edits: bool = False  # replace an edited output without keeping it (deckgen.edits)
    handout: int = 0  # slides per sheet of a handout (1, 2, 3 or 6); 0 writes none
    paper: Paper = "a4"

    @property
    def offline(self) -> bool:
        return self.pictures.offline


def parse_formats(value: object, where: Path | None = None) -> tuple[Format, ...]:
    """``pptx,pdf`` or a list of names; ``all`` means all three."""
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, list | tuple) or not items:
        raise InputError("formats must be a list of pptx, html, pdf or all", where)
    out: list[Format] = []
    for item in items:
        name = str(item).strip().lower()
        if name == "all":
            out.extend(ALL_FORMATS)
        elif name in ALL_FORMATS:
            out.append(ALL_FORMATS[ALL_FORMATS.index(name)])
        else:
            raise InputError(f"unknown format {item!r}", where, hint="use pptx, html, pdf or all")
    return tuple(dict.fromkeys(out))


def read_config(cwd: Path) -> dict:
    """``deckgen.toml`` of the working folder ({} when there is none)."""
    path = cwd / CONFIG_FILE
    if not path.is_file():
        return {}
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"not valid TOML: {exc}", path) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", path) from None


def config_formats(cwd: Path) -> tuple[Format, ...]:
    """``formats = [...]`` in deckgen.toml, else the default (.pptx and HTML)."""
    value = read_config(cwd).get("formats")
    return FORMATS if value is None else parse_formats(value, cwd / CONFIG_FILE)


__all__ = [
    "ALL_FORMATS",
    "CONFIG_FILE",
    "FORMATS",
    "HANDOUTS",
    "PAPERS",
    "BuildOptions",
    "Format",
    "Paper",
    "config_formats",
    "parse_formats",
    "read_config",
]
