"""Layout: every decision about what goes on which page, where, and how big.

Pure: a ``Deck`` (with assets attached) and a ``Theme`` in, a ``LaidDeck`` out; the text
measurer is passed in. Both writers translate the result without deciding anything.

The rules, in the order they are tried for each source slide:

1. the whole slide on one page, body text at the theme's size, shrinking step by step
   to the theme's minimum;
2. else one page per ``###`` sub-section (titled by its heading);
3. else pages filled block by block; a block that does not fit is split between list
   items, table rows (header repeated), code lines, or the lines of a paragraph.

Pictures: a page with text and pictures tries "pictures below the text" and "pictures
beside the text" and keeps whichever gives the pictures more area; a picture must stay
large enough to read (or it moves to a page of its own). Pictures are never enlarged past
twice their pixel size, and width hints (``50%``, ``600``) cap their width.

The modules, in the order they build on each other:

- ``context``: the ``Context`` (theme, measurer, logo) and the shared constants;
- ``text``: paragraph specs of a block, their measured height, their text frame;
- ``geometry``: code and table geometry (sizes, code height, column widths, row heights);
- ``segments``: the vertical stack of text, code and tables on a page;
- ``pictures``: a picture's shape and limits, the grid that places pictures, their frames;
- ``page``: one page (its title, its plan, its frames);
- ``paginate``: splitting blocks, the page breaker, the pages of one source slide;
- ``deck``: the title page, each page's chrome, the whole deck placed (``place_deck``);
- ``style``: the last pass, every colour, fill, border, inset and badge (``style_deck``).

``layout_deck`` is ``place_deck`` then ``style_deck``.
"""

from deckgen.layout.context import CONT, Context
from deckgen.layout.deck import layout_deck, place_deck, slide_pictures
from deckgen.layout.page import fits, place
from deckgen.layout.paginate import layout_slide
from deckgen.layout.pictures import play_badge, width_hint
from deckgen.layout.style import para_color

__all__ = [
    "CONT",
    "Context",
    "slide_pictures",
    "fits",
    "layout_deck",
    "layout_slide",
    "para_color",
    "place",
    "place_deck",
    "play_badge",
    "width_hint",
]
