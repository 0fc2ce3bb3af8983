"""Mentions of people and organizations: name heuristics, titles, roles from appositives, aliases."""
from __future__ import annotations

import re

from ..aliases import Aliases
from .claim import STOPWORDS, Context
from .people import TITLES, _demonym, clean_name, is_first_name, split_title

__all__ = ["extract", "NAME", "ORG_WORDS", "split_title", "classify"]

_TOKEN = r"(?:(?:Mr|Mrs|Ms|Dr|St|Jr|Sr|Prof|Rev|Hon|Gen|Sen|Gov|Lt|Col)\.|(?:[A-Z]\.){2,}(?=[ \t]+[A-Z])|[A-Z]\.(?=\s[A-Z])|[A-Z]\w*(?:-\w+)*(?:'(?:[A-Z]\w*|s(?=[ \t]+[A-Z])))?)"
_CONNECT = r"(?:of|for|on|in|the|de|du|des|la|le|van|von|der|al|bin|a|&)"
NAME = re.compile(rf"(?<![\w'-]){_TOKEN}(?:[ \t]+(?:{_CONNECT}[ \t]+)*{_TOKEN})*(?:[ \t]+\([A-Z][a-z]+\))?")
ACRONYM = re.compile(r"\s*\((?P<acr>[A-Z][A-Z&.]{1,9})\)")
ORG_WORDS = frozenset("""
coalition association committee centre center society federation project institute council watch
international foundation network union party ministry department
parliament commission agency office court university college school times news post press herald
tribune journal gazette sun star group alliance campaign organization organisation trust fund church
congress assembly board service corporation corps corp inc ltd llc company bank authority advocacy
initiative forum league movement collective caucus senate house government embassy consulate
courier review examiner chronicle telegraph observer guardian mirror express daily weekly wire radio
study consortium programme program partnership
television broadcasting agency bureau administration commission reserve institution hospital clinic
laboratory museum library academy
""".split())
ROLE_NOUNS = frozenset("""
activist publisher leader advocate journalist lawyer dissident citizen pastor bishop student spokesperson
spokesman spokeswoman director chair co-chair founder president minister premier ambassador editor
pollster analyst economist strategist member councillor councilor commissioner treasurer coach
reporter researcher professor official officer author writer artist businessman businesswoman mp senator
mayor chief secretary commissioner scholar blogger poet monk nun priest imam rabbi practitioner
""".split())
LEADING = STOPWORDS | frozenset("""
however meanwhile ahead according following unlike like throughout dear sincerely highlighted long
shortly together during when while although because if unless despite after before under over
""".split())
CALENDAR = frozenset("""
monday tuesday wednesday thursday friday saturday sunday january february march april may june july
august september october november december
""".split())
APPOSITIVE_ROLE = re.compile(
    r"^,\s+(?:the\s+|a\s+|an\s+)?(?P<role>[\w-]+(?:\s+[\w-]+){0,4}?)\s+(?:of|at|for|with)\s+(?:the\s+)?"
    rf"(?P<org>{_TOKEN}(?:[ \t]+(?:{_CONNECT}[ \t]+)*{_TOKEN})*)")
LINE_ROLE = re.compile(rf"^\n(?P<role>[A-Z][\w-]*(?:\s+[\w-]+){{0,3}}),\s+(?P<org>{_TOKEN}(?:[ \t]+(?:{_CONNECT}[ \t]+)*{_TOKEN})*)")
MODIFIED_TITLE = 2
APPOSITIVE_PERSON = re.compile(r"^,\s+(?:the\s+|a\s+|an\s+)?(?:[\w'\u2019-]+\s+){0,3}?(?P<noun>[\w-]+)"
                               r"(?:\s*,|\s+(?:of|at|for|with)\b)")
PLACE_WORDS = frozenset("""
republic kingdom states state province city county region district islands island gulf bay sea lake
river mount mountains valley
""".split())
# A name ending in one of these words is a place, never a person or a body ("Harlow Creek", "Anselm
# County", "Kettle River Road", "Hollis Ave"); words that are also common surnames (Hill, Lane, Park,
# Ridge, Lake) are left out.
PLACE_ENDS = frozenset("""
creek river county road rd street avenue ave boulevard blvd highway freeway expressway bay island islands
valley falls canyon harbor harbour township
""".split())
AND_BEFORE = re.compile(r"(?<![\w'-])(?P<word>[A-Z][a-z][\w'-]*)[ \t]+(?:and|&)[ \t]+$")
CONNECT_AND = re.compile(r"[ \t]+(?:and|&)[ \t]+")
PERSON_AFTER = re.compile(r"^(?:,\s+(?:who|whose)\b|\s+(?:said|says|told|wrote|added|noted|argued|warned)\b)")


def _org_title(name: str) -> tuple[str, str]:
    """("Executive Director", "Some Advocacy Group") from "Executive Director of Some Advocacy Group"."""
    m = re.match(r"^((?:[\w-]+\s+){1,3}?)(?:of|at|for)\s+(?:the\s+)?(.+)$", name)
    if m and all(w.lower() in TITLES for w in m.group(1).split()):
        return m.group(1).strip(), m.group(2)
    return "", name


def classify(name: str, aliases: Aliases) -> str:
    """org, person or name (unknown) from the words of a name and the alias table."""
    known = aliases.types.get(aliases.resolve(name).casefold())
    if known:
        return known
    words = {w.lower().strip("().") for w in name.split()}
    if words & ORG_WORDS:
        return "org"
    return "name"


def extract(ctx: Context, aliases: Aliases) -> None:
    """Add a mention claim for each multi-word proper name (or defined acronym) of the text."""
    text = ctx.text
    consumed = 0
    for m in NAME.finditer(text):
        if m.start() < consumed:
            continue
        if " " not in m.group() and "\t" not in m.group() and m.group().lower() not in ORG_WORDS \
                and not text.startswith(" (", m.end()):
            continue
        group_end = _org_with_and(text, m)
        consumed = group_end
        group = text[m.start():group_end]
        toks = [(t.group(), m.start() + t.start(), m.start() + t.end()) for t in re.finditer(r"\S+", group)]
        toks = _person_of_place(toks)
        while toks and ((toks[0][0].lower().rstrip(".") in LEADING and toks[0][0].lower().rstrip(".") not in TITLES)
                        or (len(toks) > 1 and toks[0][0].lower() in CALENDAR)):
            toks = toks[1:]
            while toks and toks[0][0].lower() in {"of", "for", "on", "in", "the", "and", "a", "&", "de", "la"}:
                toks = toks[1:]
        while toks and toks[-1][0].lower() in {"of", "for", "on", "in", "the", "and", "a", "&", "de", "la"}:
            toks = toks[:-1]
        while len(toks) > 1 and toks[-1][0].lower() in CALENDAR:
            toks = toks[:-1]
            while toks and toks[-1][0].lower() in {"of", "for", "on", "in", "the", "and", "a", "&", "de", "la"}:
                toks = toks[:-1]
        if not toks:
            continue
        start, end = toks[0][1], toks[-1][2]
        joined = AND_BEFORE.search(text, max(0, start - 40), start)
        if joined and {t[0].lower() for t in toks} & ORG_WORDS and not _shouted(joined.group("word")):
            start = joined.start("word")
        name = text[start:end]
        if _shouted(name):
            continue
        acronym = ACRONYM.match(text, end)
        if _titled_surname(name):
            continue
        titled = _titled_person(_cut_place(name, "person"))
        kind = "person" if titled else classify(name, aliases)
        if titled:
            title, bare = titled
        elif kind == "org":
            title, bare = _org_title(name)
        else:
            title, bare = split_title(name)
        bare = _cut_place(clean_name(bare) if kind != "org" else bare, kind)
        if kind == "name" and len(bare.split()) >= 2 and bare.split()[-1].lower().strip(".") in PLACE_ENDS:
            kind = "place"
        if bare.split()[0].lower() in {"of", "for", "on", "in", "at", "the", "a"}:
            continue
        if len(bare.split()) < 2 and not acronym and not (kind == "org" and aliases.resolve(bare) != bare):
            continue
        if all(t.lower().rstrip(".") in TITLES or _demonym(t) for t in bare.split()):
            continue
        before = text[max(0, start - 30):start].split()
        role_noun = before[-1].lower() if before else ""
        detail: dict[str, object] = {"name": bare, "title": title or None, "type": kind}
        if kind == "name" and (title or role_noun in ROLE_NOUNS or PERSON_AFTER.match(text[end:end + 20])
                               or (name != bare and not bare.isupper()) or _given_name(bare)):
            detail["type"] = "person"
        appositive = APPOSITIVE_PERSON.match(text[end:end + 80])
        if detail["type"] == "name" and appositive and appositive.group("noun").lower() in ROLE_NOUNS | TITLES:
            detail["type"] = "person"
        role = APPOSITIVE_ROLE.match(text[end:end + 160]) or LINE_ROLE.match(text[end:end + 160])
        if (role and detail["type"] in ("person", "name") and classify(role.group("org"), aliases) == "org"
                and {w.lower() for w in role.group("role").split()} & (ROLE_NOUNS | TITLES)):
            detail.update(type="person", role=role.group("role"), org=role.group("org"))
        if acronym:
            detail["acronym"] = acronym.group("acr")
        if name.rfind(bare) < 0:
            continue
        bstart = start + name.rfind(bare)
        claim = ctx.make("mention", bstart, bstart + len(bare), aliases.resolve(bare), **detail)
        if claim is not None and role_noun in ROLE_NOUNS and "role" not in detail:
            claim.detail["role"] = role_noun


def _given_name(name: str) -> bool:
    """Two or three words that start with a known given name ("John C. Williams"): a person's name."""
    tokens = name.split()
    return 2 <= len(tokens) <= 4 and is_first_name(tokens[0]) and not {t.lower() for t in tokens} & ORG_WORDS \
        and all(t[:1].isupper() for t in tokens)


def _titled_surname(name: str) -> bool:
    """Title and role words before one name word ("Council Member Sandoval", "Deputy Mayor Ruiz"):
    a person referred to by surname, not a name of two words."""
    tokens = name.split()
    lead = [w.lower().rstrip(".") for w in tokens[:-1]]
    return (len(tokens) >= 2 and tokens[-1][:1].isupper() and tokens[-1].lower() not in ORG_WORDS
            and any(w in TITLES or w in ROLE_NOUNS for w in lead)
            and all(w in TITLES or w in ROLE_NOUNS or w in ORG_WORDS or w in {"city", "state", "county", "regional"}
                    for w in lead))


def _titled_person(name: str) -> tuple[str, str] | None:
    """(title, name) when a known first name follows title, role or body words and ends the run with
    one or two capitalised words ("City Council Member Ana Ruiz", "Bank Chair Ana Ruiz")."""
    tokens = name.split()
    for i in range(1, len(tokens) - 1):
        rest = tokens[i:]
        if not is_first_name(tokens[i]) or len(rest) > 3 or {w.lower() for w in rest} & ORG_WORDS:
            continue
        lead = {w.lower().rstrip(".") for w in tokens[:i]}
        if lead & (TITLES | ORG_WORDS | ROLE_NOUNS) or any(w[:1].isupper() and w.lower() in ROLE_NOUNS for w in tokens[:i]):
            return " ".join(tokens[:i]), " ".join(rest)
    return None


PLACE_AFTER = re.compile(r"^(?P<name>.+?)\s+(?:in|of|from)\s+[A-Z][\w'.-]*(?:\s+[A-Z][\w'.-]*)*$")


def _cut_place(name: str, kind: str) -> str:
    """A person's name never runs on into a place: "Ana Ruiz of Villa Alta", "Ana Ruiz in Lima" -> the name."""
    m = PLACE_AFTER.match(name)
    if m is None:
        return name
    head, place = m.group("name"), name[len(m.group("name")):].split()
    if kind not in ("person", "name"):
        return name
    if place[0] == "in":
        return head
    if len(place) <= 4 and not {w.lower() for w in head.split() + place} & ORG_WORDS \
            and len(head.split()) >= 2:
        return head
    return name


def _org_with_and(text: str, m: re.Match[str]) -> int:
    """Where a name ends when "and" joins two parts of one body ("Ministry of Fisheries and Oceans")."""
    name = m.group()
    head = re.split(r"\s+(?:of|for)\s+", name, maxsplit=1)
    if len(head) < 2 or not {w.lower() for w in head[0].split()} & ORG_WORDS:
        return m.end()
    joint = CONNECT_AND.match(text, m.end())
    tail = NAME.match(text, joint.end()) if joint else None
    if tail is None or not tail.group()[:1].isupper() or _shouted(tail.group()) != _shouted(name):
        return m.end()
    return tail.end()


def _shouted(name: str) -> bool:
    """An all-capitals run of words (a heading, dateline or byline), not a name as prose writes it."""
    words = [w for w in re.findall(r"[^\W\d_]+", name) if len(w) > 1]
    return len(words) >= 2 and all(w.isupper() for w in words)


def _person_of_place(toks: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """"Ana Ruiz of Villa Alta" is a person and where she is from: keep the person."""
    words = [t[0] for t in toks]
    if "of" not in words:
        return toks
    cut = words.index("of")
    first = 0
    while first < cut and words[first].lower().rstrip(".") in TITLES:  # "Dr. Ana Ruiz of ...": a titled person
        first += 1
    name = words[first:cut]
    head = {w.lower().strip(".,") for w in name}
    if 2 <= len(name) <= 3 and not head & (ORG_WORDS | TITLES | PLACE_WORDS | ROLE_NOUNS) \
            and all(w[:1].isupper() for w in name) and not any(_demonym(w) for w in name):
        return toks[:cut]
    return toks
