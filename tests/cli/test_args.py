"""cli/args.py: every command's help, as ``tests/cli/help/`` pins it; a run builds only the
options of the command it invokes; abbreviations and usage errors as argparse gives them.

The pinned help is argparse's layout on Python 3.11 at 80 columns (3.13 lays some options out
otherwise). After changing an option's words, write the files again:
``DECKGEN_WRITE_HELP=1 python -m pytest tests/cli/test_args.py`` (and read the diff).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from deckgen.cli import main, make_parser

HELP = Path(__file__).parent / "help"
WRITE = bool(os.environ.get("DECKGEN_WRITE_HELP"))

COMMANDS = ["build", "serve", "check", "cache", "pull", "themes"]
HELPS = [
    [], *([c] for c in COMMANDS),
    ["cache", "info"], ["cache", "clear"], ["cache", "prune"], ["themes", "list"], ["themes", "new"],
]
# options only one command has (cache's and themes' are their actions')
OWN = {
    "build": {"--jobs", "--slides-dir"},
    "serve": {"--port", "--open"},
    "check": {"--output-format"},
    "cache": {"--older-than"},
    "pull": {"--write", "--post"},
    "themes": {"--from"},
}
# arguments each command parses without doing anything
ARGV = {"build": ["build"], "serve": ["serve"], "check": ["check"], "cache": ["cache"], "pull": ["pull", "d.pptx"],
        "themes": ["themes"]}


@pytest.fixture(autouse=True)
def columns(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")


def shown_help(words: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as exited:
        main([*words, "--help"])
    assert exited.value.code == 0
    out, err = capsys.readouterr()
    assert err == ""
    return out


@pytest.mark.skipif(sys.version_info[:2] != (3, 11) and not WRITE, reason="argparse's help layout is 3.11's")
@pytest.mark.parametrize("words", HELPS, ids=lambda w: " ".join(w) or "deckgen")
def test_every_help_is_the_pinned_one(words: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    pinned = HELP / f"{'-'.join(['deckgen', *words])}.txt"
    text = shown_help(words, capsys)
    if WRITE:
        pinned.write_text(text, "utf-8")
    assert text == pinned.read_text("utf-8")


def test_no_command_shows_the_help_on_stderr_with_exit_code_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err == shown_help([], capsys)


@pytest.fixture
def added(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every option string given to ``add_argument`` of any parser or group, in order."""
    seen: list[str] = []
    add = argparse._ActionsContainer.add_argument

    def recording(self: Any, *args: Any, **kwargs: Any) -> argparse.Action:
        seen.extend(a for a in args if isinstance(a, str) and a.startswith("-"))
        return add(self, *args, **kwargs)

    monkeypatch.setattr(argparse._ActionsContainer, "add_argument", recording)
    yield seen


@pytest.mark.parametrize("command", COMMANDS)
def test_a_command_builds_its_own_options_and_no_other_commands(command: str, added: list[str]) -> None:
    parser = make_parser()
    assert set(added) == {"-h", "--help", "--version"}  # the commands are only listed
    args = parser.parse_args(ARGV[command])
    assert args.command == command
    for other, own in OWN.items():
        assert (own <= set(added)) is (other == command), other


def test_one_parser_parses_every_command_once_each_is_asked_for(added: list[str]) -> None:
    parser = make_parser()
    for _ in range(2):
        for command in COMMANDS:
            assert parser.parse_args(ARGV[command]).command == command
    assert added.count("--jobs") == 1 and added.count("--write") == 1  # each made once
    assert parser.parse_args(["cache", "prune", "--older-than", "3"]).older_than == 3.0
    assert parser.parse_args(["themes", "new", "x", "--from", "dark"]).base == "dark"


def test_abbreviations_of_a_commands_options_are_taken() -> None:
    args = make_parser().parse_args(["build", "--of", "--qui", "--ou", "d", "p.md"])
    assert args.offline and args.quiet and args.out == Path("d") and args.paths == [Path("p.md")]
    assert make_parser().parse_args(["check", "--output", "json"]).output_format == "json"


@pytest.mark.parametrize(
    ("words", "usage"),
    [
        (["bogus"], "usage: deckgen [-h]"),
        (["buil"], "usage: deckgen [-h]"),  # a command is never abbreviated
        (["-q", "build"], "usage: deckgen [-h]"),
        (["build", "--s", "p.md"], "usage: deckgen build [-h]"),  # ambiguous
        (["build", "--out"], "usage: deckgen build [-h]"),
        (["build", "--handout", "5"], "usage: deckgen build [-h]"),
        (["check", "--format", "xml"], "usage: deckgen check [-h]"),
        (["cache", "prune"], "usage: deckgen cache prune [-h]"),
        (["themes", "new"], "usage: deckgen themes new [-h]"),
        (["pull"], "usage: deckgen pull [-h]"),
    ],
)
def test_bad_usage_shows_the_commands_usage_and_exits_2(
    words: list[str], usage: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(words) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.startswith(usage)
    assert err.splitlines()[-1].startswith("deckgen: error: ")


def test_an_unknown_option_after_a_command_is_the_top_parsers_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", "--bogus"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: deckgen [-h]") and "--bogus" in err.splitlines()[-1]


def test_help_and_version_load_no_build_code() -> None:
    """``deckgen --help`` and ``--version`` answer without loading the pictures' code, the
    library's options or the model: what only a command that runs needs."""
    import json
    import subprocess
    import sys

    driver = (
        "import json, sys\n"
        "from deckgen.cli import main\n"
        "try:\n"
        "    main(sys.argv[1:])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    for flag in ("--help", "--version"):
        done = subprocess.run([sys.executable, "-c", driver, flag], capture_output=True, text=True, timeout=60)
        loaded = set(json.loads(done.stdout.splitlines()[-1]))
        assert "deckgen.cli.args" in loaded
        for heavy in ("deckgen.assets.resolver", "deckgen.assets.cache", "deckgen.options", "deckgen.model"):
            assert heavy not in loaded, (flag, heavy)
