"""The parse stage: a read post (``Source``) into the document model (a ``Deck`` of ``Slide``s).

- ``walker``: the Markdown walker, the entry ``parse_deck``;
- ``htmlconv``: raw HTML inside a post into the model;
- ``media``: what an address or an HTML attribute says (YouTube, video files, iframes, widths);
- ``flow``: the inline runs and blocks both of them collect;
- ``police``: the last step, every address of the deck through the URL policy.
"""

from deckgen.parse.walker import parse_deck

__all__ = ["parse_deck"]
