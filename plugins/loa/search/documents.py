"""What a shard's search documents are made of, and the key that names a shard by it."""

from __future__ import annotations

import hashlib
import html
import io
import pickle

from loa.search import shard


def unit_name(article) -> str:
    """The unit's short name shown in a search result, or the category's name."""
    unit = getattr(article, "unit", None)
    return unit.short_name if unit else article.category.name


def inputs(article) -> tuple[str, ...]:
    """What an article's search document is made of: ``shard.record``'s arguments."""
    return (
        str(article.url),
        str(article.title),
        _question(article) + str(article._content or ""),
        str(unit_name(article)),
        str(getattr(article, "locale_date", "") or ""),
    )


def _question(article) -> str:
    """A hỏi đáp's question (front matter ``question``), searched with its answer."""
    question = getattr(article, "question", None)
    return f"<p>{html.escape(str(question))}</p>" if question else ""


def documents(articles: list) -> list[tuple[str, bytes]]:
    """Each article's search document (``shard.document``) and where it goes."""
    return [
        (values[0].strip("/"), shard.document(shard.record(*values)).encode("utf-8"))
        for values in map(inputs, articles)
    ]


def packed(articles: list) -> bytes:
    """The documents' inputs (``inputs``) for ``articles``, pickled the same way every time."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.fast = True  # no memo: equal values give equal bytes whatever their identity
    pickler.dump([inputs(article) for article in articles])
    return buffer.getvalue()


def shard_key(version: bytes, articles: list) -> str:
    """The name of a shard's bundle in the cache: a hash of ``version`` and its documents' inputs.

    Made from what the documents are made of, so a shard found again costs no
    document at all.
    """
    digest = hashlib.sha256(version)
    digest.update(packed(articles))  # in one call: see lanes.Lane.send
    return digest.hexdigest()[:32]
