"""Marked-up text from untrusted source text: snippets, headlines and the reader's body."""

from corpus.snippets import (
    HIGHLIGHT_START,
    HIGHLIGHT_STOP,
    Span,
    choose_mentions,
    headline_html,
    keyword_in_context,
    locate_quote,
    mark_up_body,
)

HOSTILE = 'Before <script>alert("x")</script> & Kursk <b>bold</b> after.'


def test_keyword_in_context_marks_the_span_and_escapes_the_rest():
    start = HOSTILE.index("Kursk")
    html = keyword_in_context(HOSTILE, start, start + 5)
    assert "<mark>Kursk</mark>" in html
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;" in html and "&amp;" in html


def test_keyword_in_context_cuts_long_text_at_words_with_ellipses():
    text = (
        " ".join(f"word{i}" for i in range(100))
        + " Zelensky "
        + " ".join(f"tail{i}" for i in range(100))
    )
    start = text.index("Zelensky")
    html = keyword_in_context(text, start, start + 8, width=40)
    assert html.startswith("…word") and html.endswith("…")
    assert "<mark>Zelensky</mark>" in html
    assert len(html) < 140


def test_keyword_in_context_accepts_body_offsets_into_a_window():
    body = "x" * 500 + " the ATACMS missile " + "y" * 500
    start = body.index("ATACMS")
    window_start = start - 90
    window = body[window_start : start + 6 + 90]
    html = keyword_in_context(window, start, start + 6, offset=window_start)
    assert "<mark>ATACMS</mark>" in html


def test_headline_turns_markers_into_marks_and_escapes_text():
    headline = f"a <i>b</i> {HIGHLIGHT_START}Kursk{HIGHLIGHT_STOP} & c"
    assert headline_html(headline) == "a &lt;i&gt;b&lt;/i&gt; <mark>Kursk</mark> &amp; c"


def test_headline_with_stray_markers_stays_balanced():
    html = headline_html(f"{HIGHLIGHT_STOP}x{HIGHLIGHT_START}open to the end")
    assert html == "x<mark>open to the end</mark>"
    assert headline_html("") == ""


def test_overlapping_mentions_keep_the_longest_at_a_start_and_drop_nested_ones():
    spans = [Span(0, 5, "/a/"), Span(0, 12, "/b/"), Span(6, 12, "/c/"), Span(12, 15, "/d/")]
    assert [s.url for s in choose_mentions(spans, 20)] == ["/b/", "/d/"]


def test_mentions_past_the_body_end_are_dropped():
    assert choose_mentions([Span(5, 50, "/x/")], 20) == []


def test_marked_body_links_mentions_escapes_text_and_splits_paragraphs():
    body = "Kursk <script>x</script>\nUkraine and Kursk Oblast."
    mentions = [
        Span(0, 5, "/places/kursk/", "Kursk"),
        Span(body.index("Ukraine"), body.index("Ukraine") + 7, "/actors/ukraine/", "Ukraine"),
        Span(body.index("Kursk Oblast"), body.index("Kursk Oblast") + 5, "/places/kursk/", "K"),
        Span(body.index("Kursk Oblast"), body.index("Kursk Oblast") + 12, "/places/ko/", "KO"),
    ]
    paragraphs = mark_up_body(body, mentions)
    assert len(paragraphs) == 2
    first, second = paragraphs
    assert first.startswith('<a class="mention" href="/places/kursk/" title="Kursk">Kursk</a>')
    assert "&lt;script&gt;x&lt;/script&gt;" in first and "<script>" not in first
    assert '<a class="mention" href="/actors/ukraine/" title="Ukraine">Ukraine</a>' in second
    assert '<a class="mention" href="/places/ko/" title="KO">Kursk Oblast</a>' in second


def test_adjacent_mentions_are_two_links():
    body = "USUK"
    html = mark_up_body(body, [Span(0, 2, "/us/", "US"), Span(2, 4, "/uk/", "UK")])[0]
    assert html == (
        '<a class="mention" href="/us/" title="US">US</a>'
        '<a class="mention" href="/uk/" title="UK">UK</a>'
    )


def test_cited_quote_is_marked_around_mentions_with_one_id_and_the_active_one_distinct():
    body = "Intro. Biden allowed ATACMS strikes. Outro."
    quote_start = body.index("Biden")
    quote_end = body.index(" Outro")
    atacms = body.index("ATACMS")
    html = mark_up_body(
        body,
        [Span(atacms, atacms + 6, "/weapons/atacms/", "ATACMS")],
        [Span(quote_start, quote_end, citation_id=7), Span(0, 6, citation_id=8)],
        active_citation=7,
    )[0]
    assert html.count('id="cite-7"') == 1 and html.count('id="cite-8"') == 1
    assert '<mark class="cite cite-active" id="cite-7">Biden allowed </mark>' in html
    assert (
        '<mark class="cite cite-active"><a class="mention" href="/weapons/atacms/" '
        'title="ATACMS">ATACMS</a></mark>'
    ) in html
    assert '<mark class="cite" id="cite-8">Intro.</mark>' in html


def test_quote_spanning_paragraphs_gets_its_id_once():
    body = "One two\nthree four"
    html = "".join(mark_up_body(body, [], [Span(4, 13, citation_id=3)]))
    assert html.count('id="cite-3"') == 1
    assert html.count("<mark") == 2


def test_locate_quote_trusts_matching_offsets_and_otherwise_searches():
    body = "abc The quote here. def"
    assert locate_quote(body, 4, 19, "The quote here.") == (4, 19)
    assert locate_quote(body, 0, 5, "The quote here.") == (4, 19)
    assert locate_quote(body, 0, 5, "not in the body") is None
