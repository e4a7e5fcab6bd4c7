"""The parse stage: a read post (``Source``) into the document model (a ``Deck`` of ``Slide``s).

- ``walker``: the Markdown walker, the entry ``parse_deck``;
- ``htmlconv``: raw HTML inside a post into the model;
- ``flow``: the inline runs and blocks both of them collect.
"""

from deckgen.parse.walker import parse_deck

__all__ = ["parse_deck"]
