"""npm packages as tarballs: one read into memory safely (nothing extracted, no member may
climb out or be a link), its published integrity checked, ``npm pack`` run for one."""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
import subprocess
import tarfile
from collections.abc import Iterable
from pathlib import Path, PurePosixPath


class UnsafeArchive(Exception):
    """A tarball member that could escape the destination or is not a plain file."""


def package_version(raw: bytes) -> str | None:
    """The ``version`` of a ``package.json``, or None."""
    try:
        value = json.loads(raw.decode("utf-8")).get("version")
    except (ValueError, AttributeError):
        return None
    return value if isinstance(value, str) else None


def read_tarball(
    path: Path, needed: Iterable[str], max_members: int, max_file_bytes: int
) -> tuple[dict[str, bytes], str | None]:
    """The ``needed`` files (and package.json version) of an npm tarball, read into memory.

    Nothing is extracted to disk from the archive itself. A member whose name is absolute or
    climbs out with ``..`` makes the whole archive refused, as does a needed file that is a
    link or a device rather than a plain file.
    """
    wanted = set(needed) | {"package.json"}
    files: dict[str, bytes] = {}
    version = None
    with tarfile.open(path, mode="r:*") as tar:
        for count, member in enumerate(tar, start=1):
            if count > max_members:
                raise UnsafeArchive(f"more than {max_members} members")
            name = member.name.replace("\\", "/")
            pure = PurePosixPath(name)
            if pure.is_absolute() or ".." in pure.parts or (pure.parts and pure.parts[0].endswith(":")):
                raise UnsafeArchive(f"member {member.name!r} points outside the package")
            parts = [p for p in pure.parts if p not in ("", ".")]
            candidates = ["/".join(parts), "/".join(parts[1:])]  # npm puts everything under package/
            rel = next((c for c in candidates if c in wanted), None)
            if rel is None or rel in files:
                continue
            if not member.isfile():
                raise UnsafeArchive(f"member {member.name!r} is a link or special file")
            if member.size > max_file_bytes:
                raise UnsafeArchive(f"member {member.name!r} is implausibly large")
            handle = tar.extractfile(member)
            if handle is None:
                continue
            data = handle.read()
            if rel == "package.json":
                version = package_version(data)
                files[rel] = b""  # remembered only so that a later duplicate is skipped
            else:
                files[rel] = data
    files.pop("package.json", None)
    return files, version


def integrity_ok(data: bytes, integrity: str) -> bool:
    """Do ``data`` match a subresource-integrity string (``sha512-<base64>``, npm's ``dist.integrity``)?"""
    algo, _, digest = integrity.partition("-")
    if algo != "sha512":
        return False
    return base64.b64encode(hashlib.sha512(data).digest()).decode("ascii") == digest


def run_npm_pack(spec: str, expected_name: str, dest: Path, timeout: float) -> Path | None:
    """``npm pack SPEC`` into ``dest``: the tarball's path (``expected_name`` if it is there),
    or None when npm is not on PATH or did not produce one."""
    exe = shutil.which("npm")
    if exe is None:
        return None
    try:
        done = subprocess.run(
            [exe, "pack", spec, "--pack-destination", str(dest)],
            cwd=dest,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if done.returncode != 0:
        return None
    expected = dest / expected_name
    if expected.is_file():
        return expected
    found = sorted(dest.glob("*.tgz"))
    return found[0] if found else None
