"""The command's tests use the decks of ``deckgen pull``'s tests."""

from pull.conftest import own_deck  # noqa: F401 (a fixture)
