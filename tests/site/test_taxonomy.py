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


def test_the_tag_unit_and_author_pages_list_what_pelican_lists(sample_site, monkeypatch):
    from pelican.generators import ArticlesGenerator

    checked = {}
    original = ArticlesGenerator.generate_output

    def generate_output(self, writer):
        """Before the pages are written: each list answers ``in`` as a plain list would."""
        groups = [*self.tags.items(), *self.categories, *self.authors]
        for key, articles in groups:
            assert isinstance(articles, ArticleList)
            plain = list(articles)
            checked[key.slug] = [a for a in self.dates if a in articles] == [
                a for a in self.dates if a in plain
            ]
        return original(self, writer)

    monkeypatch.setattr(ArticlesGenerator, "generate_output", generate_output)
    sample_site.build(LOA_SEARCH=False)
    assert len(checked) > 20 and all(checked.values())
