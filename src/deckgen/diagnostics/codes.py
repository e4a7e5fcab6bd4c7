"""Every kind of problem deckgen reports, with its stable code.

A code never changes its meaning; a message may be reworded freely. Letters name the
family (``E`` errors that stop a post, ``S`` the source and its front matter, ``M`` markup,
``L`` links, ``P`` pictures, ``T`` the layout, ``A`` accessibility, ``O`` outputs, ``R``
reveal.js, ``D`` a deck's edits read back by ``deckgen pull``), hundreds the stage (1xx found
while building, 2xx found by ``deckgen check``; ``D1xx`` what stops a pull, ``D2xx`` the edits
it lists and does not carry over).
``docs/diagnostics.md`` lists them all (a test keeps it in step with this module).
"""

from __future__ import annotations

from deckgen.diagnostics.model import Code, Severity

ERR, WARN, INFO, HINT = Severity.ERROR, Severity.WARNING, Severity.INFO, Severity.HINT

# Each code, three lines: what it is (code, name, severity, kind); the message and the hint
# (templates, ``{fact}`` filled from the report); an example and the fix, for the docs.

# ---------------------------------------------------------------------------
# E: a post (or the whole command) could not be done; raised, not collected

INPUT_ERROR = Code("E100", "input-error", ERR, "input",
    "{message}", "{hint}",
    "deckgen build missing.md", "give an existing post or folder")
POST_UNREADABLE = Code("E101", "post-unreadable", ERR, "input",
    "{message}", "{hint}",
    "a post that is a folder, or unreadable", "check the path")
POST_ENCODING = Code("E102", "post-encoding", ERR, "input",
    "{message}", "{hint}",
    "a post saved as Big5", "save the post as UTF-8")
FRONT_MATTER_INVALID = Code("E103", "front-matter-invalid", ERR, "front-matter",
    "{message}", "{hint}",
    "title: [unclosed", "fix the YAML between the two --- lines")
POST_TOO_LARGE = Code("E104", "post-too-large", ERR, "input",
    "{message}", "{hint}",
    "a 5 MB post", "split it, or raise --max-post-size")
THEME_INVALID = Code("E201", "theme-invalid", ERR, "input",
    "{message}", "{hint}",
    "theme: nope", "name a theme that exists, fix its TOML")
BUILD_FAILED = Code("E301", "build-failed", ERR, "output",
    "{message}", "{hint}",
    "a read-only output folder", "make the folder writable")
CACHE_FAILED = Code("E302", "cache-failed", ERR, "output",
    "{message}", "{hint}",
    "deckgen cache clear on a read-only cache",
    "make the cache folder writable, or use another with --cache-dir")
SITE_NOT_FOUND = Code("E105", "site-not-found", ERR, "input",
    "{message}", "{hint}",
    "deckgen build posts --site, with no _config.yml above posts/",
    "build the site's _posts folder, or name the site with --site-root DIR")
INTERNAL_ERROR = Code("E901", "internal-error", ERR, "input",
    "{message}", "{hint}",
    "a bug in deckgen", "report it, with the post")

# ---------------------------------------------------------------------------
# S: the source, its front matter and Liquid

BAD_CHARACTERS = Code("S101", "bad-characters", WARN, "source",
    "characters a deck cannot hold (control characters, U+FFFE/U+FFFF, lone surrogates) cannot be written; removed",
    "",
    "a NUL byte pasted into a line", "delete the invisible character on that line")
LIQUID_UNSUPPORTED = Code("S102", "liquid-unsupported", WARN, "source",
    "{what} '{text}' is not supported; removed", "",
    "{% include x.html %}", "write what the tag would show as text, or leave it: it is removed")
LIQUID_UNCLOSED = Code("S103", "liquid-unclosed", WARN, "markup",
    "Liquid '{text}' is never closed; removed to the end of the line",
    "close it with }}}} or %}}",  # a template: braces doubled
    "{{ page.title", "close the tag")
NO_TITLE = Code("S201", "no-title", WARN, "front-matter",
    "no title", "add a line 'title: ...' to the front matter",
    "front matter without title:", "add title:")
BAD_DATE = Code("S202", "bad-date", WARN, "front-matter",
    "date '{value}' is not a date", "write it as YYYY-MM-DD (optionally HH:MM:SS +0800)",
    "date: next monday", "write YYYY-MM-DD")
LANG_INVALID = Code("S203", "lang-invalid", WARN, "front-matter",
    "lang '{value}' is not a language tag; the deck's language is found from its text",
    "write a language tag: en, zh-Hant (zh-TW), ja",
    "lang: Chinese", "write `lang: zh-Hant` (or `zh-TW`)")

# ---------------------------------------------------------------------------
# M: markup the decks cannot show as the post means it

EMPTY_SLIDE = Code("M101", "empty-slide", INFO, "markup",
    "empty slide skipped", "",
    "--- followed by ---", "remove one ---")
TEXT_CUT = Code("M102", "text-cut", WARN, "markup",
    "{what} too long for a slide, cut after its first words (…)", "shorten it, or make it several",
    "a 2,000-character list item", "split the text into several items")
LINK_NOT_URL = Code("M103", "link-not-url", WARN, "markup",
    "link target '{target}' is not a URL; the text is kept without a link", "",
    "[x](a b c)", "write an address without spaces (%20)")
EMBED_NO_SRC = Code("M104", "embed-no-src", WARN, "markup",
    "an <iframe> used as an image has no src; dropped", "",
    "![](<iframe>)", "give the iframe a src")
IMAGE_NO_URL = Code("M105", "image-no-url", WARN, "markup",
    "image without a URL dropped", "",
    "![alt]()", "give the address")
IMG_NO_SRC = Code("M106", "img-no-src", WARN, "markup",
    "<img> without src dropped", "",
    "<img alt='x'>", "add src=")
IFRAME_NO_SRC = Code("M107", "iframe-no-src", WARN, "markup",
    "<iframe> without src dropped", "",
    "<iframe></iframe>", "add src=")
UNKNOWN_TAG = Code("M108", "unknown-tag", WARN, "markup",
    "unknown HTML tag <{tag}> dropped, its text kept", "",
    "<ve>text</ve>", "remove the tag, or write &lt; for a '<' meant as text")
TABLE_STRAY_TEXT = Code("M109", "table-stray-text", WARN, "markup",
    "text between table cells moved after the table", "",
    "<table>text<tr>...", "put the text in a cell, or after the table")
VIDEO_NO_SOURCE = Code("M110", "video-no-source", WARN, "markup",
    "<video> without a source dropped", "",
    "<video></video>", "add src=")
STRONG_UNMATCHED = Code("M201", "strong-unmatched", WARN, "markup",
    "'**' shown as is (its pair is missing, or it touches punctuation on the wrong side)",
    "pair it, or put a space outside it next to Chinese punctuation",
    "**Blog**:** [x](y)", "pair the **")
UNDERSCORE_UNMATCHED = Code("M202", "underscore-unmatched", WARN, "markup",
    "'__' shown as is (its pair is missing)", "pair it, or write \\_\\_",
    "__init__ without backticks", "put code in backticks")
BACKTICK_UNMATCHED = Code("M203", "backtick-unmatched", WARN, "markup",
    "a backtick shown as is (its pair is missing)", "close the code with `",
    "`code", "close it")
COMMENT_SHOWN = Code("M204", "comment-shown", WARN, "markup",
    "'<!--' shown as is", "close the comment with -->, or write &lt;!--",
    "text <!-- note", "close the comment")
LINK_SPLIT = Code("M205", "link-split", WARN, "markup",
    "link split over two lines: the site shows '[...]' and '(...)' as text",
    "put ']' and '(' together on one line",
    "[text]\\n(https://x)", "join the lines")
LINK_UNPARSED = Code("M206", "link-unparsed", WARN, "markup",
    "{what} '{text}' is not parsed and shows as text",
    "keep the address on one line without spaces (write %20)",
    "[x](https://a b)", "remove the space")
COMMENT_UNCLOSED = Code("M207", "comment-unclosed", WARN, "markup",
    "HTML comment never closed: it hides everything after it", "end the comment with -->",
    "<!-- note", "close it with -->")
NOT_HTML_TAG = Code("M208", "not-html-tag", WARN, "markup",
    "<{tag}> is not HTML: the reader sees nothing of the tag", "write &lt; for '<', or put it in backticks",
    "List<String>", "write List&lt;String&gt; or `List<String>`")

# ---------------------------------------------------------------------------
# L: links and the URL policy

URL_DROPPED = Code("L101", "url-dropped", WARN, "link",
    "{url}: not a safe link, dropped", "",
    "[x](javascript:alert(1))", "link to an http(s) or mailto address")
SITE_PATH_NO_LINK = Code("L102", "site-path-no-link", WARN, "link",
    "{url}: a site path, kept in the HTML deck; the .pptx has no link",
    "give --site-url, or url in the site's _config.yml",
    "[x](/2024/08/16/x.html)", "give the site's address")
LINK_EMPTY = Code("L201", "link-empty", WARN, "link",
    "link with an empty target", "put the address between the parentheses, or drop the brackets",
    "[text]()", "fill in the address")
LINK_NO_SLASHES = Code("L202", "link-no-slashes", WARN, "link",
    "'{url}' is missing '//' after '{scheme}:'", "write {scheme}://...",
    "http:/x.org", "write http://")
LINK_SCHEME_TYPO = Code("L203", "link-scheme-typo", WARN, "link",
    "scheme typo in '{url}'", "write https:// (or http://)",
    "ttps://x.org", "write https://")
LINK_NO_COLON = Code("L204", "link-no-colon", WARN, "link",
    "'{url}' is missing ':' after the scheme", "write https://...",
    "https//x.org", "write https://")
LINK_NO_SCHEME = Code("L205", "link-no-scheme", WARN, "link",
    "'{url}' has no scheme, so it points inside the site", "write https://{url}",
    "www.x.org/page", "write https://www.x.org/page")
LINK_UNSAFE = Code("L206", "link-unsafe", WARN, "link",
    "unsafe or unsupported link '{url}': the decks drop it", "link to an http(s) address",
    "chrome-extension://x", "link to the web page instead")
LINK_NOT_KEPT = Code("L207", "link-not-kept", WARN, "link",
    "link '{url}' is not an address the decks keep", "link to an http(s) address",
    "[x](\\\\host\\share)", "link to an http(s) address")

# ---------------------------------------------------------------------------
# P: pictures

PICTURE_UNAVAILABLE = Code("P101", "picture-unavailable", WARN, "picture",
    "{url}: {reason}", "",
    "![x](https://example.org/gone.png)", "fix or replace the address, or save the picture into the site")
PICTURE_OUTSIDE = Code("P201", "picture-outside-site", WARN, "picture",
    "{url}: a local file outside the site",
    "copy the picture into the site, or allow its folder with --allow-files DIR",
    "![x](../../secret.png)", "copy the picture into the site")
PICTURE_OLD_COPY = Code("P102", "picture-cached-copy-kept", INFO, "picture",
    "{url}: the new answer is {reason}; using the cached copy", "",
    "a server that now answers with an error page", "check the address")
PICTURE_RAW_FETCHED = Code("P103", "picture-raw-fetched", INFO, "picture",
    "{url}: {why}", "",
    "![x](https://github.com/o/r/blob/main/x.png)", "link the raw file (add ?raw=true)")
PICTURE_STALE = Code("P104", "picture-stale", INFO, "picture",
    "{url}: could not revalidate ({reason}); using the cached copy", "",
    "a cached picture whose host is down", "nothing: the cached copy is used")

# ---------------------------------------------------------------------------
# T: the layout

SLIDE_TEXT_CUT = Code("T101", "slide-text-cut", WARN, "layout",
    "slide {slide}: more text than fits, even at {size} pt (a title: three lines); the rest is cut off (…)",
    "split the slide or shorten it",
    "a 40-line paragraph", "split the slide with ---, or shorten it")

# ---------------------------------------------------------------------------
# A: accessibility (what a screen reader, and PowerPoint's Accessibility Checker, find)

PICTURES_UNDESCRIBED = Code("A101", "pictures-undescribed", WARN, "accessibility",
    "{count} of {total} pictures have no description (deckgen check lists them)", "",
    "![](chart.png)", "describe each picture in the post: `![what it shows](chart.png)`; "
    "`deckgen check` lists them, `--ignore A101` leaves this line out")
PICTURE_NO_DESCRIPTION = Code("A201", "picture-no-description", WARN, "accessibility",
    "picture without a description: {url}", "{fix}",
    "![](chart.png)", "write what it shows: `![sales by month, 2024](chart.png)` or `<img alt=\"...\">`; "
    "a picture that is only decoration: `![](rule.png){: .decorative}` or `<img alt=\"\">`")
VIDEO_NO_TITLE = Code("A202", "video-no-title", WARN, "accessibility",
    "video without a title: {url}", "{fix}",
    "<iframe src=\"https://www.youtube.com/embed/x\"></iframe>",
    "give the iframe a `title=\"...\"` (or write `![its title](https://youtu.be/x)`)")
PART_NO_HEADING = Code("A203", "part-no-heading", INFO, "accessibility",
    "no heading: its slides take the title of the slide before ({title}), hidden",
    "start it with a heading (## ...) if it is a topic of its own",
    "---\\n![](x.png)\\n---", "start the part with `## Its title`")
LINK_TEXT_ADDRESS = Code("A204", "link-text-address", HINT, "accessibility",
    "link text is a bare address: {url}", "say where it leads: [what it is]({url})",
    "<https://arxiv.org/abs/2302.13971>", "write `[LLaMA paper](https://arxiv.org/abs/2302.13971)`")

# ---------------------------------------------------------------------------
# I: inputs of a folder build

SYMLINK_OUTSIDE = Code("I101", "symlink-outside", WARN, "input",
    "a symlink to a file outside the folder; skipped", "",
    "_posts/x.md -> /etc/passwd", "copy the post into the folder")

# ---------------------------------------------------------------------------
# O: the outputs (an edited deck is never lost: deckgen.edits), and the cache they are made with

OUTPUT_EDITED_KEPT = Code("O101", "output-edited-kept", WARN, "output",
    "edited since deckgen wrote it; kept as {kept}", "{todo}",
    "a title fixed in the .pptx, then the post changed and built again",
    "bring the edits into the post (deckgen pull KEPT for a .pptx), then delete the kept copy")
OUTPUT_UNKNOWN_KEPT = Code("O102", "output-unknown-kept", WARN, "output",
    "deckgen has no record of writing it; kept as {kept}", "{todo}",
    "a deck copied into the output folder, or its record (OUT/.deckgen/) deleted",
    "compare the kept copy with the new deck, carry what you want into the post, delete the copy")
OUTPUT_EDITS_DISCARDED = Code("O103", "output-edits-discarded", WARN, "output",
    "{what}; replaced, its edits are gone (--discard-edits)", "",
    "deckgen build --discard-edits after editing the .pptx", "nothing: this is what --discard-edits asks for")
# a cache that cannot be written: the outputs are fine, the next build downloads again
CACHE_NOT_WRITTEN = Code("O104", "cache-not-written", WARN, "output",
    "the cache could not be written ({reason}); what it lacks is fetched into a temporary folder, for this build only",
    "make it writable, or give another with --cache-dir",
    "a cache folder on a read-only disk, or a full quota",
    "make the folder writable or free space, or build with --cache-dir DIR; the build reads what the cache holds")

CARD_NOT_DRAWN = Code("O120", "card-not-drawn", WARN, "output",
    "the course page's picture of this deck could not be drawn ({reason}); its card shows none", "",
    "a damaged picture on the slide the card shows", "build again; if it stays, report it with the post")

# ---------------------------------------------------------------------------
# D: an edited deck read back into its post (deckgen pull)

PULL_NOT_PPTX = Code("D101", "pull-not-pptx", ERR, "edit",
    "{message}", "{hint}",
    "deckgen pull notes.docx", "give the .pptx deckgen built (or the copy a build kept, x.edited-TIME.pptx)")
PULL_NOT_DECKGEN = Code("D102", "pull-not-deckgen", ERR, "edit",
    "{message}", "{hint}",
    "deckgen pull a deck made in PowerPoint from scratch",
    "pull reads decks deckgen built: they carry a map of where each text comes from")
PULL_POST_MISSING = Code("D103", "pull-post-missing", ERR, "edit",
    "{message}", "{hint}",
    "a deck mailed home, its post not beside it", "give the post with --post POST.md")
PULL_POST_CHANGED = Code("D104", "pull-post-changed", ERR, "edit",
    "{message}", "{hint}",
    "the post edited after the deck was built",
    "pull before you edit the post; or pass --post with the version the deck was built from "
    "(git show COMMIT:_posts/x.md > old.md) and carry the diff over by hand")
PULL_POST_UNWRITABLE = Code("D105", "pull-post-unwritable", ERR, "edit",
    "{message}", "{hint}",
    "deckgen pull --write on a read-only post, or a full disk",
    "make the post writable (chmod u+w), or pull without --write and apply the diff by hand; the post is unchanged")
PULL_SLIDE_ADDED = Code("D201", "pull-slide-added", WARN, "edit",
    "slide {slide} is new ({title}): not carried into the post", "{todo}",
    "a slide added in PowerPoint", "write it into the post as a new part: `---`, then its heading and text")
PULL_SLIDE_DELETED = Code("D202", "pull-slide-deleted", WARN, "edit",
    "slide {was} ({title}) was deleted from the deck: the post keeps it", "{todo}",
    "a slide deleted in PowerPoint", "delete its part from the post (the lines named) if that is what you meant")
PULL_SLIDE_MOVED = Code("D203", "pull-slide-moved", WARN, "edit",
    "slide {slide} ({title}) was moved (it was slide {was}): the post keeps its order", "{todo}",
    "slides reordered in PowerPoint", "move its part in the post (the lines named)")
PULL_SHAPE_MOVED = Code("D204", "pull-shape-moved", WARN, "edit",
    "slide {slide}: {what} was {how}; the layout decides where things go", "{todo}",
    "a picture dragged or resized in PowerPoint",
    "nothing to carry over: change the post (a picture's width: <img width>) or the theme")
PULL_SHAPE_ADDED = Code("D205", "pull-shape-added", WARN, "edit",
    "slide {slide}: a new {what} ({name}) is not carried into the post", "{todo}",
    "a picture pasted into a slide", "add it to the post (`![what it shows](file.png)`), or its text as text")
PULL_SHAPE_DELETED = Code("D206", "pull-shape-deleted", WARN, "edit",
    "slide {slide}: {what} was deleted from the deck: the post keeps it", "{todo}",
    "a picture deleted in PowerPoint", "delete it from the post (the line named) if that is what you meant")
PULL_COLOUR_CHANGED = Code("D207", "pull-colour-changed", WARN, "edit",
    "slide {slide}: {what} has a colour deckgen did not give it ({colour}); colours come from the theme", "{todo}",
    "a word coloured red in PowerPoint", "nothing to carry over: emphasise in the post (**bold**), or change the theme")
PULL_FORMAT_UNMAPPED = Code("D208", "pull-format-unmapped", WARN, "edit",
    "slide {slide}: {what}: formatting the post cannot say here ({change}); not carried over", "{todo}",
    "a heading's bold taken off", "make the change in the post by hand, or leave it")
PULL_TEXT_UNMAPPED = Code("D209", "pull-text-unmapped", WARN, "edit",
    "slide {slide}: {what}: {why}; not carried over", "{todo}",
    "code edited in its box, a table row added, a hidden title changed",
    "make the change in the post by hand (the line named)")

# ---------------------------------------------------------------------------
# R: reveal.js for the HTML deck

REVEAL_CDN = Code("R101", "reveal-cdn", WARN, "output",
    "reveal.js {version} not available offline; the HTML deck loads it from the CDN and needs the internet to display",
    "give --reveal-js PATH",
    "a first build without network", "build once online, or give --reveal-js")
REVEAL_NOTE = Code("R201", "reveal-obtain", INFO, "output",
    "{message}", "",
    "a damaged cached reveal.js", "nothing: it is fetched again")

ALL: tuple[Code, ...] = tuple(v for v in list(globals().values()) if isinstance(v, Code))
BY_CODE: dict[str, Code] = {c.code: c for c in ALL}
BY_NAME: dict[str, Code] = {c.name: c for c in ALL}

__all__ = ["ALL", "BY_CODE", "BY_NAME"]
