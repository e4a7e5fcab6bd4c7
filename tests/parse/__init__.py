"""Tests of deckgen/parse (mirroring the source tree)."""
