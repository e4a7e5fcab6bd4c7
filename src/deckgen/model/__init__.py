"""The slide model shared by every stage: frozen dataclasses, no third-party imports.

- ``document``: the document a post parses into (``Deck`` of ``Slide`` of blocks of ``Run``),
  with the ``Asset`` the assets stage finds for each picture;
- ``laidout``: the laid-out deck the layout produces (``LaidDeck`` of ``Page``s of placed
  frames), which the writers translate without deciding anything.

Every name of both is here too (``from deckgen.model import Run``).
"""

from deckgen.model import document, laidout
from deckgen.model.document import *  # noqa: F403
from deckgen.model.laidout import *  # noqa: F403

__all__ = [*document.__all__, *laidout.__all__]
