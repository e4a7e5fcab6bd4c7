from test_theme_render import *  # noqa
import json
def test_dump(computed, small_decks):
    print(json.dumps(computed["school"], indent=1)[:1500])
    print(small_decks["school"].theme.fonts.files, small_decks["school"].pptx)
