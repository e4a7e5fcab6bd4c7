"""The page around the HTML deck's slides: the document, reveal.js's start, the phone view.

On a screen at least :data:`PHONE_WIDTH` + 1 CSS px wide the deck is reveal.js's: one slide at a
time, scaled to the window. Narrower (a phone held upright), the same file is a page that reflows:
:data:`PHONE_CSS` turns the absolutely placed frames into blocks in reading order at readable
sizes and undoes reveal.js's scaling, and the script keeps every slide in the page (reveal.js
hides all but the current one) and the address (``#/page-N``) in step with the scrolling.
reveal.js's own scroll view (which starts at that same width) is off: it still scales the slide.

The deck reads as a document: reveal.js marks its viewport ``role="application"``, which keeps
screen readers out of browse mode (reveal.js issue #3772); the script takes it off, and the keys
still turn the slides.
"""

from __future__ import annotations

from deckgen.writers.htmlparts import esc

#: The widest screen that gets the phone view: reveal.js's own ``scrollActivationWidth``.
PHONE_WIDTH = 435

# Sizes in the phone view are the reader's (rem), not the slide's: reveal.js's inline geometry
# (the scaled .slides, each section's display and top) and the layout's (each frame's box, each
# paragraph's size) are inline styles, so the rules that undo them are !important.
PHONE_CSS = f"""/* the phone view: the slides one after another, reflowed at readable sizes */
@media (max-width: {PHONE_WIDTH}px) {{
html.reveal-full-page, body.reveal-viewport {{ height: auto; min-height: 100%; overflow: visible; }}
.reveal {{ height: auto; overflow: visible; touch-action: auto; }}
.reveal .slides {{ position: static !important; inset: auto !important; width: auto !important;
  height: auto !important; margin: 0 !important; transform: none !important; zoom: 1 !important;
  pointer-events: auto; perspective: none; text-align: left; }}
.reveal .backgrounds, .reveal .controls, .reveal .progress {{ display: none !important; }}
.reveal .slides > section.dg-page {{ display: grid !important; grid-template-columns: minmax(0, 1fr) auto;
  position: relative !important; top: auto !important; left: auto !important; width: auto !important;
  height: auto !important; min-height: 0 !important; padding: 1.5rem 1rem 0.75rem !important;
  transform: none !important; opacity: 1 !important; visibility: visible !important;
  transition: none !important; pointer-events: auto !important; border-top: 1px solid var(--dg-muted); }}
.reveal .slides > section.dg-page:first-child {{ border-top: 0; }}
.reveal .dg-frame {{ position: static !important; left: auto !important; top: auto !important;
  width: auto !important; height: auto !important; min-width: 0; grid-column: 1 / -1; margin: 0 0 0.75rem; }}
.reveal .dg-frame.dg-text {{ padding: 0 !important; }}
.reveal .dg-text p {{ font-size: 1rem !important; line-height: 1.5 !important; }}
.reveal .dg-text p.dg-title {{ font-size: 1.5rem !important; line-height: 1.25 !important; }}
.reveal .dg-title-page .dg-text p.dg-title {{ font-size: 1.75rem !important; }}
.reveal .dg-title-page .dg-frame.dg-title {{ margin: -1.5rem -1rem 1rem; padding: 1.5rem 1rem !important; }}
.reveal .dg-text p.dg-heading {{ font-size: 1.25rem !important; line-height: 1.35 !important; }}
.reveal .dg-text p.dg-subtitle {{ font-size: 1.125rem !important; }}
.reveal .dg-text p.dg-meta {{ font-size: 0.875rem !important; }}
.reveal .dg-frame.dg-footer {{ grid-column: 1; margin: 0.5rem 0 0; }}
.reveal .dg-frame.dg-number {{ grid-column: 2; margin: 0.5rem 0 0 1rem; }}
.reveal .dg-code {{ font-size: 1rem !important; line-height: 1.45 !important; padding: 0.5rem 0.75rem !important; }}
.reveal .dg-table {{ width: 100% !important; table-layout: auto; font-size: 1rem !important;
  line-height: 1.4 !important; }}
.reveal .dg-table col {{ width: auto !important; }}
.reveal .dg-table tr {{ height: auto !important; }}
.reveal .dg-picture, .reveal .dg-embed {{ margin: 0.25rem -1rem 1rem; }}
.reveal .dg-picture a {{ display: block; }}
.reveal .dg-picture img {{ height: auto !important; object-fit: contain; }}
.reveal .dg-picture.dg-logo {{ margin: 0.75rem 0 0; }}
.reveal .dg-logo img {{ width: auto !important; height: 2.25rem !important; }}
.reveal .dg-embed {{ position: relative !important; }}
.reveal .dg-embed .dg-frame {{ margin: 0; }}
.reveal .dg-embed .dg-play {{ left: 50% !important; top: 50% !important; transform: translate(-50%, -50%); }}
.reveal .dg-embed.dg-no-poster {{ background: none; }}
.reveal .dg-no-poster .dg-play {{ position: static; display: block; margin: 0.5rem auto 0; transform: none; }}
.reveal .dg-embed iframe, .reveal .dg-embed video {{ height: auto !important; aspect-ratio: 16 / 9; }}
.reveal .dg-placeholder {{ padding: 0.75rem !important; font-size: 1rem !important; line-height: 1.4 !important; }}
}}
"""

# After reveal.js starts: the deck as a document, and the phone view.
DECK_SCRIPT = f"""(function () {{
  var deck = document.querySelector(".reveal");
  var phone = window.matchMedia("(max-width: {PHONE_WIDTH}px)");
  var hiding = ["hidden", "aria-hidden", "inert"];
  var pages = function () {{ return Array.prototype.slice.call(deck.querySelectorAll(".slides > section")); }};
  var shown = null, pending = 0;
  // on a phone every slide is in the page: what reveal.js hides (all but the current slide) is shown
  var unhide = function () {{
    if (!phone.matches) return;
    pages().forEach(function (page) {{
      hiding.forEach(function (name) {{ if (page.hasAttribute(name)) page.removeAttribute(name); }});
    }});
  }};
  var reveal = function (page) {{
    if (!phone.matches || !page) return;
    shown = page;
    page.scrollIntoView({{block: "start"}});
  }};
  // scrolling makes the slide at the top third the current one, so the address follows the reader
  var follow = function () {{
    pending = 0;
    if (!phone.matches) return;
    if (shown) {{
      var r = shown.getBoundingClientRect();
      if (r.top < window.innerHeight && r.bottom > 0) return;
      shown = null;
    }}
    var all = pages(), at = 0, line = window.innerHeight / 3;
    for (var i = 0; i < all.length && all[i].getBoundingClientRect().top <= line; i++) at = i;
    if (window.innerHeight + window.scrollY >= document.documentElement.scrollHeight - 2) at = all.length - 1;
    if (all[at] !== Reveal.getCurrentSlide()) {{ shown = all[at]; Reveal.slide(at); }}
  }};
  new MutationObserver(unhide).observe(deck.querySelector(".slides"),
    {{attributes: true, subtree: true, attributeFilter: hiding}});
  Reveal.on("slidechanged", function (event) {{ if (event.currentSlide !== shown) reveal(event.currentSlide); }});
  window.addEventListener("scroll", function () {{
    if (phone.matches && !pending) pending = requestAnimationFrame(follow);
  }}, {{passive: true}});
  var setView = function (change) {{
    deck.toggleAttribute("data-prevent-swipe", phone.matches);  // a swipe scrolls the page
    // reveal.js reads each new slide out: not while the reader scrolls through the page
    var status = deck.querySelector(".aria-status");
    if (status) status.setAttribute("aria-live", phone.matches ? "off" : "polite");
    if (phone.matches) {{ unhide(); reveal(Reveal.getCurrentSlide()); }} else if (change) {{ Reveal.sync(); Reveal.layout(); }}
  }};
  phone.addEventListener("change", setView);
  // reveal.js marks its viewport role="application": screen readers would stay out of browse mode
  deck.removeAttribute("role");
  setView();
}})();"""

# embeds load only when asked for: a classroom without internet still shows the poster
PLAY_SCRIPT = """document.addEventListener("click", function (event) {
  var button = event.target.closest(".dg-play");
  if (!button) return;
  var holder = button.parentElement;
  holder.innerHTML = holder.getAttribute("data-embed");
  var player = holder.querySelector("iframe, video");
  if (player) player.focus();
});"""

# the space bar presses a focused button or link instead of turning the slide
KEYBOARD_CONDITION = """function (event) {
    return !(event.keyCode === 32 && document.activeElement && document.activeElement.closest("button, a"));
  }"""


def document(
    *,
    lang: str,
    theme_name: str,
    title: str,
    head_links: list[str],
    sections: str,
    scripts: list[str],
    width: float,
    height: float,
) -> str:
    """The whole ``index.html``: ``head_links`` are stylesheets, ``scripts`` reveal.js and its plugin."""
    links = "".join(f'<link rel="stylesheet" href="{esc(href)}">\n' for href in head_links)
    loads = "".join(f'<script src="{esc(src)}"></script>\n' for src in scripts)
    return f"""<!doctype html>
<html lang="{esc(lang)}" data-theme="{esc(theme_name)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="deckgen">
<title>{esc(title)}</title>
{links}</head>
<body>
<main class="reveal">
<div class="slides">
{sections}
</div>
</main>
{loads}<script>
{PLAY_SCRIPT}
Reveal.initialize({{
  width: {width:g}, height: {height:g}, margin: 0.02, center: false, hash: true,
  controls: true, controlsLayout: "edges", progress: true, slideNumber: false, transition: "slide",
  scrollActivationWidth: null, keyboardCondition: {KEYBOARD_CONDITION},
  plugins: [RevealNotes]
}}).then(function () {{
{DECK_SCRIPT}
}});
</script>
</body>
</html>
"""
