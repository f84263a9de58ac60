"""Chinese text for search: jieba segmentation at write time and at query time.

The document side uses `cut_for_search` (every word plus the shorter words inside long ones) and adds
every CJK unigram and bigram of the short fields (name, spec, brand, origin), so that 1- and
2-character queries are answered from the GIN index: pg_trgm cannot index a pattern shorter than
three characters. The query side uses the precise cut, whose words are a subset of the document's.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache

import jieba

jieba.setLogLevel(logging.WARNING)

# Words jieba's dictionary splits badly; kept whole so that they rank as one term.
DOMAIN_WORDS = [
    "郫县豆瓣",
    "豆瓣酱",
    "蒙顶甘露",
    "蒙顶黄芽",
    "蒙顶山茶",
    "峨眉山茶",
    "竹叶青",
    "冷吃兔",
    "火锅底料",
    "牛油火锅",
    "浓香型",
    "酱香型",
    "会理石榴",
    "软籽石榴",
    "安岳柠檬",
    "蒲江猕猴桃",
    "汉源花椒",
    "青花椒",
    "宜宾芽菜",
    "张飞牛肉",
    "灯影牛肉",
    "通江银耳",
    "雅江松茸",
    "蜀锦",
    "蜀绣",
    "真皮短靴",
    "藏茶",
]

_CJK = re.compile(r"[\u3400-\u9fff]+")
_TOKEN_JUNK = re.compile(r"[\s'\\:&|!()<>*]+")


@lru_cache(maxsize=1)
def _jieba() -> jieba.Tokenizer:
    for word in DOMAIN_WORDS:
        jieba.add_word(word, freq=50_000)
    jieba.initialize()
    return jieba.dt


def _clean(tokens: list[str]) -> list[str]:
    cleaned = []
    for token in tokens:
        token = _TOKEN_JUNK.sub("", token).lower()
        if token and not all(not ch.isalnum() for ch in token):
            cleaned.append(token)
    return cleaned


@lru_cache(maxsize=65_536)
def words_for_document(text: str) -> tuple[str, ...]:
    return tuple(_clean(list(_jieba().cut_for_search(text))))


def ngrams(text: str) -> list[str]:
    """CJK unigrams and bigrams of `text` (runs of Han characters only)."""
    grams: list[str] = []
    for run in _CJK.findall(text):
        grams.extend(run)
        grams.extend(run[i : i + 2] for i in range(len(run) - 1))
    return grams


def document_terms(text: str, *, with_ngrams: bool) -> str:
    """Space-separated lexemes for to_tsvector('simple', ...)."""
    terms = list(words_for_document(text))
    if with_ngrams:
        terms += ngrams(text)
    return " ".join(terms)


def query_terms(query: str) -> list[str]:
    """Lexemes a query must all match. A query of one or two Han characters is itself one lexeme
    (a unigram or bigram of the documents); longer queries are cut precisely."""
    query = query.strip()
    if not query:
        return []
    if _CJK.fullmatch(query) and len(query) <= 2:
        return [query]
    return list(dict.fromkeys(_clean(list(_jieba().cut(query)))))


def tsquery_text(terms: list[str]) -> str:
    """A to_tsquery('simple', ...) expression that ANDs the terms (each quoted as a phrase-free lexeme)."""
    return " & ".join(f"'{term}'" for term in terms)
