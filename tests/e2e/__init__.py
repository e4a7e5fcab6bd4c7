"""End-to-end tests: whole posts built through the CLI or the pipeline, the decks read back."""
