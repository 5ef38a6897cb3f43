"""The body markup: CommonMark (markdown-it-py), sanitised with nh3 before it is stored.

Rules editors rely on (documented in docs/markup.md):
- a line starting with "## " is a subheading (mellomtittel); "# " is demoted to a subheading
  too, because the page has exactly one <h1>, the article's title;
- a paragraph starting with "– " (en dash and a space) is a dash quote and keeps its dash;
- raw HTML typed into the body is shown as text, never interpreted;
- a paragraph that is only ``![alt](bilde:<id>)`` places image <id> from the photo library as
  a <figure>; any other image reference is shown as its alt text, so a body never loads
  images from elsewhere.
"""

import itertools
import re

import nh3
from django.core.files.storage import default_storage
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token

DASH_QUOTE_PREFIX = "– "

ALLOWED_TAGS = {
    "p", "h2", "h3", "h4", "blockquote", "ul", "ol", "li", "strong", "em", "a", "br", "hr",
    "code", "pre", "figure", "figcaption", "picture", "source", "img",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "ol": {"start"},
    "img": {"src", "srcset", "sizes", "alt", "width", "height", "loading", "decoding"},
    "source": {"srcset", "sizes", "type"},
    # Without this key nh3 allows `lang` and `title` on every element.
    "*": set(),
}
IMAGE_URL_ATTRIBUTES = {"src", "srcset"}
LIBRARY_IMAGE_SRC = re.compile(r"bilde:([0-9]{1,18})")
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


def _lone_library_image(inline):
    children = [child for child in inline.children or [] if child.type != "softbreak"]
    if len(children) == 1 and children[0].type == "image":
        match = LIBRARY_IMAGE_SRC.fullmatch(children[0].attrGet("src") or "")
        if match:
            return int(match[1]), children[0]
    return None


def _place_library_images(state):
    placed, tokens = [], state.tokens
    index = 0
    while index < len(tokens):
        found = (
            tokens[index].type == "paragraph_open"
            and index + 2 < len(tokens)
            and _lone_library_image(tokens[index + 1])
        )
        if found:
            image_id, image = found
            figure = Token("library_image", "figure", 0, block=True, level=tokens[index].level)
            alt_text = state.md.renderer.renderInlineAsText(image.children, state.md.options, {})
            figure.meta = {"image_id": image_id, "alt_text": alt_text}
            placed.append(figure)
            index += 3
        else:
            placed.append(tokens[index])
            index += 1
    state.tokens = placed


def _render_library_image(renderer, tokens, index, options, env):
    figure = env.get("figure")
    meta = tokens[index].meta
    return figure(meta["image_id"], meta["alt_text"]) if figure else ""


def _render_image_as_alt_text(renderer, tokens, index, options, env):
    return escapeHtml(renderer.renderInlineAsText(tokens[index].children, options, env))


def _build_parser():
    parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    parser.core.ruler.push("demote_top_headings", _demote_top_headings)
    parser.core.ruler.push("mark_dash_quotes", _mark_dash_quotes)
    parser.core.ruler.push("place_library_images", _place_library_images)
    parser.add_render_rule("library_image", _render_library_image)
    parser.add_render_rule("image", _render_image_as_alt_text)
    return parser


_parser = _build_parser()


def _only_urls_under(prefix):
    def only_our_media(element, attribute, value):
        if attribute not in IMAGE_URL_ATTRIBUTES:
            return value
        urls = [candidate.split()[0] for candidate in value.split(",") if candidate.strip()]
        ours = urls and all(url.startswith(prefix) and ".." not in url for url in urls)
        return value if ours else None

    return only_our_media


def sanitise_html(html):
    # The storage's own URL for a file, less the name: /media/ locally, the bucket's address.
    media_prefix = default_storage.url("x").removesuffix("x")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        allowed_classes=ALLOWED_CLASSES,
        link_rel="noopener noreferrer",
        attribute_filter=_only_urls_under(media_prefix),
    )


def library_image_ids(markup):
    """Photo library ids that the body places as figures."""
    return {
        token.meta["image_id"]
        for token in _parser.parse(markup or "")
        if token.type == "library_image"
    }


def render_body(markup, *, figure=None):
    """Turn an editor's body markup into HTML that is safe to show as it is.

    ``figure(image_id, alt_text)`` returns the HTML for a photo from the library; it is
    sanitised with the rest.
    """
    return sanitise_html(_parser.render(markup or "", {"figure": figure}))
