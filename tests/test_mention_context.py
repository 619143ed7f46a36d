"""Role fillers read as words in their context, the trigger's paragraph first."""

from __future__ import annotations

from workstation.core.mention_context import OTHERS, in_context, nearest_first, paragraph_of

TEXT = ("Erdogan Threatens to Use Force\n\n"
        "Turkish President Recep Tayyip Erdogan has threatened to use force against Turkey's posts.\n"
        "Russia answered.")


def span(words: str, occurrence: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(occurrence + 1):
        start = TEXT.index(words, start + 1)
    return start, start + len(words)


def test_a_mention_shows_its_words_and_up_to_three_words_each_side_within_its_line():
    assert in_context(TEXT, *span("Erdogan", 1)) == "Erdogan — “…President Recep Tayyip [Erdogan] has threatened to…”"
    assert in_context(TEXT, *span("Erdogan")) == "Erdogan — “[Erdogan] Threatens to Use…”"
    assert in_context(TEXT, *span("Turkey")) == "Turkey — “…use force against [Turkey]'s posts.”"
    assert in_context(TEXT, *span("Russia")) == "Russia — “[Russia] answered.”"


def test_the_triggers_paragraph_comes_first_then_the_nearest():
    assert paragraph_of(TEXT, span("threatened")[0]) == (32, TEXT.index("\nRussia"))
    mentions = [("headline", *span("Erdogan")), ("body", *span("Erdogan", 1)), ("russia", *span("Russia")),
                ("turkey", *span("Turkey"))]
    near, rest = nearest_first(TEXT, mentions, span("threatened"))
    assert [mention_id for _, mention_id in near] == ["body", "turkey"]
    assert [mention_id for _, mention_id in rest] == ["russia", "headline"]


def test_a_long_document_offers_its_nearest_mentions_only():
    """20,000 mentions once took the event form most of a second to list in every role."""
    text = "trigger here\n" + "\n".join(f"Name{number} said." for number in range(OTHERS + 50))
    mentions = [(f"m{number}", text.index(f"Name{number} "), text.index(f"Name{number} ") + len(f"Name{number}"))
                for number in range(OTHERS + 50)]
    near, rest = nearest_first(text, mentions, (0, 7))
    assert near == []
    assert [mention_id for _, mention_id in rest] == [f"m{number}" for number in range(OTHERS)]
