"""Band rules read from a 评分标准 text: the compact register (`≥80%得2分，60%—80%每降低1%扣0.1分，…`) and
numbered bands (`1. 90%>利用率≥75%的，得2分；`)."""

from __future__ import annotations

import re
from collections import Counter

from idsl.io.importer.counts import as_findings, band_count, none_band, renamed
from idsl.io.importer.occurrences import occurrence_bands, occurrence_cases
from idsl.io.importer.phrases import COUNTING, NUM, QTY, band_award, linear

_AWARD = rf"(?:得满分|不得分|不扣分|不加分|(?:得|扣|加){NUM}分)"
_LINEAR = rf"(?:得{NUM}分起，)?每(?:降低|增加|下降|提高|减少|超出){QTY}(?:（[^）]*）)?扣{NUM}分(?:，扣完为止)?"
_OUTCOME_END = re.compile(rf"({_LINEAR}|{_AWARD})$")
_COMPACT = re.compile(rf"^(?:(低于|超过|≥|≤|=|≠|<|>)({QTY})|({QTY})[—～~-]({QTY}))$")
SYMBOLS = re.compile(r"(≥|≤|≠|>=|<=|!=|>|<|=)")
# 90%（含）以上, 80%（含）～90%, 60%-80%(含), 80%以下, 在80%（含）至90%之间: a band's ends as the tables mark them
_MARK = r"[（(]含[)）]"
_MARKED = re.compile(rf"在?({QTY})({_MARK})?(?:(及?以上|及?以下)|(?:[—～~\-]|至)({QTY})({_MARK})?(?:之间)?)$")


def compact_bands(flat: str, leaf):
    segments = _segments(flat.rstrip("。"))
    if segments is None or len(segments) < 2:
        return None
    written = counted_ends([_equals_written(compared_in_words(condition)) for condition, _ in segments])
    segments = [(_OTHERWISE.get(condition, joined_ends(ends)), outcome)
                for (condition, outcome), ends in zip(segments, written)]
    occurring = occurrence_bands(segments, leaf)
    if occurring is not None:
        return occurring
    named = 1 if _may_be_none(segments[0][0]) else 0  # 未发现问题得满分，问题数≥1项…: the subject comes second
    condition, outcome = segments[named]
    found = _COMPACT_FIRST.search(condition)
    if found is None and bare_equals(condition):  # 完成率100%得满分: the first band names its subject, then its value
        segments[named] = condition, outcome = bare_equals(condition), outcome
        found = _COMPACT_FIRST.search(condition)
    if found is None and _count_named(condition, leaf):  # 0笔得满分: no subject named, the leaf counts
        segments[named] = condition, outcome = f"{_count_named(condition, leaf)}={condition}", outcome
        found = _COMPACT_FIRST.search(condition)
    if found is None:
        return None
    subject = condition[:found.start()].removesuffix("为")
    subject = subject if subject not in ("", "在") else _rate_named(leaf)  # 在80%以上: no subject named
    if not subject or SYMBOLS.search(subject):
        return None
    bands, nones = [], []
    for condition, outcome in segments:
        condition = _subject_joined(condition, subject)
        none = none_band(condition, subject)
        written = f"{subject} = 0" if none else _compact_condition(condition, subject)
        result = linear(outcome) or band_award(outcome, leaf.kind)
        if written is None or result is None:
            return None
        nones += [condition] if none else []
        bands.append(f"  {written}：{result}")
    subject, bands = _count_subject(leaf, subject, bands, nones)
    leaf.uses.append(subject)
    return "分档", [f"分档 {subject}"] + bands


def compared_in_words(condition: str) -> str:
    """A comparison written in words as the signs idsl reads, a trailing 的 dropped: 达到100% is ≥100%, 不低于 ≥,
    高于 >, 不足/未达到 <, 为100% =; any other condition as it is.

    >>> compared_in_words("完成率达到100%的"), compared_in_words("完成率不足60%"), compared_in_words("低于100%的")
    ('完成率≥100%', '完成率<60%', '<100%')
    >>> compared_in_words("90%（含）-100%"), compared_in_words("80%以下"), compared_in_words("为60%—80%")
    ('90%（含）-100%', '80%以下', '为60%—80%')
    """
    return _IN_WORDS.sub(lambda found: _WORD_SIGNS[found.group(1)], condition.removesuffix("的"))


def _in_signs(condition: str) -> str:
    """A numbered band's condition compared in words, or with its value right after its subject, as signs."""
    condition = _BUT.sub("且", compared_in_words(condition))  # ≤-10%但是大于-15%: the band's two ends
    return bare_equals(condition) or condition


_BUT = re.compile(r"(?:但是|但|并且|而且)(?=[≥≤<>])")


# what the other bands leave, as the tables say it
_OTHERWISE = {word: "否则" for word in ("否则", "其他", "其它", "其余", "其他情况", "其它情况", "其余情况")}


def _rate_named(leaf) -> str | None:
    """The subject of bands whose first names none (在80%以上得满分，…): the leaf itself where its name is a rate's."""
    return leaf.name if leaf.name.endswith("率") and not SYMBOLS.search(leaf.name) else None


def bare_equals(condition: str) -> str | None:
    """The first band's subject followed at once by its value, as the tables write it: 完成率100% is 完成率=100%;
    None for any other condition.

    >>> bare_equals("完成率100%"), bare_equals("违规笔数0笔"), bare_equals("在80%以上")
    ('完成率=100%', '违规笔数=0笔', None)
    """
    found = _BARE.fullmatch(condition)
    return f"{found.group(1)}={found.group(2)}" if found else None


# longest first: 未达到 before 达到, 不超过 before 超过, 不低于 before 低于
_WORD_SIGNS = {"大于或等于": "≥", "大于等于": "≥", "小于或等于": "≤", "小于等于": "≤", "不低于": "≥", "不少于": "≥",
               "不小于": "≥", "不高于": "≤", "不超过": "≤", "不大于": "≤", "未达到": "<", "达到": "≥", "高于": ">",
               "大于": ">", "超过": ">", "小于": "<", "低于": "<", "不足": "<", "为": "="}
_IN_WORDS = re.compile(rf"({'|'.join(_WORD_SIGNS)})(?={QTY}$)")
_BARE = re.compile(rf"([^\W\d_]+)({QTY})")


def _equals_written(condition: str) -> str:
    """A count compared with 为 as with =: 违规笔数为0笔 reads as 违规笔数=0笔 (为 before a number in its counting word).

    >>> _equals_written("违规笔数为0笔"), _equals_written("发生事故为0起"), _equals_written("完成率为100%")
    ('违规笔数=0笔', '发生事故=0起', '完成率为100%')
    """
    return _COUNTED_IS.sub("=", condition)


_COUNTED_IS = re.compile(rf"为(?={NUM}{COUNTING}$)")


def joined_ends(condition: str) -> str:
    """A band's two ends joined by 且 as idsl writes a range, the subject between them: 违规笔数≥1笔且<3笔 (or
    且违规笔数<3笔, or the upper end first) is 1笔≤违规笔数<3笔; any other condition as it is.

    >>> joined_ends("违规笔数≥1笔且<3笔"), joined_ends("违规笔数<3笔且违规笔数>1笔"), joined_ends("完成率≥80%且≤90%")
    ('1笔≤违规笔数<3笔', '1笔<违规笔数<3笔', '80%≤完成率≤90%')
    >>> joined_ends("违规笔数≥1笔且问题数<3项"), joined_ends("违规笔数≥3笔且>1笔")
    ('违规笔数≥1笔且问题数<3项', '违规笔数≥3笔且>1笔')
    """
    found = _JOINED.fullmatch(condition)
    if found is None:
        return condition
    subject, first, first_end, second, second_end = found.groups()
    if (first in "≥>") == (second in "≥>"):
        return condition  # two lower ends (or two upper): no range
    (low_op, low), (high_op, high) = sorted(((first, first_end), (second, second_end)), key=lambda end: end[0] in "<≤")
    return f"{low}{'≤' if low_op == '≥' else '<'}{subject}{high_op}{high}"


_JOINED = re.compile(rf"([^≥≤<>=≠且]+?)(≥|>|<|≤)({QTY})且(?:\1)?(≥|>|<|≤)({QTY})")


def _subject_joined(condition: str, subject: str) -> str:
    """A later band's two ends joined by 且 without the subject, ≥1笔且<3笔, read with the first band's subject as
    joined_ends reads 违规笔数≥1笔且<3笔: 1笔≤违规笔数<3笔; any other condition as it is."""
    if not SYMBOLS.match(condition) or "且" not in condition:
        return condition
    joined = joined_ends(subject + condition)
    return condition if joined == subject + condition else joined


def _count_named(condition: str, leaf) -> str | None:
    """The subject of a first band that is a bare count, 0笔得满分: the leaf itself where its name is a count in
    that word (违规笔数, 投诉件数), as a rate's bands naming none are about a leaf named a rate."""
    counts = leaf.name.endswith(("数", "数量")) and not SYMBOLS.search(leaf.name)
    return leaf.name if counts and re.fullmatch(rf"{NUM}{COUNTING}", condition) else None


def counted_ends(conditions: list[str]) -> list[str]:
    """Bands' ends of a count written in words as signs, where a range's two ends are or could be: 3笔及以上 (and
    3笔（含）以上) is ≥3笔, 1笔及以上且3笔以下 is ≥1笔且<3笔. An unmarked end of a range, 3笔以下, holds its number as
    idsl reads 以下, unless another band holds it (3笔及以上, ≥3笔): then it is that band's. An unmarked end alone,
    3笔以上, stays for idsl to read so; any other condition as it is.

    >>> counted_ends(["0笔", "1笔及以上且3笔以下", "3笔及以上"])
    ['0笔', '≥1笔且<3笔', '≥3笔']
    >>> counted_ends(["违规笔数1笔及以上且3笔以下", "违规笔数3笔以上"]), counted_ends(["90%及以上", "3笔以上"])
    (['违规笔数≥1笔且≤3笔', '违规笔数3笔以上'], ['90%及以上', '3笔以上'])
    """
    parts = [condition.split("且") for condition in conditions]
    held = {_held_end(piece) for pieces in parts for piece in pieces} - {None}
    out = []
    for condition, pieces in zip(conditions, parts):
        ends = [_WORDED_END.fullmatch(piece) for piece in pieces]
        if len(pieces) > 2 or not any(ends) or (len(pieces) == 1 and not ends[0].group("held")):
            out.append(condition)
            continue
        out.append("且".join(piece if end is None else end.group("subject") + _end_sign(end, held) + end.group("end")
                            for piece, end in zip(pieces, ends)))
    return out


def _held_end(piece: str) -> tuple[str, str] | None:
    """The end a band's condition holds with its number, and on which side: (3笔, 以上) of 3笔及以上 or ≥3笔."""
    found = _WORDED_END.fullmatch(piece)
    if found is not None:
        return (found.group("end"), found.group("side")) if found.group("held") else None
    signed = re.fullmatch(rf"[^\d≥≤<>=≠]*(≥|≤)({NUM}{COUNTING})", piece)
    return (signed.group(2), "以上" if signed.group(1) == "≥" else "以下") if signed else None


def _end_sign(end: re.Match, held: set[tuple[str, str]]) -> str:
    """≥ or ≤ for an end marked held (及, （含）), or unmarked and held by no other band from its other side; else
    > or <, the end left to that band."""
    above = end.group("side") == "以上"
    if end.group("held") or (end.group("end"), "以下" if above else "以上") not in held:
        return "≥" if above else "≤"
    return ">" if above else "<"


_WORDED_END = re.compile(rf"(?P<subject>[^\d≥≤<>=≠]*)(?P<end>{NUM}{COUNTING})(?P<held>{_MARK}|及)?(?P<side>以上|以下)")


def _may_be_none(condition: str) -> bool:
    return condition.startswith(("未发现", "无"))


_COMPACT_FIRST = re.compile(rf"(?:(低于|超过|≥|≤|=|≠|<|>)({QTY})|为({QTY})—({QTY})|在?{QTY}(?:{_MARK})?及?(?:以上|以下)|"
                            rf"在?{QTY}(?:{_MARK})?(?:[—～~\-]|至){QTY}(?:{_MARK})?(?:之间)?)$")


def marked(text: str) -> str | None:
    """A band's ends as the table marks them, in idsl (which writes them so too); None when nothing is marked.

    >>> marked("90%（含）以上"), marked("60%-80%(含)"), marked("在80%（含）至90%之间"), marked("80%以下"), marked("60%～80%")
    ('90%（含）以上', '60%～80%（含）', '80%（含）～90%', '80%以下', None)
    """
    found = _MARKED.fullmatch(text)
    if found is None:
        return None
    low, low_mark, word, high, high_mark = found.groups()
    if word:
        return f"{low}{'（含）' if low_mark else ''}{word}"
    if not (low_mark or high_mark):
        return None  # 60%～80%: both ends, as idsl reads a range without marks
    return f"{low}{'（含）' if low_mark else ''}～{high}{'（含）' if high_mark else ''}"


def _segments(flat: str) -> list[tuple[str, str]] | None:
    """`A得2分，B每降低1%扣0.1分，…` (or `；` between the bands) → [(A, 得2分), (B, 每降低…)]; a `得2分起，` stays
    with its deduction, and an outcome after a comma, `控制率≤100%，得2分`, with its condition (not after 的: `1.0笔的，
    得满分` numbers its band, 1. 0笔, and is read as numbered).

    >>> _segments("控制率≤100%，得2分，否则不得分")
    [('控制率≤100%', '得2分'), ('否则', '不得分')]
    """
    pieces = re.split("[，；]", flat)
    merged: list[str] = []
    for piece in pieces:
        if (merged and _OUTCOME_END.fullmatch(piece) and not _OUTCOME_END.search(merged[-1])
                and merged[-1] != "否则" and not merged[-1].endswith("的")):  # …的，得2分 is a numbered band's
            merged[-1] += piece
        elif merged and (re.search(rf"得{NUM}分起$", merged[-1]) or piece == "扣完为止"):
            merged[-1] += "，" + piece
        else:
            merged.append(piece)
    out = []
    for piece in merged:
        found = _OUTCOME_END.search(piece)
        if found is None or found.start() == 0:
            if piece.startswith("否则"):
                out.append(("否则", piece[2:]))
                continue
            return None
        condition = piece[:found.start()]
        start = re.match(rf"(.*?)(得{NUM}分起，每.*)$", piece)  # a linear outcome with its starting points
        if start and start.group(1) and _OUTCOME_END.fullmatch(start.group(2)):
            condition = start.group(1)
            out.append((condition, start.group(2)))
            continue
        out.append((condition, piece[found.start():]))
    return out


def _compact_condition(text: str, subject: str) -> str | None:
    if text == "否则":
        return "否则"
    if text.startswith(subject):
        text = text[len(subject):].removeprefix("为")
        if marked(text):
            return marked(text)
        if not _COMPACT.fullmatch(text):
            return spaced(subject + text)
    if marked(text):
        return marked(text)
    found = _COMPACT.fullmatch(text)
    if found is None:
        return spaced(text) if subject in text and SYMBOLS.search(text) else None
    word, value, low, high = found.groups()
    if low is not None:
        return f"{low}～{high}"
    op = {"低于": "<", "超过": ">"}.get(word, word)
    return f"{subject} {op} {value}"


def _with_marks(condition: str) -> str:
    """`完成率在80%（含）至90%之间` → `完成率80%（含）～90%`: the subject, then its ends as idsl writes them."""
    subject = _marked_subject(condition)
    return subject + (marked(condition[len(subject):]) or "") if subject else condition


def _marked_subject(condition: str) -> str | None:
    """The subject before a band's marked ends (`完成率` of `完成率90%（含）以上`), None when the ends are not marked."""
    found = _MARKED.search(condition)
    if found is None or found.start() == 0 or not marked(condition[found.start():]):
        return None
    return condition[:found.start()]


def spaced(condition: str) -> str:
    return " ".join(SYMBOLS.sub(r" \1 ", condition).split())


def numbered_bands(items: list[tuple[str, str]], leaf):
    """Numbered bands (`1. 违规笔数=0笔的，得满分；2. …`), each item a (condition, outcome); those whose later bands
    leave out their subject (2. ≥1笔且<3笔的，扣1分) read as the compact text they number (违规笔数=0笔得满分；≥1笔且<3笔
    扣1分；…), the first band's subject carried on."""
    return _numbered_compared(items, leaf) or compact_bands("；".join(c + o for c, o in items), leaf)


def _numbered_compared(items: list[tuple[str, str]], leaf):
    conditions = ["其他情况" if c.removesuffix("的") in _OTHERWISE else _with_marks(joined_ends(_equals_written(_in_signs(c))))
                  for c, _ in items]
    occurring = occurrence_bands([("否则" if c == "其他情况" else c, o) for c, (_, o) in zip(conditions, items)], leaf)
    if occurring is not None:
        return occurring
    happened = occurrence_cases("；".join(f"{condition}，{outcome}" for condition, outcome in items), leaf)
    if happened is not None:  # 1. 未发生安全事故的，得满分；2. 发生安全事故的，不得分: the compact text it numbers
        return happened
    compared = [c for c in conditions if c != "其他情况" and not (_may_be_none(c) and not SYMBOLS.search(c))]
    if not all(SYMBOLS.search(c) or _MARKED.search(c) for c in compared):
        return None
    operands = Counter()
    for condition in compared:
        subject = _marked_subject(condition)
        for operand in {subject} if subject else set(re.split(SYMBOLS, condition)[::2]):
            if operand and not re.fullmatch(QTY, operand):
                operands[operand] += 1
    shared = [o for o, n in operands.items() if n == len(compared)]
    if len(shared) != 1:
        return None
    nones = [c for c in conditions if c != "其他情况" and c not in compared]
    if not all(none_band(c, shared[0]) for c in nones):
        return None
    conditions = [c if c == "其他情况" or c in compared else f"{shared[0]}=0" for c in conditions]
    lines = []
    for condition, (_, outcome) in zip(conditions, items):
        written = band_award(outcome, leaf.kind)
        if written is None:
            return None
        ends = marked(condition.removeprefix(shared[0]))
        lines.append(f"  {'否则' if condition == '其他情况' else ends or spaced(condition)}：{written}")
    subject, lines = _count_subject(leaf, shared[0], lines, nones)
    leaf.uses.append(subject)
    return "分档", [f"分档 {subject}"] + lines


def _count_subject(leaf, subject: str, bands: list[str], nones: list[str] = ()) -> tuple[str, list[str]]:
    """A subject whose numbers carry a counting word is declared as counts.band_count says (问题数≥3项 and
    违规笔数≥1笔 a 问题数, 违规次数>4次 a 数量 次), not guessed from its name, and named as a count (违规≥1笔 is
    违规笔数, where its band of none still reads so); a band of none (`nones`, its words) says the declaration first
    (未发现问题: a 问题数, whatever word its other bands count in); a 问题数's bands are written as counts.as_findings says."""
    found = band_count(subject, bands)
    name = found[0] if found else subject
    if nones and none_band(nones[0], name) is None:
        name = subject
    kind = none_band(nones[0], name) if nones else found and found[1]
    if kind:
        leaf.counted[name] = kind
    lines = [renamed(band, subject, name) for band in bands]
    return name, [as_findings(line, name) for line in lines] if kind == "问题数" else lines


__all__ = ["SYMBOLS", "compact_bands", "marked", "numbered_bands", "spaced"]
