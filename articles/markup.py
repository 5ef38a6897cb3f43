"""The body markup: CommonMark (markdown-it-py), sanitised with nh3 before it is stored.

Rules editors rely on (documented in docs/markup.md):
- a line starting with "## " is a subheading (mellomtittel); "# " is demoted to a subheading
  too, because the page has exactly one <h1>, the article's title;
- a paragraph starting with "– " (en dash and a space) is a dash quote and keeps its dash;
- raw HTML typed into the body is shown as text, never interpreted.
"""

import itertools

import nh3
from markdown_it import MarkdownIt

DASH_QUOTE_PREFIX = "– "

ALLOWED_TAGS = {
    "p", "h2", "h3", "h4", "blockquote", "ul", "ol", "li", "strong", "em", "a", "br", "hr",
    "code", "pre", "figure", "figcaption", "img",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "ol": {"start"},
    "img": {"src", "alt", "title", "width", "height", "loading"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
ALLOWED_CLASSES = {"p": {"dash-quote"}}


def _demote_top_headings(state):
    for token in state.tokens:
        if token.type in {"heading_open", "heading_close"} and token.tag == "h1":
            token.tag = "h2"


def _mark_dash_quotes(state):
    for opening, inline in itertools.pairwise(state.tokens):
        if (
            opening.type == "paragraph_open"
            and opening.level == 0
            and inline.type == "inline"
            and inline.content.startswith(DASH_QUOTE_PREFIX)
        ):
            opening.attrSet("class", "dash-quote")


def _build_parser():
    parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    parser.core.ruler.push("demote_top_headings", _demote_top_headings)
    parser.core.ruler.push("mark_dash_quotes", _mark_dash_quotes)
    return parser


_parser = _build_parser()


def sanitise_html(html):
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        allowed_classes=ALLOWED_CLASSES,
        link_rel="noopener noreferrer",
    )


def render_body(markup):
    """Turn an editor's body markup into HTML that is safe to show as it is."""
    return sanitise_html(_parser.render(markup or ""))
