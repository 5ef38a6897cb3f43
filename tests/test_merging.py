"""Three-way merge of a refused save's text, paragraph by paragraph (articles/merging.py)."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from articles.merging import MINE, THEIRS, TextMerge, merge_blocks, paragraphs


def merged(base, mine, theirs, choices=None):
    return TextMerge.of(
        base={"title": "T", "lead": "L", "body": base},
        mine={"title": "T", "lead": "L", "body": mine},
        theirs={"title": "T", "lead": "L", "body": theirs},
    ).result(choices or {})["body"]


def test_paragraphs_are_blocks_separated_by_a_blank_line_whatever_the_line_ends():
    text = "Første avsnitt\nmed to linjer.\r\n\r\n## Mellomtittel\n \n– Sitat.\n\n\n"
    assert paragraphs(text) == ["Første avsnitt\nmed to linjer.", "## Mellomtittel", "– Sitat."]


def test_changes_to_different_paragraphs_merge_without_asking():
    base = "Én.\n\nTo.\n\nTre."
    assert merged(base, "Én endret.\n\nTo.\n\nTre.", "Én.\n\nTo.\n\nTre endret.") == (
        "Én endret.\n\nTo.\n\nTre endret."
    )


def test_neighbouring_paragraphs_changed_by_each_merge_too():
    base = "Én.\n\nTo.\n\nTre."
    assert merged(base, "Én.\n\nTo, min.\n\nTre.", "Én.\n\nTo.\n\nTre, hennes.") == (
        "Én.\n\nTo, min.\n\nTre, hennes."
    )


def test_a_paragraph_both_changed_is_a_conflict_she_must_choose():
    merge = TextMerge.of(
        base={"title": "T", "lead": "L", "body": "Én.\n\nTo."},
        mine={"title": "T", "lead": "L", "body": "Én.\n\nTo, min."},
        theirs={"title": "T", "lead": "L", "body": "Én.\n\nTo, hennes."},
    )
    [conflict] = merge.conflicts
    assert (conflict.mine, conflict.theirs) == (("To, min.",), ("To, hennes.",))
    with pytest.raises(Exception, match="Velg hvilken versjon"):
        merge.result({})
    assert merge.result({conflict.key: MINE})["body"] == "Én.\n\nTo, min."
    assert merge.result({conflict.key: THEIRS})["body"] == "Én.\n\nTo, hennes."


def test_title_and_lead_merge_as_single_units():
    merge = TextMerge.of(
        base={"title": "Gammel", "lead": "Ingress.", "body": ""},
        mine={"title": "Min tittel", "lead": "Ingress.", "body": ""},
        theirs={"title": "Gammel", "lead": "Hennes ingress.", "body": ""},
    )
    assert merge.conflicts == []
    assert merge.result({}) == {"title": "Min tittel", "lead": "Hennes ingress.", "body": ""}

    both = TextMerge.of(
        base={"title": "Gammel", "lead": "", "body": ""},
        mine={"title": "Min", "lead": "", "body": ""},
        theirs={"title": "Hennes", "lead": "", "body": ""},
    )
    [conflict] = both.conflicts
    assert conflict.key == "title-0"
    assert both.result({conflict.key: THEIRS})["title"] == "Hennes"


def test_the_same_change_on_both_sides_is_kept_once():
    assert merged("Én.\n\nTo.", "Én.\n\nTo!", "Én.\n\nTo!") == "Én.\n\nTo!"


# Unique paragraphs: a newsroom text rarely repeats one, and the property is about positions.
texts = st.text(alphabet="abcdefghijklmnopqrstuvwxyzæøå ", min_size=1, max_size=12)
unique_paragraphs = st.lists(
    texts.map(str.strip).filter(bool), min_size=1, max_size=12, unique=True
)


@settings(deadline=None)  # a shared, busy machine: correctness, not speed
@given(unique_paragraphs, st.data())
def test_edits_to_different_paragraphs_always_merge_to_contain_both(base, data):
    indices = list(range(len(base)))
    mine_at = set(data.draw(st.lists(st.sampled_from(indices), unique=True)))
    theirs_at = set(data.draw(st.lists(st.sampled_from(indices), unique=True).map(set)) - mine_at)
    mine = [f"MIN {index}" if index in mine_at else text for index, text in enumerate(base)]
    theirs = [f"DIN {index}" if index in theirs_at else text for index, text in enumerate(base)]
    parts = merge_blocks(base, mine, theirs)
    assert not any(part.is_conflict for part in parts)
    result = [block for part in parts for block in part.resolved()]
    expected = [mine[index] if index in mine_at else theirs[index] for index in range(len(base))]
    assert result == expected


def edited(base, draw, tag):
    """``base`` with some paragraphs changed, dropped or new ones put in; which were kept."""
    text, kept = [], set()
    for index, paragraph in enumerate(base):
        if draw(st.booleans()):
            text.append(f"{tag} ny {index}")
        action = draw(st.sampled_from(["keep", "keep", "change", "drop"]))
        if action == "keep":
            text.append(paragraph)
            kept.add(paragraph)
        elif action == "change":
            text.append(f"{tag} endret {index}")
    return text, kept


@settings(deadline=None)
@given(unique_paragraphs, st.data(), st.sampled_from([MINE, THEIRS]))
def test_a_merge_never_loses_a_paragraph_neither_side_changed(base, data, choice):
    mine, kept_by_me = edited(base, data.draw, "min")
    theirs, kept_by_her = edited(base, data.draw, "hennes")
    parts = merge_blocks(base, mine, theirs)
    result = [block for part in parts for block in part.resolved(choice)]
    for paragraph in kept_by_me & kept_by_her:
        assert paragraph in result
    # Nothing is made up: every paragraph comes from one of the three versions.
    assert set(result) <= set(base) | set(mine) | set(theirs)
