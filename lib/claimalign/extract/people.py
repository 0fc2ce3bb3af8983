"""People's names: titles apart from names, first names, and the gender a name or title shows."""
from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["TITLES", "split_title", "gender_of", "first_name_gender", "is_first_name", "TITLE_GENDER", "clean_name", "same_person", "GLUED"]

TITLES = frozenset("""
mr mrs ms mx miss dr prof professor sir dame hon honourable honorable right rt rev reverend father pastor bishop
prime minister president premier ambassador chancellor governor senator mayor councillor councilor cr cllr
chief judge justice secretary general commissioner mp mpp mla king queen pope lord lady deputy vice co-chair chair
chairman chairwoman chairperson director executive sen rep gen gov lt col capt cpt adm sgt cpl maj supt insp det
speaker leader majority minority treasurer ayatollah sheikh imam rabbi chancellor spokesman spokeswoman
spokesperson superintendent inspector detective officer sergeant captain colonel major lieutenant admiral
marshal commander attorney solicitor auditor comptroller registrar dean provost rector coach
""".split())
# Titles and role words that show a person's gender.
TITLE_GENDER = {
    **dict.fromkeys("mr sir lord king father chairman spokesman congressman councilman businessman "
                    "brother uncle husband son prince duke emperor".split(), "m"),
    **dict.fromkeys("mrs ms miss dame lady queen mother chairwoman spokeswoman congresswoman councilwoman "
                    "businesswoman sister aunt wife daughter princess duchess empress".split(), "f"),
}
_INITIAL = re.compile(r"^[A-Z]\.$")


@lru_cache(maxsize=1)
def _detector():  # noqa: ANN202 - gender_guesser has no types
    import gender_guesser.detector as gender

    class Detector(gender.Detector):
        """gender-guesser's detector with its name list read by Python's own text reader; its
        `codecs` reader was 60% of the 0.28 s every run spent loading it (same lines, same parsing)."""

        def _parse(self, filename: str) -> None:
            self.names = {}
            with open(filename, encoding="utf-8") as f:
                for line in f:
                    self._eat_name_line(line.strip())

    try:
        return Detector(case_sensitive=False)
    except Exception:  # noqa: BLE001  (another version of the library: its own reader)
        return gender.Detector(case_sensitive=False)


@lru_cache(maxsize=16384)
def first_name_gender(word: str) -> str | None:
    """m or f when a first name is mostly used for one gender (gender-guesser's name list), else None."""
    word = word.strip(".,'\u2019")
    if len(word) < 2 or not word[:1].isupper():
        return None
    found = _detector().get_gender(word)
    return {"male": "m", "mostly_male": "m", "female": "f", "mostly_female": "f"}.get(found)


@lru_cache(maxsize=16384)
def is_first_name(word: str) -> bool:
    """Whether a capitalised word is a known given name of either gender (gender-guesser's list)."""
    word = word.strip(".,'\u2019")
    if len(word) < 2 or not word[:1].isupper() or word.isupper():
        return False
    return _detector().get_gender(word) != "unknown"


def _demonym(token: str) -> bool:
    part = token.split("-")[-1].lower()
    return part.endswith(("ian", "ese", "ish", "ean", "ic")) or (part.endswith("an") and len(part) > 6)


def _title_word(token: str) -> bool:
    return token.lower().rstrip(".") in TITLES


def split_title(name: str) -> tuple[str, str]:
    """("Prime Minister", "Ana Ruiz") from "Prime Minister Ana Ruiz".

    Leading title words go with the title, and so do up to two words before a title ("Environment
    Minister Ana Ruiz", "Norway's Prime Minister ...") and demonyms ("Turkish President X"). Where a
    known first name follows two or more leading words, everything before it is the title
    ("Bank Governor Ana Ruiz").
    """
    tokens = name.split()
    if len(tokens) < 2:
        return "", name
    i = 0
    lead = next((j for j, t in enumerate(tokens[:3]) if _title_word(t)), None)
    if lead is not None and len(tokens) - lead >= 2:
        i = lead
    while i < len(tokens) - 1 and (_title_word(tokens[i]) or (_demonym(tokens[i]) and len(tokens) - i > 2)
                                   or tokens[i].endswith(("'s", "\u2019s"))):
        i += 1
    while i < len(tokens) - 2 and _demonym(tokens[i]):
        i += 1
    if i == 0 and len(tokens) >= 3:
        first = next((j for j, t in enumerate(tokens[1:-1], start=1)
                      if is_first_name(t) and not _title_word(t)), None)
        if first is not None and any(_title_word(t) for t in tokens[:first]):
            i = first
    return " ".join(tokens[:i]), " ".join(tokens[i:])


def gender_of(name: str, title: str = "") -> str | None:
    """m or f from a title word ("Mrs", "chairman") or the first name, else None."""
    for word in re.findall(r"[\w-]+", title.lower()):
        if word in TITLE_GENDER:
            return TITLE_GENDER[word]
    tokens = [t for t in name.split() if not _INITIAL.match(t)]
    return first_name_gender(tokens[0]) if len(tokens) >= 2 else None


# Two capitalised words of four letters or more run together by a scraper ("TrumpSanders"), not
# a name written in camel case ("McDonald", "DeSantis", "FedWatch").
GLUED = re.compile(r"\b([A-Z][a-z]{3,})([A-Z][a-z]{3,})")


def clean_name(name: str) -> str:
    """A name as scraped pages print it, repaired: words glued by lost spaces split ("TrumpSanders"),
    and a repeated name cut ("Ana Ruiz Ana María Ruiz" -> "Ana Ruiz"; "Ruiz Ana María Ruiz" -> the full name)."""
    tokens = GLUED.sub(r"\1 \2", name).split()
    for k in range(1, len(tokens)):
        if len(tokens[k]) > 2 and tokens[k] in tokens[:k]:
            j = tokens.index(tokens[k])
            if j == 0 and k >= 2 and not is_first_name(tokens[0]):
                return " ".join(tokens[1:k + 1])
            return " ".join(tokens[:k])
    return " ".join(tokens)


def same_person(a: str, b: str) -> bool:
    """Whether two names can be one person: the same surname, and no first names that differ."""
    ta = [t.casefold().strip(".,") for t in split_title(a)[1].split() if not _INITIAL.match(t)]
    tb = [t.casefold().strip(".,") for t in split_title(b)[1].split() if not _INITIAL.match(t)]
    if not ta or not tb or ta[-1] != tb[-1]:
        return False
    return len(ta) == 1 or len(tb) == 1 or ta[0] == tb[0] or ta[0].startswith(tb[0]) or tb[0].startswith(ta[0])
