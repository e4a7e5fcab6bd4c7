"""Tests of deckgen/assets (mirroring the source tree)."""
