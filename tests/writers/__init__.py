"""Tests of deckgen/writers (mirroring the source tree)."""
