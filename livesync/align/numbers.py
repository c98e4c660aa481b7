"""Numbers as they are sung: "24/7" -> twenty four seven, "1999" -> nineteen ninety nine (pure)."""

from __future__ import annotations

import re

ONES = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
).split()
TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
ORDINAL = {
    "one": "first",
    "two": "second",
    "three": "third",
    "five": "fifth",
    "eight": "eighth",
    "nine": "ninth",
    "twelve": "twelfth",
}


def number_words(text: str) -> list[str]:
    """Digits (with an optional 'st/nd/rd/th' or plural 's') to words; '3.5' -> three point
    five; '1,000' -> one thousand; years 1100-2099 as people say them."""
    m = re.fullmatch(r"(\d+(?:[.,]\d+)*)(st|nd|rd|th|s)?", text.lower())
    if m is None:
        return [text]
    digits, suffix = m.group(1), m.group(2)
    if "." in digits:
        whole, _, frac = digits.replace(",", "").partition(".")
        words = cardinal(int(whole)) + ["point"] + [ONES[int(d)] for d in frac if d.isdigit()]
    else:
        value = int(digits.replace(",", ""))
        if (
            "," not in digits
            and len(digits) == 4
            and 1100 <= value <= 2099
            and not 2000 <= value <= 2009
        ):
            words = year(value)
        elif len(digits) > 1 and digits.startswith("0"):
            words = ["oh" if d == "0" else ONES[int(d)] for d in digits]
        else:
            words = cardinal(value)
    if suffix in ("st", "nd", "rd", "th"):
        words[-1] = ordinal(words[-1])
    elif suffix == "s":
        last = words[-1]
        words[-1] = last[:-1] + "ies" if last.endswith("y") else last + "s"
    return words


def cardinal(n: int) -> list[str]:
    if n < 20:
        return [ONES[n]]
    if n < 100:
        tens, ones = divmod(n, 10)
        return [TENS[tens]] + ([ONES[ones]] if ones else [])
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        return [ONES[hundreds], "hundred"] + (cardinal(rest) if rest else [])
    for size, name in ((10**9, "billion"), (10**6, "million"), (1000, "thousand")):
        if n >= size:
            big, rest = divmod(n, size)
            return cardinal(big) + [name] + (cardinal(rest) if rest else [])
    return [str(n)]


def year(n: int) -> list[str]:
    high, low = divmod(n, 100)
    if low == 0:
        return [*cardinal(high), "hundred"]
    return cardinal(high) + (["oh", ONES[low]] if low < 10 else cardinal(low))


def ordinal(word: str) -> str:
    if word in ORDINAL:
        return ORDINAL[word]
    if word.endswith("y"):
        return word[:-1] + "ieth"
    return word + "th"
