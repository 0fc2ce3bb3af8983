"""Whether a name is a person or an organization, decided once for the whole corpus."""
from __future__ import annotations

import re

from ..aliases import Aliases, name_key
from ..extract.claim import Claim
from ..extract.people import TITLES, _demonym

__all__ = ["entity_kinds", "name_tokens"]


def entity_kinds(claims: list[Claim], aliases: Aliases | None = None) -> dict[str, str]:
    """org, person or place for each name key, pooled over the corpus: one document's appositive, title or
    quotation ("…," Ruiz said) types the name everywhere; a surname typed person types the full name;
    an untyped name listed in a sentence with two or more people is a person."""
    kinds: dict[str, str] = {}
    mentions = [c for c in claims if c.kind == "mention"]
    for m in mentions:
        kind = m.detail.get("type")
        if kind in ("org", "person") and kinds.get(name_key(m.value)) not in ("org", "place"):
            kinds[name_key(m.value)] = kind
        elif kind == "place":
            kinds[name_key(m.value)] = "place"
    for q in claims:
        speaker = q.detail.get("speaker") if q.kind == "quote" else None
        if isinstance(speaker, str) and speaker[:1].isupper():
            kinds.setdefault(name_key(speaker), "person")
    by_sentence: dict[tuple[str, int], list[Claim]] = {}
    for m in mentions:
        by_sentence.setdefault((m.doc, m.sentence_start), []).append(m)
    for group in by_sentence.values():
        people = [m for m in group if kinds.get(name_key(m.value)) == "person"]
        if len(people) >= 2:
            for m in group:
                words = m.value.split()
                if (name_key(m.value) not in kinds and 2 <= len(words) <= 4 and all(w[:1].isupper() for w in words)
                        and not _demonym(words[0]) and not _common_noun_phrase(words)
                        and words[-1].lower().rstrip(".") not in TITLES):
                    kinds[name_key(m.value)] = "person"
    persons = {k for k, v in kinds.items() if v == "person"}
    for m in mentions:
        key = name_key(m.value)
        tokens = key.split()
        if key not in kinds and any(" ".join(tokens[i:]) in persons for i in range(1, len(tokens))):
            kinds[key] = "person"
    return kinds


def _common_noun_phrase(words: list[str]) -> bool:
    """Capitalised words after the first that are all abstract nouns ("Climate Readiness", "Emergency
    Management"): a body's name cut short, not a person's. Told by suffixes that surnames of eight
    letters or more hardly take."""
    return all(len(w) >= 8 and re.search(r"(?:tion|sion|ship|ism|ics|ency|ness|ment)$", w.lower()) for w in words[1:])


def name_tokens(name: str, kind: str | None) -> list[str]:
    """The words of a person's name that can stand for it alone (four letters or more)."""
    tokens = [t for t in re.sub(r"\W+", " ", name.casefold()).split() if len(t) >= 4]
    return tokens if kind == "person" else []
