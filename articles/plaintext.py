"""The plain-text article format that wire copy and archives arrive in (docs/plaintext-format.md).

    <section name>
    <blank line>
    <title>
    <blank line>
    <lead>
    <blank line>
    <body paragraphs, separated by blank lines>
    [Mer fra Dagsavisen]

A body block is a subheading (mellomtittel) when it is a single line of at most
SUBHEADING_MAX_LENGTH characters that does not start with a dash quote and does not end in
., !, :, ;, , or … ("Møtes på romsenter?" is a subheading; "Det er første gang." is not).
"""

import re
from dataclasses import dataclass, field

from .markup import DASH_QUOTE_PREFIX

SUBHEADING_MAX_LENGTH = 80
SUBHEADING_FORBIDDEN_ENDINGS = (".", "!", ":", ";", ",", "…")
FURNITURE_LINES = {"mer fra dagsavisen"}
MARKUP_HEADING = "## "


class PlainTextError(ValueError):
    def __init__(self, message, line=None):
        self.line = line
        super().__init__(f"linje {line}: {message}" if line else message)


@dataclass
class Block:
    text: str
    line: int


@dataclass
class PlainArticle:
    section: str
    title: str
    lead: str
    paragraphs: list = field(default_factory=list)

    @property
    def body(self):
        """The body in the site's markup, ready for ``Article.body``."""
        return "\n\n".join(self.paragraphs)


def is_subheading(text):
    return (
        "\n" not in text
        and len(text) <= SUBHEADING_MAX_LENGTH
        and not text.startswith(DASH_QUOTE_PREFIX)
        and not text.endswith(SUBHEADING_FORBIDDEN_ENDINGS)
    )


def split_blocks(text):
    blocks, current, start = [], [], None
    for number, raw_line in enumerate(text.splitlines(), start=1):
        line = " ".join(raw_line.split())
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


def block_to_markup(text):
    if is_subheading(text):
        return MARKUP_HEADING + text
    text = " ".join(text.splitlines())
    # A paragraph must not be read as markup it was never meant to be (a leading "#", "1.").
    return re.sub(r"^([#>*+\-=]|\d+[.)])", r"\\\1", text)


def parse(text):
    """Parse one plain-text article; raises PlainTextError naming the line at fault."""
    if not text.strip():
        raise PlainTextError("filen er tom")
    blocks = split_blocks(text.lstrip("\ufeff"))
    if blocks and blocks[-1].text.strip().lower() in FURNITURE_LINES:
        blocks.pop()
    if len(blocks) < 2:
        raise PlainTextError("mangler tittel (forventet seksjon, tittel, ingress og brødtekst)")
    if len(blocks) < 3:
        raise PlainTextError("mangler ingress", line=blocks[-1].line)
    if len(blocks) < 4:
        raise PlainTextError("mangler brødtekst", line=blocks[-1].line)
    section, title, lead, *body = blocks
    for name, block in (("seksjonen", section), ("tittelen", title)):
        if "\n" in block.text or len(block.text) > 255:
            raise PlainTextError(f"{name} må være én linje på høyst 255 tegn", line=block.line)
    return PlainArticle(
        section=section.text,
        title=title.text,
        lead=" ".join(lead.text.splitlines()),
        paragraphs=[block_to_markup(block.text) for block in body],
    )
