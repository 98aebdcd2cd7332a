"""Page boilerplate: found and labelled on the seed reports, kept in the text."""
from __future__ import annotations

import pytest

from archive.ingest import read_article
from archive.ingest.boilerplate import find_boilerplate


def seed(seeds_dir, prefix):
    return read_article(sorted(seeds_dir.glob(f"{prefix}_*.txt"))[0])


def labels_at(art, offset):
    return {r.label for r in art.regions if r.start <= offset < r.end}


def assert_tail_is_tiled(art):
    tail = sorted((r for r in art.regions if r.start >= art.body_end), key=lambda r: r.start)
    assert tail, "a tail was expected"
    assert tail[0].start == art.body_end and tail[-1].end == len(art.text)
    for a, b in zip(tail, tail[1:]):
        assert a.end == b.start


def test_regions_are_well_formed(seeds_dir):
    for path in sorted(seeds_dir.glob("*.txt")):
        art = read_article(path)
        assert 0 < art.body_end <= len(art.text)
        for r in art.regions:
            assert 0 <= r.start < r.end <= len(art.text) and r.label
        # boilerplate is recorded, never removed
        assert art.text == path.read_text(encoding="utf-8")


def test_seed_000_related_articles_and_photo_credit(seeds_dir):
    art = seed(seeds_dir, "000")
    heading = art.text.index("Related articles")
    assert art.body_end == heading
    assert art.text.rindex("criminal investigation") < art.body_end
    assert "related-links" in labels_at(art, heading)
    assert_tail_is_tiled(art)
    credit = art.text.index("/dpa")
    assert credit < 400 and "photo-caption" in labels_at(art, credit)
    assert art.text.index("extradition of Mikhail") < art.body_end


def test_seed_001_inline_related_link_and_source_url(seeds_dir):
    art = seed(seeds_dir, "001")
    inline = art.text.index("Related article:")
    assert inline < art.body_end and "related-links" in labels_at(art, inline)
    assert art.text.index("mobilization of reserves") < art.body_end
    assert art.text.index("Original url") == art.body_end
    assert "source-url" in labels_at(art, art.body_end)
    assert "photo-caption" in labels_at(art, art.text.index("Photo from"))
    assert_tail_is_tiled(art)


def test_seed_002_more_stories_cookies_and_russian_browser_warning(seeds_dir):
    art = seed(seeds_dir, "002")
    assert art.text.index("appeals procedure") < art.body_end
    assert art.text.index("More stories") == art.body_end
    assert "cookie-notice" in labels_at(art, art.text.index("We use cookies"))
    warning = art.text.index("браузер")
    assert warning > art.body_end and "browser-warning" in labels_at(art, warning)
    assert "footer" in labels_at(art, art.text.index("Terms of use"))
    assert "photo-caption" in labels_at(art, art.text.index("courtesy photo"))
    assert_tail_is_tiled(art)


def test_seed_003_sign_off_teasers_comments_most_read(seeds_dir):
    art = seed(seeds_dir, "003")
    last_fact = art.text.index("requests for comment")
    assert last_fact < art.body_end
    sign_off = art.text.index("\nReuters\n") + 1
    assert art.body_end == sign_off and "sign-off" in labels_at(art, sign_off)
    assert "teasers" in labels_at(art, art.text.index("1 day ago"))
    assert "subscribe" in labels_at(art, art.text.index("\nsubscribe") + 1)
    assert "comments" in labels_at(art, art.text.index("Would you like to comment"))
    assert "most-read" in labels_at(art, art.text.index("Most read"))
    assert "related-links" in labels_at(art, art.text.index("Related Articles"))
    assert "navigation" in labels_at(art, 0)
    assert "photo-caption" in labels_at(art, art.text.index("Picture:"))
    assert_tail_is_tiled(art)


def test_plain_article_has_no_tail():
    text = ("Court upholds order\n\nThe court upheld the order. The lawyers said they would appeal, "
            "and the ministry declined to comment on the decision, which rights groups criticised.\n")
    regions, body_end = find_boilerplate(text)
    assert regions == [] and body_end == len(text)


def test_heading_at_the_top_does_not_swallow_the_body():
    body = " ".join(["The court upheld the order and the lawyers said they would appeal."] * 8)
    text = f"Related articles\n\n{body}\n\n{body}\n"
    regions, body_end = find_boilerplate(text)
    assert body_end == len(text)
    assert [r.label for r in regions] == ["related-links"] and regions[0].start == 0


def test_mid_body_advertisement_and_cookie_banner():
    para = "The court upheld the order and the lawyers said they would appeal it to the highest court."
    text = (f"This site uses cookies to improve your experience. Accept\n\n{para}\n\nAdvertisement\n\n"
            f"{para}\n\n{para}\n\n{para}\n")
    regions, body_end = find_boilerplate(text)
    assert body_end == len(text)
    assert [r.label for r in regions] == ["cookie-notice", "advertisement"]


def test_reuters_style_credit_line_ends_the_body():
    para = "The court upheld the order and the lawyers said they would appeal it to the highest court."
    text = f"Title here\n\n{para}\n\n{para}\n\n(Reporting by Jane Doe; Editing by John Roe)\n"
    regions, body_end = find_boilerplate(text)
    assert text[body_end:].startswith("(Reporting by")
    assert [r.label for r in regions] == ["sign-off"]


PARA = ("The court upheld the order and the lawyers said they would appeal it to the highest court. "
        "The ministry declined to comment on the ruling, which rights groups had criticised.")


def test_markdown_footer_after_a_closing_rule(tmp_path):
    footer = ("*Example Post is reader-funded and free to read. [Support our work](https://post.example/support)"
              " · [Newsletter](https://post.example/news)*")
    text = f"# Court upholds order\n\n{PARA}\n\n{PARA}\n\n---\n\n{footer}\n"
    path = tmp_path / "a.md"
    path.write_text(text, encoding="utf-8")
    art = read_article(path)
    assert art.body_end == text.index("---")
    assert [r.label for r in art.regions if r.start >= art.body_end] == ["footer"]
    assert_tail_is_tiled(art)


def test_closing_rule_with_a_footer_that_names_nothing_known():
    text = f"Court upholds order\n\n{PARA}\n\n{PARA}\n\n***\n\nFollow us · Mastodon · RSS\n"
    regions, body_end = find_boilerplate(text)
    assert body_end == text.index("***") and regions[-1].label == "footer"


def test_closing_rule_before_prose_is_not_a_footer():
    note = "Correction: an earlier version of this article gave the wrong date for the first hearing."
    text = f"Court upholds order\n\n{PARA}\n\n{PARA}\n\n---\n\n{note}\n"
    assert find_boilerplate(text) == ([], len(text))


def test_setext_heading_underline_is_not_a_rule():
    text = f"Court upholds order\n\n{PARA}\n\n{PARA}\n\nWhat next\n---\n\nSee our explainer [here](https://x.example).\n"
    regions, body_end = find_boilerplate(text)
    assert body_end == len(text)


def test_rule_too_early_or_before_a_long_block_is_not_a_footer():
    text = f"Court upholds order\n\n---\n\n{PARA}\n\n{PARA}\n"
    assert find_boilerplate(text)[1] == len(text)
    many = "\n\n".join(f"[Link {i}](https://x.example/{i})" for i in range(9))
    text = f"Court upholds order\n\n{PARA}\n\n{PARA}\n\n---\n\n{many}\n"
    assert find_boilerplate(text)[1] > text.index("---")


@pytest.mark.parametrize("line", [
    "Example Monitor is published weekly. Subscribe at monitor.example | Letters to the editor",
    "The Example Post is an independent news outlet.",
    "© 2025 Example Media Ltd",
    "All rights reserved.",
    "Letters to the editor | Corrections policy | Contact us",
    "© Example Wire. All rights reserved. Terms | Privacy | Cookie settings",
])
def test_publisher_footer_lines_end_the_body(line):
    text = f"Court upholds order\n\n{PARA}\n\n{PARA}\n\n{line}\n"
    regions, body_end = find_boilerplate(text)
    assert body_end == text.index(line)
    assert [r.label for r in regions] == ["footer"]


@pytest.mark.parametrize("line", [
    "The report is published every year by the ministry, which declined to comment.",
    "Doe is supported by his family and friends, his lawyer said on Friday.",
])
def test_body_sentences_about_publishing_are_not_footers(line):
    text = f"Court upholds order\n\n{PARA}\n\n{PARA}\n\n{line}\n"
    assert find_boilerplate(text)[1] == len(text)
