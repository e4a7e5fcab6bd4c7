"""tomlkit against the hand-written writer of ``deckgen themes new`` (``themes_cmd.theme_toml``), issue 20.

    pip install tomlkit        # a bench tool here, not a dependency of deckgen
    python bench/bench_tomlkit.py [--runs 51] [--values 2000]

For every built-in theme, the same file written both ways (tomlkit with the same comments):
whether tomllib reads the same values back, whether the text is the same, and the median CPU
time to make the text. Then random values (quotes, backslashes, control characters, unicode,
newlines, floats) through both writers: how many do not read back equal; the header comment
with a base name holding a control character; import times (``python -X importtime``) and
tomlkit's installed weight and licence.
"""

from __future__ import annotations

import argparse
import difflib
import importlib.metadata as md
import os
import random
import statistics
import subprocess
import sys
import textwrap
import time
import tomllib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from deckgen.theme import FILE_KEYS, SCHEMA, builtin_dir, load_raw  # noqa: E402
from deckgen.themes_cmd import KEY_COMMENTS, _relative, _toml_value, theme_toml  # noqa: E402


def tomlkit_toml(name: str, base: str, extends: str, raw: dict[str, Any], folder: Path) -> str:
    """What ``theme_toml`` writes, made with tomlkit."""
    import tomlkit

    doc = tomlkit.document()
    doc.add(tomlkit.comment(f"deckgen theme '{name}', made from {base!r}."))
    doc.add(tomlkit.comment("Every key is here with its comment. Change what you need and delete the rest:"))
    doc.add(tomlkit.comment("a key left out comes from the theme named in 'extends'."))
    doc.add(tomlkit.nl())
    top = {"name": name, "extends": extends, "description": f"Made from {base!r}: describe it here"}
    for key in SCHEMA[""]:
        for line in textwrap.wrap(KEY_COMMENTS[""][key], 92):
            doc.add(tomlkit.comment(line))
        doc.add(key, top[key])
    files = dict(FILE_KEYS)
    for section in (s for s in SCHEMA if s):
        table = tomlkit.table()
        for key in SCHEMA[section]:
            value = raw.get(section, {}).get(key)
            if files.get(section) == key:
                value = _relative(value, folder)
            for line in textwrap.wrap(KEY_COMMENTS[section][key], 92):
                table.add(tomlkit.comment(line))
            table.add(key, value)
        doc.add(tomlkit.nl())
        doc.add(section, table)
    return tomlkit.dumps(doc)


def median_us(fn: Any, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.process_time()
        fn()
        times.append(time.process_time() - started)
    return statistics.median(times) * 1e6


def import_ms(module: str, code: str, runs: int = 7, column: int = 1) -> float:
    """Median import time (ms) of ``module`` in ``python -X importtime -c CODE``: cumulative
    (column 1) or its own (column 0)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])}
    values = []
    for _ in range(runs):
        done = subprocess.run(
            [sys.executable, "-X", "importtime", "-c", code], capture_output=True, text=True, env=env, check=True
        )
        for line in done.stderr.splitlines():
            parts = [p.strip() for p in line.split("|")]
            if len(parts) == 3 and parts[2] == module:
                values.append(int(parts[column].split(":")[-1]) / 1000)
                break
    return statistics.median(values)


_ODD = ['"', "\\", "\n", "\r", "\t", "\b", "\f", "\x00", "\x1b", "\x7f", "\x85", "\u2028", "é", "漢", "😀", "'", "#", "="]


def random_value(rng: random.Random) -> Any:
    kind = rng.randrange(4)
    if kind == 0:
        return rng.uniform(8, 120)
    if kind == 1:
        return rng.randint(-(10**12), 10**12)
    text = "".join(rng.choice(_ODD) if rng.random() < 0.4 else chr(rng.randrange(32, 127)) for _ in range(rng.randrange(12)))
    return [text, text[::-1]] if kind == 2 else text


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=51)
    ap.add_argument("--values", type=int, default=2000)
    args = ap.parse_args()
    try:
        import tomlkit
    except ImportError:
        print("tomlkit is not installed: pip install tomlkit", file=sys.stderr)
        return 2
    print(f"tomlkit {tomlkit.__version__}, Python {sys.version.split()[0]}")
    folder = Path.cwd() / "themes"

    print(f"\nthe built-in themes written both ways (median CPU time of {args.runs} runs to make the text):")
    for path in sorted(builtin_dir().glob("*.toml")):
        raw = load_raw(path)
        made = {
            "hand": lambda raw=raw, stem=path.stem: theme_toml("copy", stem, stem, raw, folder),
            "tomlkit": lambda raw=raw, stem=path.stem: tomlkit_toml("copy", stem, stem, raw, folder),
        }
        hand, kit = made["hand"](), made["tomlkit"]()
        same_values = tomllib.loads(hand) == tomllib.loads(kit)
        changed = [d for d in difflib.unified_diff(hand.splitlines(), kit.splitlines(), lineterm="", n=0)
                   if d[:1] in "+-" and d[:3] not in ("+++", "---")]
        times = {k: median_us(fn, args.runs) for k, fn in made.items()}
        print(f"  {path.stem:<14} same values: {same_values}, lines differing: {len(changed)} "
              f"(of {len(hand.splitlines())}), hand {times['hand']:.0f} us, tomlkit {times['tomlkit']:.0f} us")
        for line in changed[:4]:
            print(f"      {line!r}")

    rng = random.Random(1)
    wrong = {"hand": 0, "tomlkit": 0}
    raised = {"hand": 0, "tomlkit": 0}
    for _ in range(args.values):
        value = random_value(rng)
        for name, write in (("hand", lambda v: f"k = {_toml_value(v)}\n"), ("tomlkit", lambda v: tomlkit.dumps({"k": v}))):
            try:
                back = tomllib.loads(write(value))["k"]
            except Exception:
                raised[name] += 1
                continue
            wrong[name] += back != value or type(back) is not type(value)
    print(f"\n{args.values} random values (strings with quotes, backslashes, control characters, unicode; floats; ints):")
    for name in wrong:
        print(f"  {name:<8} read back different: {wrong[name]}, not readable or raised: {raised[name]}")

    print("\na base name with a control character in the header comment (written with repr() by both):")
    for name, fn in (("hand", theme_toml), ("tomlkit", tomlkit_toml)):
        try:
            tomllib.loads(fn("copy", "a\x01b\nc", "a", load_raw(builtin_dir() / "default.toml"), folder))
            print(f"  {name}: valid TOML")
        except Exception as exc:
            print(f"  {name}: {type(exc).__name__}: {exc}")
    try:
        tomlkit.comment("made from 'a\x01b'")
        print("  tomlkit.comment() with the raw name: accepted")
    except ValueError as exc:
        print(f"  tomlkit.comment() with the raw name: ValueError: {exc}")

    print("\nimport, cumulative ms in `python -X importtime` (median of 7):")
    own = import_ms("deckgen.themes_cmd", "import deckgen.cli; import deckgen.themes_cmd", column=0)
    print(f"  deckgen.themes_cmd itself (the hand-written writer), after `import deckgen.cli`: {own:6.1f} ms")
    kit = import_ms("tomlkit", "import deckgen.cli; import tomlkit")
    print(f"  tomlkit with what it imports, after `import deckgen.cli`:                      {kit:6.1f} ms")
    dist = md.distribution("tomlkit")
    size = sum((f.size or 0) for f in dist.files or [])
    licence = dist.metadata.get("License-Expression") or dist.metadata.get("License")
    requires = [r for r in dist.requires or [] if "extra ==" not in r]
    print(f"\ntomlkit {dist.version}: {size / 1e6:.1f} MB installed, {licence}, requires: {requires or 'nothing'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
