"""A theme loaded: its file read and checked against ``SCHEMA``, what it ``extends`` merged
underneath, its file names made absolute, and (for a theme a post names) every file it uses
kept inside the folders the post may read."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from deckgen.errors import ThemeError
from deckgen.theme.find import builtin_dir, find_theme, shown
from deckgen.theme.schema import FILE_KEYS, SCHEMA, Theme
from deckgen.theme.validate import build_theme


def _read(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except OSError as exc:
        raise ThemeError(f"cannot read theme: {exc.strerror}", path) from None
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        raise ThemeError(f"not valid TOML: {exc}", path, int(m.group(1)) if m else None) from None
    except UnicodeDecodeError:
        raise ThemeError("not UTF-8 text", path) from None


def _sections() -> str:
    return ", ".join(f"[{k}]" for k in SCHEMA if k)


def _check_keys(raw: dict[str, Any], path: Path) -> None:
    for key, value in raw.items():
        if key in SCHEMA and key:
            if not isinstance(value, dict):
                raise ThemeError(
                    f"'{key}' must be a section [{key}]", path, hint=f"write [{key}] and its keys"
                )
            for sub in value:
                if sub not in SCHEMA[key]:
                    raise ThemeError(
                        f"unknown key '{sub}' in [{key}]",
                        path,
                        hint=f"valid keys in [{key}]: " + ", ".join(SCHEMA[key]),
                    )
        elif isinstance(value, dict):
            raise ThemeError(f"unknown section [{key}]", path, hint="valid sections: " + _sections())
        elif key not in SCHEMA[""]:
            raise ThemeError(
                f"unknown key '{key}'",
                path,
                hint="valid top-level keys: " + ", ".join(SCHEMA[""]) + "; sections: " + _sections(),
            )


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = {k: (dict(v) if isinstance(v, dict) else v) for k, v in base.items()}
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key].update(value)
        else:
            out[key] = value
    return out


def _absolute(value: Any, folder: Path) -> Any:
    if isinstance(value, str) and value:
        return str((folder / Path(value).expanduser()).resolve())
    if isinstance(value, list):
        return [_absolute(v, folder) for v in value]
    return value


def load_raw(path: Path, cwd: Path | None = None, _seen: tuple[Path, ...] = ()) -> dict[str, Any]:
    """The theme's table with everything it ``extends`` merged underneath.

    ``name`` and ``description`` are the file's own (not inherited); file names are made
    absolute (relative ones are relative to the file that names them).
    """
    path = path.resolve()
    if path in _seen:
        chain = " -> ".join(p.name for p in (*_seen, path))
        raise ThemeError(f"themes extend each other in a circle: {chain}", shown(path))
    raw = _read(shown(path))
    _check_keys(raw, shown(path))
    for section, key in FILE_KEYS:
        if key in raw.get(section, {}):
            raw[section][key] = _absolute(raw[section][key], path.parent)
    builtin_default = (builtin_dir() / "default.toml").resolve()
    parent = raw.get("extends", "" if path == builtin_default else "default")
    if not isinstance(parent, str):
        raise ThemeError("'extends' must be a theme name or a path", shown(path))
    raw.setdefault("name", path.stem)
    raw.setdefault("description", "")
    if parent:
        try:
            parent_path = find_theme(parent, cwd, relative_to=path.parent).resolve()
        except ThemeError as exc:
            raise ThemeError(f"'extends = \"{parent}\"': {exc.bare}", shown(path), hint=exc.hint) from None
        if parent_path == path:  # ./themes/default.toml extending the built-in default
            parent_path = (builtin_dir() / f"{parent}.toml").resolve()
            if not parent_path.is_file():
                raise ThemeError(f"'extends = \"{parent}\"' names this file itself", shown(path))
        base = load_raw(parent_path, cwd, (*_seen, path))
        for own in ("name", "description", "extends"):
            base.pop(own, None)
        raw = _merge(base, raw)
    return raw


def load_theme(
    name_or_path: str = "default", cwd: Path | None = None, confine: tuple[Path, ...] | None = None
) -> Theme:
    """The theme a name or a path gives. With ``confine`` (a theme a post names), the theme
    file and every file it uses (css, logo, fonts, template) must lie in one of those folders,
    after resolving ``..`` and symlinks."""
    path = find_theme(name_or_path, cwd)
    if confine is not None:
        _confined(path, confine, name_or_path)
    raw = load_raw(path, cwd)
    if confine is not None:
        for section, key in FILE_KEYS:
            value = raw.get(section, {}).get(key)
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, str) and item:
                    _confined(Path(item), confine, name_or_path)
    return build_theme(raw, path)


def _confined(file: Path, folders: tuple[Path, ...], name: str) -> None:
    real = file.resolve()
    for folder in folders:
        try:
            if real.is_relative_to(folder.resolve()):
                return
        except (OSError, RuntimeError):
            continue
    raise ThemeError(
        f"the post's theme '{name}' uses {file}, outside the post's folder, the site and the themes",
        hint="move it into the site, or allow its folder with --allow-files DIR",
    )
