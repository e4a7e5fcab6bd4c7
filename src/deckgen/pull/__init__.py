"""``deckgen pull``: a deck a teacher edited in PowerPoint or LibreOffice, read back into the post.

- ``slideread``: a slide's shapes and texts as the comparison sees them (also used when the
  .pptx is written, to record what deckgen wrote);
- ``deckmap``: the map the .pptx carries of where each text comes from (custom properties);

The rest (reading the edited deck, matching it to the map, finding the post's lines and
writing the edits as a diff) is imported on demand, so the .pptx writer needs only the two
modules above.
"""
