"""Test helpers: the local image server, the render checker, the word check, local decks, fuzz posts."""
