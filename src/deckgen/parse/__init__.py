"""The parse stage: a read post (``Source``) into the document model (a ``Deck`` of ``Slide``s).

- ``walker``: the Markdown walker, the entry ``parse_deck``: slides, then blocks;
- ``inline``: the inline content of a block (text, emphasis, links, pictures, inline HTML);
- ``htmlconv``: raw HTML inside a post into the model (``htmltags``: what each tag means,
  ``htmltable``: an HTML table into a ``Table``);
- ``media``: what an address or an HTML attribute says (YouTube, video files, iframes, widths);
- ``flow``: the inline runs and blocks all of them collect;
- ``cleandeck``: the deck's text made safe to measure and write;
- ``addresses``: the last step, every address of the deck through the URL policy.
"""

from deckgen.parse.walker import parse_deck

__all__ = ["parse_deck"]
