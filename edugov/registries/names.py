"""Pinyin initials of register names, for search by 拼音首字母.

`initials` is the whole name's (江州区白土小学 → JZQBTXX), shown beside a name and matched exactly.
`word_initials` lets a query match from the start of any word of the name: parents type "bt" or
"btxx" for 白土小学 without the district's prefix. The name is cut into words by jieba's search mode
(which also yields the shorter words inside a long one: 北京 in 北京路), and the initials from each
word's start are kept, each after a space (" JZQBTXX QBTXX BTXX XX"), so one `contains " BT"` finds
the name in any database. jieba gets a tokenizer of its own here: the site search adds subject words
to the shared one (民办学校 …), which would make coarser cuts of names."""

from __future__ import annotations

import functools
import logging
from typing import Any

from pypinyin import Style, lazy_pinyin

WORD_INITIALS_LENGTH = 255


def _letters(name: str) -> list[str]:
    """One initial per character of `name` (a Chinese character's pinyin initial, a Latin letter or
    digit itself, "" for anything else), so positions in the name are positions in the list."""
    out: list[str] = []
    for ch in name:
        if ch.isascii():
            out.append(ch.upper() if ch.isalnum() else "")
        else:
            first = lazy_pinyin(ch, style=Style.FIRST_LETTER, errors="ignore")
            out.append(first[0][:1].upper() if first and first[0][:1].isascii() else "")
    return out


def initials(name: str) -> str:
    """The whole name's initials (北京路小学 → BJLXX)."""
    return "".join(p[:1] for p in lazy_pinyin(name, style=Style.FIRST_LETTER, errors="ignore")).upper()


@functools.lru_cache(maxsize=1)
def _tokenizer() -> Any:
    import jieba

    jieba.setLogLevel(logging.WARNING)
    return jieba.Tokenizer()


def word_initials(name: str) -> str:
    """" " + the initials from each word's start, longest first ("" for a name without letters)."""
    letters = _letters(name or "")
    starts = {0} | {start for _word, start, _end in _tokenizer().tokenize(name or "", mode="search")}
    suffixes = dict.fromkeys("".join(letters[i:]) for i in sorted(starts))
    text = "".join(f" {s}" for s in suffixes if s)
    return text[:WORD_INITIALS_LENGTH]


def normalised_query(query: str) -> str:
    """A Latin query as initials are stored: letters and digits, upper case."""
    return "".join(c for c in (query or "").upper() if c.isascii() and c.isalnum())
