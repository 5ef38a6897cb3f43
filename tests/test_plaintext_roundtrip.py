"""Property tests: generated articles survive plain text → article → plain text → article."""

import io
import itertools

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.markup import render_body
from articles.models import RESERVED_SECTION_SLUGS, Article
from articles.plaintext import format_article, parse
from articles.text import norwegian_slugify
from tests.html import elements

LETTERS = "abcdefghijklmnopqrstuvwxyzæøåABCDEFGHIJKLMNOPQRSTUVWXYZÆØÅéü0123456789"
# Everything the body markup treats specially, plus Norwegian punctuation.
PUNCTUATION = "*_`[]<>#&;\\~-+!().,:?«»\"'%/=|{}^$@"

# Fragments that are markup when nothing escapes them, so examples hit them often.
MARKUP_FRAGMENTS = [
    "&amp;", "&#65;", "&x41;", "#", "##", "1.", "13)", "---", "***", "___", "~~~", "```",
    ">", "-", "+", "<https://example.no>", "<b>", "[lenke](https://example.no)", "[ref]:",
    "![bilde](x)", "**fet**", "_kursiv_", "`kode`", "\\", "\\*", "–",
]  # fmt: skip
words = st.one_of(
    st.text(alphabet=LETTERS + PUNCTUATION, min_size=1, max_size=12),
    st.sampled_from(MARKUP_FRAGMENTS),
)
plain_words = st.text(alphabet=LETTERS, min_size=1, max_size=12)


def sentence(word_strategy, min_size=1, max_size=20):
    return st.lists(word_strategy, min_size=min_size, max_size=max_size).map(" ".join)


# The format's documented constraints (docs/plaintext-format.md): a paragraph ends with a full
# stop, a subheading is one short line that does not; a dash quote starts with "– ".
not_a_dash_quote = sentence(words).filter(lambda text: not text.startswith("– "))
paragraphs = not_a_dash_quote.map(lambda text: ("paragraph", text + "."))
dash_quotes = sentence(words).map(lambda text: ("dash-quote", f"– {text}, sier hun."))
short_line = sentence(words, max_size=5).filter(
    lambda text: len(text) <= 75 and not text.startswith("– ")
)
# The ending is added after the filter, so the whole line is checked again ("–" + " #").
subheadings = (
    st.tuples(short_line, st.sampled_from(["?", "n", "7", "e»", " #", "#", "*", " ]"]))
    .map(lambda parts: parts[0] + parts[1])
    .filter(lambda text: not text.startswith("– "))
    .map(lambda text: ("subheading", text))
)
documents = st.fixed_dictionaries(
    {
        # A section named like one of the site's own addresses («Person», «RSS») is refused.
        "section": sentence(plain_words, max_size=3).filter(
            lambda name: norwegian_slugify(name) not in RESERVED_SECTION_SLUGS
        ),
        "title": sentence(words, max_size=15),
        "lead": sentence(words, max_size=30),
        "body": st.lists(st.one_of(paragraphs, dash_quotes, subheadings), min_size=1, max_size=8),
    }
).filter(lambda document: document["body"][-1][1].lower() != "mer fra dagsavisen")


def as_plain_text(document):
    blocks = [document["section"], document["title"], document["lead"]]
    blocks.extend(text for _kind, text in document["body"])
    return "\n\n".join(blocks) + "\n"


def what_readers_see(document):
    tags = {
        "paragraph": ("p", None),
        "dash-quote": ("p", "dash-quote"),
        "subheading": ("h2", None),
    }
    return [(*tags[kind], text) for kind, text in document["body"]]


def shown(body_html):
    return [
        (element["tag"], element["attrs"].get("class"), element["text"])
        for element in elements(body_html)
        if element["tag"] in {"p", "h2"}
    ]


@given(documents)
@settings(max_examples=200)
def test_generated_text_parses_renders_and_formats_back_unchanged(document):
    text = as_plain_text(document)
    parsed = parse(text)

    assert (parsed.section, parsed.title, parsed.lead) == (
        document["section"],
        document["title"],
        document["lead"],
    )
    assert shown(render_body(parsed.body)) == what_readers_see(document)
    assert (
        format_article(
            section=parsed.section, title=parsed.title, lead=parsed.lead, body=parsed.body
        )
        == text
    )


file_numbers = itertools.count()


@pytest.mark.django_db
@given(document=documents)
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_importing_an_export_gives_the_same_article(tmp_path, document):
    original_path = tmp_path / f"original-{next(file_numbers)}.txt"
    original_path.write_text(as_plain_text(document), encoding="utf-8")
    call_command("import_articles", str(original_path), "--create-sections", stdout=io.StringIO())
    original = Article.objects.get(import_key=original_path.stem)

    exported = io.StringIO()
    call_command("export_article", original.slug, stdout=exported, stderr=io.StringIO())
    assert exported.getvalue() == as_plain_text(document).replace(
        document["section"], original.section.name, 1
    )
    copy_path = tmp_path / f"kopi-{next(file_numbers)}.txt"
    copy_path.write_text(exported.getvalue(), encoding="utf-8")
    call_command("import_articles", str(copy_path), stdout=io.StringIO())

    copy = Article.objects.get(import_key=copy_path.stem)
    assert (copy.section, copy.title, copy.lead, copy.body, copy.body_html) == (
        original.section,
        original.title,
        original.lead,
        original.body,
        original.body_html,
    )
    assert shown(copy.body_html) == what_readers_see(document)
