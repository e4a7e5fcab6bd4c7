"""The course page's HTML: one card per deck, a filter box, the theme's look.

Every text on the page is escaped here (:func:`esc`). The page is one file with no
address outside the output folder: it works offline, from ``file://`` and inside a Jekyll
site (no front matter: Jekyll copies it as it is). Without script it lists every deck; a few
lines of inline script show the filter box, which narrows the list by title, tag or date.
"""

from __future__ import annotations

import html
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from deckgen import __version__
from deckgen.course.decks import DeckEntry, human_size
from deckgen.course.look import Look
from deckgen.language import detect, text_runs
from deckgen.theme.contrast import relative_luminance

DEFAULT_TITLE = "Course decks"


@dataclass(frozen=True)
class CourseInfo:
    """What the page says of the course (the site's ``_config.yml``, else deckgen.toml)."""

    title: str = DEFAULT_TITLE
    description: str = ""
    lang: str = ""  # the site's; "" finds it from the titles, as a deck's is found from its text


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def _href(path: Path, out_dir: Path) -> str:
    """A link from the page (in ``out_dir``) to ``path``: relative, so it works from a file too."""
    return quote(Path(os.path.relpath(path, out_dir)).as_posix())


def marked(text: str, lang: str) -> str:
    """``text`` escaped, each run in another language than the page's marked with it (Chinese
    in an English page, English in a Chinese one), as the decks mark them."""
    parts = []
    for run in text_runs(" ".join(text.splitlines()), lang):
        parts.append(f'<span lang="{esc(run.lang)}">{esc(run.text)}</span>' if run.lang else esc(run.text))
    return "".join(parts)


def _card(entry: DeckEntry, index: int, out_dir: Path, lang: str) -> str:
    heading = f"deck-{index}"
    search = " ".join((entry.title, *entry.tags, entry.date)).lower()
    picture = ""
    if entry.picture is not None:
        picture = (
            f'<img src="{_href(entry.picture, out_dir)}" alt="" width="640" height="360" loading="lazy" decoding="async">'
        )
    facts = []
    if entry.date:
        facts.append(f'<time datetime="{esc(entry.date)}">{esc(entry.date)}</time>')
    facts.append(f"{entry.pages} slide{'' if entry.pages == 1 else 's'}")
    tags = f'<p class="tags">{" · ".join(marked(t, lang) for t in entry.tags)}</p>' if entry.tags else ""
    links = []
    for out in entry.outputs:
        size = f' <span class="size">{esc(human_size(out.size))}</span>' if out.size is not None else ""
        download = "" if out.kind == "html" else " download"
        links.append(f'<li><a href="{_href(out.path, out_dir)}"{download}>{esc(out.label)}{size}</a></li>')
    return (
        f'<li data-search="{esc(search)}"><article class="card" aria-labelledby="{heading}">{picture}'
        f'<div class="body"><h2 id="{heading}">{marked(entry.title, lang)}</h2>'
        f'<p class="meta">{" · ".join(facts)}</p>{tags}'
        f'<ul class="outputs" aria-label="Downloads">{"".join(links)}</ul></div></article></li>'
    )


def _style(look: Look) -> str:
    return f"""*, *::before, *::after {{ box-sizing: border-box; }}
[hidden] {{ display: none !important; }}
html {{ background: {look.background}; color: {look.text}; font-family: {look.font}; line-height: 1.5;
  -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }}
body {{ margin: 0; }}
a {{ color: {look.link}; }}
.wrap {{ max-width: 76rem; margin: 0 auto; padding-left: 1rem; padding-right: 1rem; }}
.band {{ background: {look.accent}; color: {look.on_accent}; padding: 1.75rem 0 1.5rem; }}
.band h1 {{ margin: 0; font-size: 2.1rem; font-weight: normal; line-height: 1.2; overflow-wrap: anywhere; }}
.band p {{ margin: .5rem 0 0; max-width: 48rem; overflow-wrap: anywhere; }}
main {{ padding: 1.25rem 0 2rem; }}
.filter {{ display: flex; flex-wrap: wrap; align-items: center; gap: .5rem 1rem; margin: 0 0 1.25rem; }}
.filter input {{ font: inherit; color: {look.text}; background: {look.background}; border: 1px solid {look.muted};
  border-radius: 4px; padding: .35rem .6rem; flex: 1 1 12rem; min-width: 0; max-width: 26rem; }}
.filter p, .none {{ margin: 0; color: {look.muted}; }}
.cards {{ list-style: none; margin: 0; padding: 0; display: grid; gap: 1.25rem;
  grid-template-columns: repeat(auto-fill, minmax(min(100%, 17rem), 1fr)); }}
.card {{ height: 100%; display: flex; flex-direction: column; border: 1px solid {look.rule};
  border-top: 4px solid {look.accent}; border-radius: 6px; overflow: hidden; }}
.card img {{ display: block; width: 100%; height: auto; aspect-ratio: 16 / 9; border-bottom: 1px solid {look.rule}; }}
.card .body {{ flex: 1; display: flex; flex-direction: column; gap: .3rem; padding: .75rem 1rem 1rem; }}
.card h2 {{ margin: 0; font-size: 1.15rem; font-weight: normal; line-height: 1.3; color: {look.heading}; overflow-wrap: anywhere; }}
.meta, .tags {{ margin: 0; color: {look.muted}; font-size: .9rem; overflow-wrap: anywhere; }}
.outputs {{ list-style: none; margin: auto 0 0; padding: .4rem 0 0; display: flex; flex-wrap: wrap; gap: .2rem 1.1rem; }}
.outputs a {{ display: inline-block; padding: .15rem 0; }}
.size {{ color: {look.muted}; }}
footer {{ color: {look.muted}; font-size: .9rem; padding: 0 0 2rem; }}
footer p {{ margin: 0; }}
@media (max-width: 30rem) {{ .band h1 {{ font-size: 1.6rem; }} .band {{ padding: 1.25rem 0 1rem; }} }}"""


# the filter: each card's data-search holds its title, tags and date in lower case; every word
# typed must be in it. The form is hidden until this runs: without script there is no box.
_SCRIPT = """(function () {
  var form = document.getElementById("filter-form"), box = document.getElementById("filter"),
      count = document.getElementById("filter-count"), none = document.getElementById("no-match"),
      cards = Array.prototype.slice.call(document.querySelectorAll("#decks > li"));
  if (!form || !box || !count || !none) return;
  var all = cards.length + (cards.length === 1 ? " deck" : " decks");
  form.hidden = false;
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  function update() {
    var words = box.value.toLowerCase().split(/\\s+/).filter(Boolean), shown = 0;
    cards.forEach(function (card) {
      var text = card.getAttribute("data-search") || "";
      var hit = words.every(function (word) { return text.indexOf(word) !== -1; });
      card.hidden = !hit;
      if (hit) shown += 1;
    });
    count.textContent = shown === cards.length ? all : shown + " of " + all;
    none.hidden = shown !== 0;
  }
  box.addEventListener("input", update);
  update();
})();"""


def course_page(entries: Sequence[DeckEntry], out_dir: Path, info: CourseInfo, look: Look) -> str:
    """The whole page: ``info``'s title and description on the theme's band, then the cards."""
    lang = info.lang or detect([info.title, info.description, *(t for e in entries for t in (e.title, *e.tags))])
    scheme = "dark" if relative_luminance(look.background.lstrip("#")) < 0.2 else "light"
    cards = "\n".join(_card(entry, i, out_dir, lang) for i, entry in enumerate(entries, 1))
    count = f"{len(entries)} deck{'' if len(entries) == 1 else 's'}"
    description = f"<p>{marked(info.description, lang)}</p>" if info.description else ""
    meta_description = f'<meta name="description" content="{esc(info.description)}">\n' if info.description else ""
    listing = (
        f'<ul class="cards" id="decks">\n{cards}\n</ul>\n<p class="none" id="no-match" hidden>No deck matches the filter.</p>'
        if entries
        else '<p class="none">No decks were built.</p>'
    )
    return f"""<!doctype html>
<html lang="{esc(lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="{scheme}">
<meta name="generator" content="deckgen {esc(__version__)}">
{meta_description}<title>{esc(info.title)}</title>
<style>
{_style(look)}
</style>
</head>
<body>
<header class="band"><div class="wrap"><h1>{marked(info.title, lang)}</h1>{description}</div></header>
<main class="wrap">
<form class="filter" id="filter-form" role="search" hidden>
<label for="filter">Filter by title or tag</label>
<input type="search" id="filter" autocomplete="off" spellcheck="false">
<p id="filter-count" role="status">{count}</p>
</form>
{listing}
</main>
<footer class="wrap"><p>{count}, made with deckgen.</p></footer>
<script>
{_SCRIPT}
</script>
</body>
</html>
"""


__all__ = ["DEFAULT_TITLE", "CourseInfo", "course_page", "esc", "marked"]
