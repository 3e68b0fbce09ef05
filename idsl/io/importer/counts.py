"""A count read from a 评分标准's words: the name the text gives it, its declaration, and how the text says it is 0."""

from __future__ import annotations

import re
from decimal import Decimal

from idsl.frontend import ast
from idsl.io.importer.phrases import COUNTING, NUM
from idsl.semantics.counts import counted, zero_words

# Verbs saying that what follows happened or was found (发生事故, 出现违规, 存在问题): the count is of their object.
_OCCURS = ("发生", "出现", "存在", "发现")
_NONE = re.compile(r"(未发现|无)([\u4e00-\u9fff]+)")


def count_name(noun: str, measure: str) -> str:
    """The input counting `noun` in `measure`, named as idsl reads it back: 一个问题 → 问题个数, 一项未满足的 →
    未满足项数, 一项问题 → 问题数, 一笔违规 → 违规笔数; 问题个数 where the text names nothing.

    >>> count_name("问题", "个"), count_name("未满足的", "项"), count_name("问题", "项"), count_name("", "项")
    ('问题个数', '未满足项数', '问题数', '问题个数')
    >>> count_name("没有满足的", "项")
    '未满足项数'

    """
    if not noun:
        return "问题个数"
    noun = "未" + noun[2:] if noun.startswith("没有") else noun  # 一项没有满足的 counts as 一项未满足的
    if measure == "项":
        return noun[:-1] + "项数" if noun.endswith("的") else noun + "数"
    return noun + measure + "数"


def counted_subject(subject: str, word: str) -> str:
    """A band's or condition's subject compared with numbers in a counting word, named as a count: a name that
    already counts (违规笔数, 问题数, 培训人次) stays; a noun is named after what it counts (违规≥1笔 → 违规笔数,
    发生事故≥2起 → 事故起数), as a per-finding sentence's count is.

    >>> counted_subject("违规笔数", "笔"), counted_subject("违规", "笔"), counted_subject("发生违规", "笔")
    ('违规笔数', '违规笔数', '违规笔数')
    >>> counted_subject("问题", "项"), counted_subject("培训人次", "人次"), counted_subject("违规数量", "笔")
    ('问题数', '培训人次', '违规数量')
    """
    if subject.endswith(("数", "数量", word)):
        return subject
    noun = next((subject[len(verb):] for verb in _OCCURS if subject.startswith(verb) and len(subject) > len(verb)),
                subject)
    return count_name(noun, word)


def count_declaration(name: str, word: str) -> str:
    """The count a name counted in `word` was written from: in 项, or in the word its name counts in (违规笔数, 每笔),
    a 问题数, as idsl counts one; a count of occurrences (违规次数, 每次: its none reads 无违规) or in another word
    (表扬, 每次) a 数量 in that word.

    >>> count_declaration("违规笔数", "笔"), count_declaration("问题数", "项"), count_declaration("问题个数", "个")
    ('问题数', '问题数', '问题数')
    >>> count_declaration("违规次数", "次"), count_declaration("表扬", "次"), count_declaration("违规笔数", "次")
    ('数量 次', '数量 次', '数量 次')
    """
    what = counted(name, None)
    own = word == "项" or (what.named and what.measure == word)
    occurrences = zero_words([ast.Input(name, "count", word)])
    return "问题数" if own and not occurrences else f"数量 {word}"


def band_count(subject: str, bands: list[str]) -> tuple[str, str] | None:
    """The name and declaration of a band subject whose numbers carry one counting word, as a special case's count
    is declared: counted_subject's name, a 数量 where a band writes its 0 in the word (违规笔数=0笔: a 问题数 of
    none would read 未发现违规) unless the bands step from 0 straight to 1 (whole_steps: a 问题数), else
    count_declaration's; None when the numbers carry no one word.

    >>> band_count("问题数", ["  问题数 ≥ 3项：不得分", "  问题数 < 3项：得满分"]), band_count("违规", ["  违规 ≥ 1笔：不得分"])
    (('问题数', '问题数'), ('违规笔数', '问题数'))
    >>> band_count("违规笔数", ["  违规笔数 = 0笔：得满分", "  否则：不得分"]), band_count("率", ["  率 ≥ 80%：得满分"])
    (('违规笔数', '数量 笔'), None)
    >>> band_count("发生事故", ["  发生事故 = 0起：得满分", "  发生事故 ≥ 1起：不得分"])
    ('事故起数', '问题数')
    """
    words = set(re.findall(rf"\d({COUNTING})", "".join(bands)))
    if len(words) != 1:
        return None
    word = words.pop()
    name = counted_subject(subject, word)
    zero = any(_is_zero(band, word) for band in bands)
    if zero and whole_steps(bands, word):
        return name, "问题数"
    return name, f"数量 {word}" if zero else count_declaration(name, word)


def whole_steps(bands: list[str], word: str) -> bool:
    """Whether bands over a count written 0 in `word` go from 0 straight to 1 (= 0笔, then ≥ 1笔, 1～3笔, 1笔以上 …): the
    count is whole, a 问题数, as the checker's E403 hint says; as a 数量 it would leave 0 < n < 1 to no band.

    >>> whole_steps(["  违规笔数 = 0笔：得满分", "  违规笔数 ≥ 1笔：每增加 1笔 扣 1 分"], "笔")
    True
    >>> whole_steps(["  违规笔数 = 0笔：得满分", "  1笔 ≤ 违规笔数 < 3笔：得 2 分", "  违规笔数 ≥ 3笔：不得分"], "笔")
    True
    >>> whole_steps(["  违规笔数 = 0笔：得满分", "  1～3笔：扣 1 分", "  违规笔数 > 3笔：不得分"], "笔")
    True
    >>> whole_steps(["  违规笔数 = 0笔：得满分", "  1笔（含）～3笔：扣 1 分", "  3笔以上：不得分"], "笔")
    True
    >>> whole_steps(["  违规笔数 = 0笔：得满分", "  违规笔数 > 0笔：不得分"], "笔"), whole_steps(["  违规笔数 = 0笔：得满分", "  否则：不得分"], "笔")
    (False, False)
    >>> whole_steps(["  违规笔数 = 0笔：得满分", "  2～3笔：扣 1 分", "  违规笔数 ≥ 4笔：不得分"], "笔")  # 1笔 is in no band
    False
    >>> whole_steps(["  违规笔数 = 0笔：得满分", "  1～3笔（含）：扣 1 分", "  3笔以上：不得分"], "笔")  # its mark leaves 1 out
    False
    """
    others = [band.strip().partition("：")[0] for band in bands if not _is_zero(band, word)]
    ends = [_lower_end(condition, word) for condition in others]
    if not others or None in ends:
        return False
    least = min(value for value, _ in ends)
    return least == 1 and (least, True) in ends


def _lower_end(condition: str, word: str) -> tuple[Decimal, bool] | None:
    """A band's lower end over a count in `word` and whether the band holds it, as the draft writes the band: ≥ 1笔 or
    > 3笔, 1笔 ≤ 违规笔数 < 3笔, the range 1～3笔 or 1笔（含）～3笔 (not 1～3笔（含）, marked at its upper end only),
    1笔以上; None for a band with no lower end."""
    counted = rf"({NUM})(?:{word})?"
    found = re.match(rf"\S+ ([≥>]) ({NUM}){word}", condition)
    if found:
        return Decimal(found.group(2)), found.group(1) == "≥"
    found = re.match(rf"({NUM}){word} ([≤<]) \S+ [<≤]", condition)
    if found:
        return Decimal(found.group(1)), found.group(2) == "≤"
    found = re.fullmatch(rf"{counted}(?:（含）)?及?以上", condition)
    if found:
        return Decimal(found.group(1)), True
    found = re.fullmatch(rf"{counted}(（含）)?～{NUM}(?:{word})?(（含）)?", condition)
    if found:  # a range holds both ends unless a mark says which it holds
        return Decimal(found.group(1)), bool(found.group(2) or not found.group(3))
    return None


def _is_zero(band: str, word: str) -> bool:
    return re.search(rf"= 0{word}$", band.partition("：")[0]) is not None


def as_findings(band: str, name: str) -> str:
    """A band over the 问题数 `name` as the checker takes one: its 0 as its none reads (未发现违规 is 违规笔数 = 0), a
    number in the word its name counts in kept (违规笔数: 笔), in another word written bare (问题数, a count in 项: the
    问题数 ≥ 1个 of 问题数≥1个 is 问题数 ≥ 1).

    >>> as_findings("  违规笔数 = 0笔：得满分", "违规笔数"), as_findings("  违规笔数 ≥ 1笔：不得分", "违规笔数")
    ('  违规笔数 = 0：得满分', '  违规笔数 ≥ 1笔：不得分')
    >>> as_findings("  问题数 ≥ 1个：每增加 1个 扣 2 分", "问题数")
    '  问题数 ≥ 1：每增加 1 扣 2 分'
    """
    measure = counted(name, None).measure
    band = re.sub(rf"= 0{COUNTING}(?=：)", "= 0", band)
    return re.sub(rf"(\d)({COUNTING})", lambda found: found.group(0) if found.group(2) == measure else found.group(1), band)


def renamed(line: str, old: str, new: str) -> str:
    """A band line whose condition names `old` as `new` (its outcome left as it is)."""
    condition, colon, outcome = line.partition("：")
    cjk = r"\u4e00-\u9fff"
    return re.sub(rf"(?<![{cjk}]){re.escape(old)}(?![{cjk}])", new, condition) + colon + outcome


def none_band(condition: str, subject: str) -> str | None:
    """The declaration a band of none of `subject` proves, as the 评分标准 words it (counts.zero_words, which writes
    it): 未发现问题 (问题数 = 0) is a 问题数, 无违规 (违规次数 = 0) a 数量 次; None for any other condition.

    >>> none_band("未发现问题", "问题数"), none_band("无违规", "违规次数"), none_band("问题数=0", "问题数")
    ('问题数', '数量 次', None)
    >>> none_band("无违规", "违规笔数") is None  # a 数量 笔 of none reads 违规笔数为0笔, a 问题数 未发现违规
    True
    """
    measure = counted(subject, None).measure
    for kind, decl in (("问题数", ast.Input(subject, "findings")), (f"数量 {measure}", ast.Input(subject, "count", measure))):
        if zero_words([decl]).get(subject) == condition:
            return kind
    return None


def none_count(words: str, text: str) -> tuple[str, str] | None:
    """The count a condition of none was written from, and its declaration; None when it is no count's none.

    未发现X counts what was found: the count of X the text names (违规笔数), else the plainest that reads so (X数, a
    问题数). 无X only says X is absent — 无法提供, 无需整改, 无误, 无结余 are no counts — unless the text counts X:
    names a count of it (违规次数), gives X a number in a counting word (事故≥1起) or says it happened (发生事故).

    >>> none_count("无违规", "如违规次数大于等于3次"), none_count("未发现违规", "每发现一笔违规扣1分；违规笔数≥3笔")
    (('违规次数', '数量 次'), ('违规笔数', '问题数'))
    >>> none_count("无事故", "无事故得满分，发生事故不得分"), none_count("未发现问题", "")
    (('事故次数', '数量 次'), ('问题数', '问题数'))
    >>> [none_count(words, "如" + words + "，则本项不得分") for words in ("无事故", "无法提供资料", "无需整改", "无误")]
    [None, None, None, None]
    """
    found = _NONE.fullmatch(words)
    if found is None:
        return None
    thing = found.group(2)
    named = _counts_named(thing, text)
    if found.group(1) == "无" and not named and not any(verb + thing in text for verb in _OCCURS):
        return None
    for name in dict.fromkeys([*named, thing + "数", thing + "次数"]):
        kind = none_band(words, name)
        if kind is not None:
            return name, kind
    return None


def _counts_named(thing: str, text: str) -> list[str]:
    """The counts of `thing` the text names: 违规次数, and 违规笔数 where it writes 违规≥1笔."""
    names = re.findall(rf"{re.escape(thing)}[\u4e00-\u9fff]{{0,2}}?数", text)
    ops = r"(?:[≥≤<>=≠]|大于等于|小于等于|大于|小于|超过|达到|为)?"
    return names + [count_name(thing, word) for word in re.findall(rf"{re.escape(thing)}{ops}{NUM}({COUNTING})", text)]


def occurs(condition: str, thing: str) -> bool:
    """Whether a condition says `thing` happened or was found: 发生事故, 出现违规, 发现问题 (of 无事故, 未发现问题)."""
    return any(condition in (verb + thing, verb + "了" + thing) for verb in _OCCURS)


def thing_of_none(words: str) -> str:
    """What a condition of none says is absent: 事故 of 无事故, 问题 of 未发现问题."""
    found = _NONE.fullmatch(words)
    return found.group(2) if found else ""


__all__ = ["as_findings", "band_count", "count_declaration", "count_name", "counted_subject", "none_band", "none_count",
           "occurs", "renamed", "thing_of_none", "whole_steps"]
