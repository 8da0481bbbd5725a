"""The places where user or official text becomes HTML.

Residents' comments are plain text: escaped, with only http, https and mailto links made
clickable. Officials' rich text is Markdown, rendered and then sanitized by bleach. Both
live here so that bleach (in maintenance mode) can be replaced in one file.
"""

import html
import re

import bleach
import markdown as markdown_lib
from bleach.linkifier import Linker
from flask_babel import get_locale
from markupsafe import Markup, escape

LINK_PROTOCOLS = ["http", "https", "mailto"]
LINK_REL = "nofollow ugc noopener"

RICH_TEXT_TAGS = [
    "p", "br", "strong", "em", "ul", "ol", "li", "blockquote", "code", "pre",
    "h2", "h3", "h4", "a", "table", "thead", "tbody", "tr", "th", "td", "hr",
]
RICH_TEXT_ATTRIBUTES = {"a": ["href", "title"], "th": ["scope"]}


def _safe_link(attrs, new=False):
    """Keep only allowed schemes and mark every link as user content."""
    href = attrs.get((None, "href"), "")
    scheme = href.split(":", 1)[0].lower() if ":" in href else ""
    if scheme not in LINK_PROTOCOLS:
        return None  # bleach then leaves the text as plain text
    attrs[(None, "rel")] = LINK_REL
    return attrs


_linker = Linker(callbacks=[_safe_link], parse_email=True)
# Anything bleach might turn into a link has an @, a scheme or a dot between letters ("city.gov").
MAYBE_LINK = re.compile(r"@|://|\w\.[^\W\d_]{2}")


def linkify_plain_text(text: str) -> Markup:
    """Escape a resident's plain text and turn its web and mail addresses into safe links."""
    if not MAYBE_LINK.search(text or ""):
        return Markup(html.escape(text or "", quote=False))  # most comments: no link, and bleach is slow
    # bleach escapes every character of the input before adding <a> elements of its own.
    return Markup(_linker.linkify(bleach.clean(text or "", tags=[], strip=False)))


def render_rich_text(source: str) -> Markup:
    """Render an official's Markdown and sanitize the result to the allowlist."""
    html = markdown_lib.markdown(source or "", extensions=["tables", "sane_lists"])
    cleaned = bleach.clean(
        html, tags=RICH_TEXT_TAGS, attributes=RICH_TEXT_ATTRIBUTES, protocols=LINK_PROTOCOLS, strip=True
    )
    return Markup(_linker.linkify(cleaned))


def marked_body(comment, original: bool = False) -> Markup:
    """A comment's text for moderators: the original with what the pipeline found as personal data
    marked and named (for a screen reader too), or the redacted text once there is one."""
    if comment.redacted_body is not None and not original:
        return linkify_plain_text(comment.redacted_body)
    text, position, parts = comment.body, 0, []
    for span in sorted(comment.analysis.pii if comment.analysis else [], key=lambda s: s["start"]):
        if span["start"] < position:
            continue
        kind = span["kind"].replace("_", " ")
        parts += [escape(text[position:span["start"]]),
                  Markup('<mark class="pii">{}<span class="usa-sr-only"> ({})</span></mark>').format(
                      text[span["start"]:span["end"]], kind)]
        position = span["end"]
    parts.append(escape(text[position:]))
    return Markup("").join(parts)


def in_language(text: str, lang: str | None):
    """Text written in another language than the page's, such as a round's English title inside a
    Spanish sentence, marked with its language so screen readers pronounce it right (WCAG 3.1.2)."""
    if not lang or lang == str(get_locale() or "en"):
        return text
    return Markup('<span lang="{}">{}</span>').format(lang, text)  # format() escapes both
