"""The plain-text article format that wire copy and archives arrive in (docs/plaintext-format.md).

    <section name>
    <blank line>
    <title>
    <blank line>
    <lead>
    <blank line>
    <body blocks, separated by blank lines>
    [Mer fra Dagsavisen]

A body block is a subheading (mellomtittel) when ``is_subheading`` says so; every other block
is a paragraph, and a paragraph starting with "– " is a dash quote. Paragraphs are plain text:
characters that the body markup would read as formatting are escaped on the way in
(``text_to_markup``) and the markup is turned back into the text a reader sees on the way out
(``markup_to_blocks``), so a file survives import and export unchanged.
"""

import re
from dataclasses import dataclass

from markdown_it import MarkdownIt

from .markup import DASH_QUOTE_PREFIX
from .text import first_refused, normalise_text

SUBHEADING_MAX_LENGTH = 80
SUBHEADING_FORBIDDEN_ENDINGS = (".", "!", ":", ";", ",", "…")
# «Vi gir oss ikke.» is a sentence: look at the character before closing quotes and brackets.
CLOSING_MARKS = "»”\"'’)]"
FURNITURE_LINES = {"mer fra dagsavisen"}
SECTION_MAX_LENGTH = 100
TITLE_MAX_LENGTH = 255
MARKUP_HEADING = "## "

UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
INLINE_SPACE = re.compile(r"[ \t]+")
# Inline markup: code, emphasis, links and images, autolinks and HTML, backslash escapes.
INLINE_MARKUP = re.compile(r"([\\`*_\[\]<])")
ENTITY_LIKE = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
# Block markup at the start of a paragraph: headings, quotes, lists, rules, fences.
BLOCK_START_MARKUP = re.compile(r"^([#>+\-~])")
ORDERED_LIST_MARKER = re.compile(r"^(\d{1,9})([.)])(?=[ \t]|$)")

_commonmark = MarkdownIt("commonmark")


class PlainTextError(ValueError):
    def __init__(self, message, line=None):
        self.message = message
        self.line = line
        super().__init__(f"linje {line}: {message}" if line else message)


@dataclass(frozen=True)
class Block:
    text: str
    line: int = 0
    is_subheading: bool = False


@dataclass(frozen=True)
class PlainArticle:
    section: str
    title: str
    lead: str
    blocks: tuple

    @property
    def body(self):
        """The body in the site's markup, ready for ``Article.body``."""
        return "\n\n".join(block_to_markup(block) for block in self.blocks)


def is_subheading(text):
    """One line of at most 80 characters, not a dash quote, not ending like a sentence."""
    return (
        "\n" not in text
        and len(text) <= SUBHEADING_MAX_LENGTH
        and not text.startswith(DASH_QUOTE_PREFIX)
        and not text.rstrip(CLOSING_MARKS).endswith(SUBHEADING_FORBIDDEN_ENDINGS)
    )


def decode(data):
    """Bytes of a file to text with "\\n" line ends; UTF-8 with or without a BOM, any line ends."""
    if data.startswith(UTF16_BOMS):
        raise PlainTextError("filen er lagret som UTF-16; lagre den som UTF-8", line=1)
    if b"\x00" in data:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        raise PlainTextError("filen er ikke en tekstfil (den inneholder binære data)", line=line)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise PlainTextError(
            f"ugyldig UTF-8 (byte 0x{data[error.start]:02X}); "
            "filen er kanskje lagret som Latin-1 eller Windows-1252 – lagre den som UTF-8",
            line=data.count(b"\n", 0, error.start) + 1,
        ) from None
    # The same rule as for text typed in the admin (articles/text.py): any line end is one.
    text = normalise_text(text, multiline=True)
    if refused := first_refused(text):
        position, description = refused
        raise PlainTextError(
            f"filen er ikke en tekstfil ({description})",
            line=text.count("\n", 0, position - 1) + 1,
        )
    return text


def normalise_line(line):
    return INLINE_SPACE.sub(" ", line.strip())


def split_blocks(text):
    """Runs of non-blank lines, each with the number of its first line."""
    blocks, current, start = [], [], 0
    for number, raw_line in enumerate(text.split("\n"), start=1):
        line = normalise_line(raw_line)
        if line:
            if not current:
                start = number
            current.append(line)
        elif current:
            blocks.append(Block("\n".join(current), start))
            current = []
    if current:
        blocks.append(Block("\n".join(current), start))
    return blocks


def _single_line(block, name, max_length):
    if "\n" in block.text:
        raise PlainTextError(
            f"{name} må stå alene på én linje, fulgt av en tom linje", line=block.line + 1
        )
    if len(block.text) > max_length:
        raise PlainTextError(f"{name} er lengre enn {max_length} tegn", line=block.line)
    return block.text


def _body_block(block):
    # A hard-wrapped paragraph is one paragraph and never a subheading, however short.
    return Block(block.text.replace("\n", " "), block.line, is_subheading(block.text))


def parse(text):
    """Parse one plain-text article; raises PlainTextError naming the line at fault."""
    blocks = split_blocks(text.lstrip("\ufeff"))
    if not blocks:
        raise PlainTextError("filen er tom")
    if len(blocks) > 1 and blocks[-1].text.lower() in FURNITURE_LINES:
        blocks.pop()
    section = _single_line(blocks[0], "seksjonsnavnet", SECTION_MAX_LENGTH)
    if len(blocks) < 2:
        raise PlainTextError(
            "tittelen mangler (forventet etter seksjonsnavnet og en tom linje)",
            line=blocks[0].line + 1,
        )
    title = _single_line(blocks[1], "tittelen", TITLE_MAX_LENGTH)
    if len(blocks) < 3:
        raise PlainTextError("ingress og brødtekst mangler", line=blocks[1].line + 1)
    if len(blocks) < 4:
        raise PlainTextError(
            "brødteksten mangler (forventet etter ingressen og en tom linje)",
            line=blocks[2].line + blocks[2].text.count("\n") + 1,
        )
    return PlainArticle(
        section=section,
        title=title,
        lead=blocks[2].text.replace("\n", " "),
        blocks=tuple(_body_block(block) for block in blocks[3:]),
    )


def escape_inline(text):
    return ENTITY_LIKE.sub(r"\\&", INLINE_MARKUP.sub(r"\\\1", text))


def text_to_markup(text):
    """A paragraph of plain text as body markup that renders as exactly that text."""
    escaped = escape_inline(text)
    escaped = BLOCK_START_MARKUP.sub(r"\\\1", escaped)
    return ORDERED_LIST_MARKER.sub(r"\1\\\2", escaped)


def block_to_markup(block):
    if block.is_subheading:
        # A trailing "#" would be read as the heading's optional closing sequence.
        return MARKUP_HEADING + re.sub(r"#$", r"\\#", escape_inline(block.text))
    return text_to_markup(block.text)


def _inline_text(token):
    parts = []
    for child in token.children or ():
        if child.type in {"softbreak", "hardbreak"}:
            parts.append(" ")
        elif child.type in {"text", "code_inline", "image"}:
            parts.append(child.content)
    return normalise_line("".join(parts))


def markup_to_blocks(markup):
    """The body as Blocks of the text a reader sees; formatting, links and lists become text."""
    blocks = []
    tokens = _commonmark.parse(markup or "")
    for previous, token in zip([None, *tokens], tokens, strict=False):
        if token.type == "inline":
            text = _inline_text(token)
        elif token.type in {"fence", "code_block"}:
            text = normalise_line(" ".join(token.content.split("\n")))
        else:
            continue
        if text:
            heading = previous is not None and previous.type == "heading_open"
            blocks.append(Block(text, is_subheading=heading))
    return blocks


def format_article(*, section, title, lead, body):
    """An article in the plain-text form; ``parse`` reads it back (docs/plaintext-format.md)."""
    blocks = [section, title, normalise_line(" ".join(lead.splitlines()))]
    blocks.extend(block.text for block in markup_to_blocks(body))
    return "\n\n".join(blocks) + "\n"
