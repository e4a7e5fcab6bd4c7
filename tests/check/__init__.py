"""Tests of deckgen/check (mirroring the source tree)."""
