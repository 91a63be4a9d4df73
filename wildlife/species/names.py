"""Pure helpers for names: pinyin, scientific-name normalisation, protection levels and list notes.

No database access here, so the importer, the services and the tests share one reading of the official wording.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from pypinyin import Style, lazy_pinyin

from wildlife.species.choices import AliasKind, Protection

_HAN = re.compile(r"[\u3400-\u9fff]")
_LATIN_WORD = re.compile(r"^[A-Za-z][A-Za-z.\-]*$")
_LATIN_NAME = re.compile(r"[A-Z][a-z]+(?:\s+\(?[A-Za-z]+\)?)?(?:\s+[a-z][a-z\-]+){1,2}")


def pinyin_of(text: str) -> tuple[str, str]:
    """(full pinyin without tones or spaces, initials) of the Chinese characters in `text`; ("", "") if none."""
    chars = "".join(ch for ch in text if _HAN.match(ch))
    if not chars:
        return "", ""
    syllables = lazy_pinyin(chars, style=Style.NORMAL, errors="ignore")
    initials = lazy_pinyin(chars, style=Style.FIRST_LETTER, errors="ignore")
    return "".join(syllables).lower(), "".join(initials).lower()


def has_han(text: str) -> bool:
    return bool(_HAN.search(text or ""))


def looks_latin(text: str) -> bool:
    """True for text made only of Latin words ("Sitta leucopsis"): a scientific name, not a Chinese name."""
    words = (text or "").split()
    return bool(words) and all(_LATIN_WORD.match(w) for w in words)


def clean_text(value: object) -> str:
    """A cell value as trimmed text with full-width spaces and NFKC oddities folded."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFKC", str(value)).replace("\u3000", " ")
    return re.sub(r"\s+", " ", text).strip()


def normalize_scientific(name: str) -> str:
    """"cuora  FLAVOMARGINATA" → "Cuora flavomarginata": genus capitalised, epithets lower-case, single spaces."""
    words = clean_text(name).split(" ")
    if not words or not words[0]:
        return ""
    head = words[0][:1].upper() + words[0][1:].lower()
    rest = [w if w.startswith("(") else w.lower() for w in words[1:]]
    return " ".join([head, *rest])


def genus_of(scientific_name: str) -> str:
    name = normalize_scientific(scientific_name)
    return name.split(" ")[0] if name else ""


class LevelError(ValueError):
    """A protection level that cannot be read; the message explains why in Chinese."""


_LEVELS: dict[str, str] = {
    "Ⅰ": Protection.NATIONAL_1,
    "I": Protection.NATIONAL_1,
    "1": Protection.NATIONAL_1,
    "一": Protection.NATIONAL_1,
    "一级": Protection.NATIONAL_1,
    "国家一级": Protection.NATIONAL_1,
    "国家一级重点保护野生动物": Protection.NATIONAL_1,
    "NATIONAL_1": Protection.NATIONAL_1,
    "Ⅱ": Protection.NATIONAL_2,
    "II": Protection.NATIONAL_2,
    "2": Protection.NATIONAL_2,
    "二": Protection.NATIONAL_2,
    "二级": Protection.NATIONAL_2,
    "国家二级": Protection.NATIONAL_2,
    "国家二级重点保护野生动物": Protection.NATIONAL_2,
    "NATIONAL_2": Protection.NATIONAL_2,
    "三有": Protection.SANYOU,
    "SANYOU": Protection.SANYOU,
    "省重点": Protection.PROVINCIAL,
    "省级": Protection.PROVINCIAL,
    "省重点保护": Protection.PROVINCIAL,
    "山东省重点保护野生动物": Protection.PROVINCIAL,
    "PROVINCIAL": Protection.PROVINCIAL,
}
_CLASS_THREE = re.compile(r"^(国家)?(三级|Ⅲ|III|3)(重点保护野生动物)?$", re.IGNORECASE)

CLASS_THREE_MESSAGE = (
    "“{value}”不是有效的保护级别：我国法律没有“国家三级”保护动物。国家重点保护野生动物只分国家一级、国家二级；"
    "“三有”（有重要生态、科学、社会价值的陆生野生动物）和“省重点”是另外的名录，请填写“国家一级”“国家二级”“三有”或“省重点”。"
)


def parse_level(value: str) -> str:
    """The protection code of a level cell ("Ⅰ", "国家二级", "三有" ...). "国家三级" is refused with the reason."""
    text = clean_text(value)
    key = re.sub(r"[（(].*?[）)]", "", text).strip()  # "国家二级重点保护野生动物（仅限野外种群）"
    if _CLASS_THREE.match(key.replace(" ", "")):
        raise LevelError(CLASS_THREE_MESSAGE.format(value=text))
    code = _LEVELS.get(key) or _LEVELS.get(key.upper())
    if code is None:
        raise LevelError(f"无法识别的保护级别“{text}”，应为“国家一级”“国家二级”“三有”或“省重点”")
    return code


@dataclass
class NoteFacts:
    """What a list's 备注 says: population limits and former names."""

    wild_only: bool = False
    landlocked_only: bool = False
    aliases: list[tuple[str, str]] = field(default_factory=list)  # (name, AliasKind)


_QUOTED_FORMER = re.compile(r"原名[“\"「『]([^”\"」』]+)[”\"」』]")
_FORMER_LATIN = re.compile(r"原(?:拉丁学名|拉丁名|名拉丁名|学名)\s*[:：]?\s*(" + _LATIN_NAME.pattern + ")")
_PAIR = re.compile(r"([\u3400-\u9fff（）()]+?)\s*[（(]\s*(" + _LATIN_NAME.pattern + r")\s*[）)]")
_FORMER_ZH_LATIN = re.compile(r"原(?:名)?\s*([\u3400-\u9fff（）()]+)\s*(" + _LATIN_NAME.pattern + ")?")
_FORMER_LATIN_ONLY = re.compile(r"原名\s*(" + _LATIN_NAME.pattern + ")")


def parse_notes(note: str) -> NoteFacts:
    """Read 仅限野外种群 / 仅限陆封种群 and former names ("原名“河麂”", "原拉丁学名 Elaphe mandarina") from a note."""
    facts = NoteFacts()
    text = clean_text(note)
    if not text:
        return facts
    facts.wild_only = "仅限野外种群" in text
    facts.landlocked_only = "仅限陆封种群" in text
    found: list[tuple[str, str]] = []
    for match in _QUOTED_FORMER.finditer(text):
        found.append((match.group(1).strip(), AliasKind.FORMER))
    for match in _FORMER_LATIN.finditer(text):
        found.append((normalize_scientific(match.group(1)), AliasKind.SCIENTIFIC_SYNONYM))
    if "原名录" in text:
        # "原名录中草兔（Lepus capensis）与其同物异名": names in the old list that are synonyms of this species
        for match in _PAIR.finditer(text):
            zh = match.group(1).strip("（）() ").removeprefix("原名录中的").removeprefix("原名录中").removeprefix("原名录的")
            if zh:
                found.append((zh, AliasKind.FORMER))
            found.append((normalize_scientific(match.group(2)), AliasKind.SCIENTIFIC_SYNONYM))
        for match in re.finditer(r"原名录中(?:的)?([\u3400-\u9fff]+?)与其同物异名", text):
            found.append((match.group(1), AliasKind.FORMER))
    elif not _QUOTED_FORMER.search(text) and not _FORMER_LATIN.search(text):
        latin_only = _FORMER_LATIN_ONLY.search(text)
        if latin_only:
            found.append((normalize_scientific(latin_only.group(1)), AliasKind.SCIENTIFIC_SYNONYM))
        else:
            for part in re.split(r"[，,；;。]", text):
                former = _FORMER_ZH_LATIN.search(part)
                if former and part.strip().startswith("原"):
                    zh = former.group(1).strip()
                    if zh and not zh.startswith("为") and "科" not in zh[-1:]:
                        found.append((zh, AliasKind.FORMER))
                    if former.group(2):
                        found.append((normalize_scientific(former.group(2)), AliasKind.SCIENTIFIC_SYNONYM))
    seen: set[str] = set()
    for name, kind in found:
        name = name.strip()
        if name and name not in seen and len(name) <= 100:
            seen.add(name)
            facts.aliases.append((name, kind))
    return facts
