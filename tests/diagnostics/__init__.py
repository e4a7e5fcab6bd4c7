"""Tests of deckgen/diagnostics (mirroring the source tree)."""
