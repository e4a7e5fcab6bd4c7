"""Tests of deckgen/layout (mirroring the source tree)."""
