"""Which dictionary word each lyric token is aligned as, and which tokens are new (pure).

The dictionary lookup is passed in, so this runs without the decoder. A token the dictionary
lacks is tried in the spellings singers write ("goin'" -> going, "'cause" -> cause) before it
counts as out of vocabulary and gets a letter-to-sound pronunciation.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

Lookup = Callable[[str], str | None]


def variants(token: str) -> list[str]:
    """Spellings to try in the dictionary, the token itself first."""
    out = [token]
    bare = token.strip("'")
    if token.endswith("in'"):
        out.append(token[:-1] + "g")
        out.append(bare[:-2] + "ing" if bare.endswith("in") else bare)
    out.append(bare)
    out.append(bare.replace("'", ""))
    ascii_only = re.sub(r"[^a-z']", "", _fold(bare))
    out.append(ascii_only)
    seen: list[str] = []
    for v in out:
        if v and v not in seen:
            seen.append(v)
    return seen


def _fold(text: str) -> str:
    import unicodedata

    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def dictionary_name(token: str) -> str:
    """A safe name to add a new word under (no spaces, no parentheses the decoder reserves)."""
    name = re.sub(r"[\s()]+", "", token)
    return name or "unk"


def resolve(tokens: Iterable[str], lookup: Lookup) -> tuple[dict[str, str], list[str]]:
    """({token: dictionary word} for known tokens, [tokens needing letter-to-sound])."""
    known: dict[str, str] = {}
    oov: list[str] = []
    for token in tokens:
        if token in known or token in oov:
            continue
        for v in variants(token):
            if lookup(v):
                known[token] = v
                break
        else:
            oov.append(token)
    return known, oov
