"""Normalisation of listing text before keyword matching, with a map back to the original characters.

Sellers hide keywords: 穿 山 甲, 穿*山*甲, 穿🐾山🐾甲, full-width letters (ＸＩＡＮＧＹＡ), upper case. Each character
of the text is normalised on its own:

1. NFKC (full-width → half-width, compatibility forms → plain forms), then lower case;
2. separators are dropped: whitespace, control and format characters (zero-width spaces), combining marks,
   symbols (emoji, ★, ~, +, =, ...) and punctuation other than the clause punctuation below;
3. clause punctuation (，。！？；：、 and their ASCII forms) is kept as it is: a keyword never spans a sentence
   break ("江山，货到付款" must not read as 山货);
4. NUL is kept: the bulk scanner joins listings with it.

Normalising character by character (rather than NFKC over the whole string) keeps the offset map exact: every
normalised character comes from exactly one original character. `normalise()` is the reference used for one
listing (it returns the offsets for highlighting); `normalise_fast()` gives the identical text for a large batch at C
speed (a regular expression for the rare non-ASCII characters that change, then `bytes.translate` for ASCII).
Tests check that the two always agree.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

RECORD_SEPARATOR = "\x00"
# clause punctuation: kept as hard boundaries (full-width and ASCII forms)
BOUNDARY_CHARS = frozenset("，。！？；：、,.!?;:｡､")
_KEPT_CATEGORIES = ("L", "N")
_SEPARATOR_CATEGORIES = ("Z", "C", "M", "P", "S")
# currency signs stay (prices such as ¥300 read naturally in a highlight)
_KEPT_SYMBOLS = frozenset("¥$￥€£")
# characters outside the Basic Multilingual Plane (emoji, CJK extensions, ...) go through the per-character
# function: a character class that reaches beyond the BMP makes the regular expression engine ~50× slower
_BMP_END = 0x10000

# ASCII '.' is both a sentence end and the commonest separator inside a keyword ("穿.山.甲"); we keep it as a
# separator and rely on the full-width 。 and the other marks for sentence breaks.
_ASCII_SEPARATOR_OVERRIDES = frozenset(".")


def _is_separator(ch: str) -> bool:
    if ch == RECORD_SEPARATOR:
        return False
    if ch in _ASCII_SEPARATOR_OVERRIDES:
        return True
    if ch in BOUNDARY_CHARS or ch in _KEPT_SYMBOLS:
        return False
    category = unicodedata.category(ch)
    if category.startswith(_KEPT_CATEGORIES):
        return False
    return category.startswith(_SEPARATOR_CATEGORIES)


@lru_cache(maxsize=65536)
def normalise_char(ch: str) -> str:
    """The normalised form of one character ("" for a separator)."""
    if ch == RECORD_SEPARATOR:
        return ch
    if ch in BOUNDARY_CHARS and ch not in _ASCII_SEPARATOR_OVERRIDES:
        return ch
    mapped = unicodedata.normalize("NFKC", ch).lower()
    return "".join(c for c in mapped if not _is_separator(c))


def normalise(text: str) -> tuple[str, list[int]]:
    """(normalised text, offsets): offsets[i] is the index in `text` of the character that gave normalised
    character i; offsets has one more entry, len(text), so a match [a, b) maps to text[offsets[a]:offsets[b-1]+1]."""
    out: list[str] = []
    offsets: list[int] = []
    for index, ch in enumerate(text):
        if ch.isascii() and (ch.isalnum() and not ch.isupper()):
            out.append(ch)
            offsets.append(index)
            continue
        mapped = normalise_char(ch)
        for piece in mapped:
            out.append(piece)
            offsets.append(index)
    offsets.append(len(text))
    return "".join(out), offsets


def normalise_term(term: str) -> str:
    """A keyword (or one of its variants) in the same form as normalised text."""
    return normalise(term)[0].replace(RECORD_SEPARATOR, "")


# --- the fast path ------------------------------------------------------------------------------------------------


def _ranges(points: list[int]) -> str:
    parts: list[str] = []
    start = prev = None
    for cp in points:
        if start is None:
            start = prev = cp
            continue
        assert prev is not None
        if cp == prev + 1:
            prev = cp
            continue
        parts.append(_range(start, prev))
        start = prev = cp
    if start is not None and prev is not None:
        parts.append(_range(start, prev))
    return "".join(parts)


def _range(a: int, b: int) -> str:
    if a == b:
        return re.escape(chr(a))
    return f"{re.escape(chr(a))}-{re.escape(chr(b))}"


@lru_cache(maxsize=1)
def _fast_tables() -> tuple[re.Pattern[str], bytes, bytes]:
    """(regex of the non-ASCII characters that change or drop, ASCII translate table, ASCII deletions).

    One character class without repetition is the fastest form measured (≈ 570 MB/s on listing text; separate
    passes for dropped and changed characters, or a `+` repetition, were two times slower).
    """
    special: list[int] = []
    for cp in range(0x80, _BMP_END):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        ch = chr(cp)
        if unicodedata.category(ch) in ("Lo", "Nd") and unicodedata.decomposition(ch) == "":
            continue  # the bulk of CJK text: no compatibility mapping, no case
        if normalise_char(ch) != ch:
            special.append(cp)
    pattern = re.compile(f"[{_ranges(special)}{re.escape(chr(_BMP_END))}-{re.escape(chr(0x10FFFF))}]")
    table = bytearray(range(256))
    deletions = bytearray()
    for cp in range(0x80):
        mapped = normalise_char(chr(cp))
        if mapped == "":
            deletions.append(cp)
        else:
            assert len(mapped) == 1
            table[cp] = ord(mapped)
    return pattern, bytes(table), bytes(deletions)


def _special(match: re.Match[str]) -> str:
    return normalise_char(match.group())


def normalise_fast_bytes(text: str) -> bytes:
    """normalise(text)[0] encoded as UTF-8, computed for a large batch without a per-character Python loop."""
    pattern, table, deletions = _fast_tables()
    return pattern.sub(_special, text).encode("utf-8").translate(table, deletions)


def normalise_fast(text: str) -> str:
    return normalise_fast_bytes(text).decode("utf-8")
