"""deckgen: lecture posts (Jekyll Markdown) to an editable .pptx and an offline reveal.js deck."""

__version__ = "0.1.0"
