"""The picture cache's folder names and the ages its records keep, shared by the cache
(``cache.py``, every build) and its tidying (``cachetidy.py``, ``deckgen cache``), so that a
build does not load the tidying to learn them."""

from __future__ import annotations

# the cache's folders (``cache.py`` says what each holds)
SUBDIRS = ("index", "blobs", "renditions")
FAILURES = "failures"
# what the writers remember of a post's last build, and the measurer of fonts' widths: each
# made again when missing
MEMOS = ("pptx-maps", "font-widths")
HELD = "held"  # per-build folders of hard links (``cache.Hold``), outside what clear removes
# a failed picture is asked for again after this long (or with --refresh), not on every build
FAILURE_MAX_AGE = 15 * 60.0
# a temporary file this old belongs to a build that died: prune may delete it
STALE_TMP_SECONDS = 3600.0
