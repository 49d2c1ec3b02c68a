"""``loa.taxonomy``: the lists of tag, unit and author pages answer ``in`` by identity, in constant time."""

from __future__ import annotations

from loa.taxonomy import ArticleList


class _Article:
    def __init__(self, source_path: str) -> None:
        self.source_path = source_path


def test_an_article_list_is_the_list_it_was_made_from():
    articles = [_Article(f"bai-{n}.md") for n in range(5)]
    listed = ArticleList(articles[:3])
    assert listed == articles[:3] and isinstance(listed, list)
    assert articles[0] in listed and articles[4] not in listed
    # Another object with the same fields is another article (Pelican compares identity).
    assert _Article("bai-0.md") not in listed
    listed.append(articles[4])
    assert articles[4] in listed
    listed[0] = articles[3]
    assert articles[3] in listed and articles[0] not in listed
    assert "bai-1.md" not in listed


def test_the_tag_unit_and_author_pages_list_what_pelican_lists(sample_site):
    from pelican.generators import ArticlesGenerator

    seen = {}

    def remember(self, write):
        for tag, articles in self.tags.items():
            assert isinstance(articles, ArticleList)
            quadratic = [a for a in self.dates if a in list(articles)]
            seen[tag.slug] = quadratic == [a for a in self.dates if a in articles]

    original = ArticlesGenerator.generate_tags
    ArticlesGenerator.generate_tags = lambda self, write: (
        remember(self, write),
        original(self, write),
    )[1]
    try:
        sample_site.build(LOA_SEARCH=False)
    finally:
        ArticlesGenerator.generate_tags = original
    assert len(seen) > 10 and all(seen.values())
