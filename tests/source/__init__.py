"""Tests of deckgen/source (mirroring the source tree)."""
