"""The plain-text format on its own: blocks, the subheading rule, encodings, escaping."""

import pytest

from articles.markup import render_body
from articles.plaintext import PlainTextError, decode, format_article, is_subheading, parse
from tests.html import elements

ARTICLE = "Verden\n\nTittel\n\nIngress.\n\n{body}\n"


def body_of(text):
    parsed = parse(ARTICLE.format(body=text))
    return [(block.text, block.is_subheading) for block in parsed.blocks]


@pytest.mark.parametrize(
    "line",
    [
        "Møtes på romsenter?",
        "Tettere etter Ukraina-invasjon",
        "Presses til forhandlinger?",
        "«De neste dagene»",
        "x" * 80,
    ],
)
def test_short_lines_without_a_full_stop_are_subheadings(line):
    assert is_subheading(line)


@pytest.mark.parametrize(
    "line",
    [
        "Det er første gang på fire år at Kim forlater Nord-Korea.",
        "Men så skjedde det!",
        "Han sa dette:",
        "Tre ting; to ting,",
        "Og så …",
        "«Vi gir oss ikke.»",
        "Han kalte det «en skandale».",
        "– Nei",
        "x" * 81,
    ],
)
def test_sentences_quotes_and_long_lines_are_paragraphs(line):
    assert not is_subheading(line)


def test_a_hard_wrapped_short_block_is_a_paragraph_joined_with_spaces():
    assert body_of("Møtes på\nromsenter?\n\nKort\n\nSlutt.") == [
        ("Møtes på romsenter?", False),
        ("Kort", True),
        ("Slutt.", False),
    ]


def test_whitespace_inside_lines_is_tidied_but_non_breaking_spaces_are_kept():
    parsed = parse("  Verden  \n \t \nEn\t\ttittel   her\n\n13\u00a0mil unna.\n\nTekst.")
    assert (parsed.section, parsed.title, parsed.lead) == (
        "Verden",
        "En tittel her",
        "13\u00a0mil unna.",
    )


def test_mer_fra_dagsavisen_at_the_end_is_dropped_but_not_elsewhere():
    assert body_of("Mer fra Dagsavisen\n\nSlutt.\n\nMER FRA DAGSAVISEN") == [
        ("Mer fra Dagsavisen", True),
        ("Slutt.", False),
    ]


def test_windows_line_endings_and_a_byte_order_mark_are_accepted():
    unix = ARTICLE.format(body="Første avsnitt.\n\nMellomtittel\n\nAndre avsnitt.")
    windows = "\ufeff" + unix.replace("\n", "\r\n")
    assert parse(decode(windows.encode("utf-8"))) == parse(decode(unix.encode("utf-8")))
    assert parse(decode(unix.replace("\n", "\r").encode())) == parse(unix)


@pytest.mark.parametrize(
    ("data", "line", "message"),
    [
        (b"", None, "tom"),
        (b" \n\t\n\r\n", None, "tom"),
        (b"Verden\n", 2, "tittelen mangler"),
        (b"Mer fra Dagsavisen\n", 2, "tittelen mangler"),
        (b"Verden\n\nMer fra Dagsavisen", 2, "tittelen mangler"),
        (b"Verden\n\nTittel\n", 4, "ingress og br\xc3\xb8dtekst mangler"),
        (b"Verden\n\nTittel\n\nIngress\nover to linjer.\n", 7, "br\xc3\xb8dteksten mangler"),
        (b"Verden\nTittel\n\nIngress\n\nTekst.", 2, "seksjonsnavnet m\xc3\xa5 st\xc3\xa5 alene"),
        (
            b"Verden\n\nTittel\nfortsetter\n\nIngress\n\nTekst.",
            4,
            "tittelen m\xc3\xa5 st\xc3\xa5 alene",
        ),
        (b"Verden\n\nTittel\n\nM\xf8tes i morgen.\n\nTekst.", 5, "ugyldig UTF-8"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", 3, "ikke en tekstfil"),
        (b"Verden\n\nTit\x07tel\n\nIngress\n\nTekst.", 3, "kontrolltegn U+0007"),
        ("Verden\n\nTittel\n\nIngress\ufffe\n\nTekst.".encode(), 5, "ikke-tegn U+FFFE"),
        ("Verden\n\nTittel".encode("utf-16"), 1, "UTF-16"),
    ],
)
def test_bad_input_is_refused_with_the_line_at_fault(data, line, message):
    with pytest.raises(PlainTextError) as error:
        parse(decode(data))
    assert error.value.line == line
    assert message.encode("latin-1").decode("utf-8") in error.value.message


def test_line_breaks_from_word_processors_are_line_breaks():
    parsed = parse(
        decode("Verden\x0b\x0bTittel\u2029\u2029Ingress\x0cfortsetter\n\nTekst.".encode())
    )
    assert (parsed.section, parsed.title, parsed.lead) == (
        "Verden",
        "Tittel",
        "Ingress fortsetter",
    )


def test_too_long_title_is_refused():
    with pytest.raises(PlainTextError, match="linje 3: tittelen er lengre enn 255 tegn"):
        parse(ARTICLE.replace("Tittel", "x" * 256).format(body="Tekst."))


@pytest.mark.parametrize(
    "paragraph",
    [
        "13. september startet det hele.",
        "1) Først dette.",
        "# Ikke en overskrift.",
        "> Ikke et sitat.",
        "- Ikke et punkt.",
        "+ Heller ikke.",
        "---\n---",
        "~~~\nkode",
        "```python\nkode",
        "*Ikke* uthevet, _heller_ ikke __dette__.",
        "En [lenke](https://example.no) og <https://example.no> og <b>fet</b>.",
        "[ref]: https://example.no\nmer",
        "Tegn som &amp; og &#65; og AT&T og C:\\*stjerne\\.",
    ],
)
def test_paragraphs_are_shown_exactly_as_written(paragraph):
    parsed = parse(ARTICLE.format(body=paragraph))
    shown = [(element["tag"], element["text"]) for element in elements(render_body(parsed.body))]
    assert shown == [("p", paragraph.replace("\n", " "))]


@pytest.mark.parametrize(
    "subheading", ["Vi er #1", "Nummer ##", "*Stjerner*", "---", "```", "[ref]: /x", "Hva nå?"]
)
def test_subheadings_are_shown_exactly_as_written(subheading):
    parsed = parse(ARTICLE.format(body=subheading + "\n\nTekst."))
    shown = [(element["tag"], element["text"]) for element in elements(render_body(parsed.body))]
    assert shown == [("h2", subheading), ("p", "Tekst.")]


def test_export_writes_what_the_reader_sees_from_formatted_markup():
    text = format_article(
        section="Kultur",
        title="Tittel",
        lead="Første linje\nandre linje.",
        body="Et **fett** ord og en [lenke](https://example.no).\n\n- punkt ett\n- punkt to\n\n"
        "# Stor overskrift\n\n> Sitat.",
    )
    assert text == (
        "Kultur\n\nTittel\n\nFørste linje andre linje.\n\n"
        "Et fett ord og en lenke.\n\npunkt ett\n\npunkt to\n\nStor overskrift\n\nSitat.\n"
    )
