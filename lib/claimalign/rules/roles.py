"""Roles: one person given incompatible titles or affiliations in different documents.

A person's role comes from the title before the name ("Deputy Mayor Ana Ruiz") and the appositive
after it ("Ana Ruiz, a professor at Villa Alta University"). Two documents conflict when they tie
the person to different organizations (neither name holds the other's words, the alias table does
not join them, and neither document names the other's organization anywhere), or give two titles of
one rank group of data/cues.yaml ("professor" / "lecturer") that neither document gives together.
Names are matched through the alias table, `same_person`, and one-letter-off surname spellings.
"""
from __future__ import annotations

import bisect
import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Callable, Iterator

from rapidfuzz import fuzz

from ..aliases import name_key
from ..cues import Cues, load_cues, surface
from ..extract.claim import STOPWORDS, Claim
from ..extract.mentions import APPOSITIVE_ROLE, ORG_WORDS, ROLE_NOUNS, classify
from ..extract.people import TITLES, same_person
from ..settings import Params
from ..values import Span
from .base import FindingType, Rule
from .context import RuleContext
from .finding import Finding

__all__ = ["RULE", "Role", "roles_of"]

ROLE_CONFLICT = FindingType(
    "role_conflict", "Role conflict", "Role differs from the source",
    "One person is given different titles or affiliations in different documents.", "medium")
PROFESSION = re.compile(r"(?:ologist|ician|ist)$")


@dataclass(frozen=True)
class Role:
    """What one document says a person is: title or role words, organization, and the evidence span."""

    person: str
    doc: str
    role: str
    org: str
    span: Span


def _role_word(word: str, cues: Cues) -> bool:
    w = word.casefold().rstrip(".")
    return (w in ROLE_NOUNS or w in TITLES or (len(w) > 5 and bool(PROFESSION.search(w)))
            or any((w,) in group for group in cues.ranks))


def roles_of(ctx: RuleContext, m: Claim, cues: Cues) -> Role | None:
    """The title and appositive role of a person's mention, or None when the text gives neither."""
    raw = ctx.corpus[m.doc].raw
    role, org, end = m.detail.get("title") or "", "", m.end
    after = APPOSITIVE_ROLE.match(raw[m.end:min(m.sentence_end, m.end + 160)].replace("\n", " "))
    if after and any(_role_word(w, cues) for w in after.group("role").split()) \
            and classify(after.group("org"), ctx.aliases) == "org":
        role, org = after.group("role"), after.group("org").rstrip(".,")
        end = m.end + after.end("org")
        end -= len(after.group("org")) - len(org)
    if not role and not org:
        return None
    start = m.start
    if m.detail.get("title"):
        title = m.detail["title"]
        at = raw.rfind(title, max(m.sentence_start, m.start - len(title) - 4), m.start)
        start = at if at >= 0 else start
    return Role(m.value, m.doc, role, org, Span.of(m.doc, raw, start, end))


def _org_words(org: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", name_key(org).replace("'s", "")) if w not in STOPWORDS}


def _same_org(ctx: RuleContext, a: str, b: str) -> bool:
    """One organization: aliases, or the words of one inside the other's ("Northgate's School of …")."""
    if ctx.aliases.same(a, b):
        return True
    wa, wb = _org_words(a), _org_words(b)
    return not wa or not wb or wa <= wb or wb <= wa


def _names(ctx: RuleContext, doc: str, org: str) -> bool:
    """Whether a document names an organization anywhere (under any alias)."""
    folded = ctx.folded(ctx.corpus[doc])
    keys = {" " + re.sub(r"\W+", " ", n).strip() + " " for n in ctx.aliases.names_of(org) + [name_key(org)]}
    return any(k in folded for k in keys)


def _rank(role: str, cues: Cues) -> dict[int, tuple[str, ...]]:
    """The rank of each group a role names, its longest title ("assistant professor of …" -> assistant professor)."""
    words = surface(role)
    out: dict[int, tuple[str, ...]] = {}
    for g, group in enumerate(cues.ranks):
        for title in sorted(group, key=len, reverse=True):
            n = len(title)
            if any(words[i:i + n] == title for i in range(len(words) - n + 1)):
                out[g] = title
                break
    return out


def _people(ctx: RuleContext, cues: Cues) -> dict[str, list[Role]]:
    """Roles of every person, keyed by one name for all the spellings that are one person."""
    found: dict[str, list[Role]] = defaultdict(list)
    for m in ctx.of("mention"):
        if ctx.entity_kinds.get(name_key(m.value)) != "person" or m in ctx.quoted:
            continue
        r = roles_of(ctx, m, cues)
        if r is not None:
            found[m.value].append(r)
    keys = sorted(found, key=lambda k: (-len({r.doc for r in found[k]}), k))
    merged: dict[str, list[Role]] = {}
    for k in keys:
        into = next((h for h in merged if _one_person(h, k)), None)
        merged.setdefault(into or k, []).extend(found[k])
    return merged


def _one_person(a: str, b: str) -> bool:
    ta, tb = a.split(), b.split()
    if same_person(a, b):
        return True
    return (len(ta) >= 2 and len(tb) >= 2 and ta[0] == tb[0] and len(ta[-1]) >= 5
            and fuzz.ratio(ta[-1].casefold(), tb[-1].casefold()) >= 85)


def role_findings(ctx: RuleContext, params: Params) -> Iterator[Finding]:
    """role_conflict (see the module doc); one finding per person, with every document of a conflicting pair."""
    cues = load_cues(ctx.corpus.root)
    for person, roles in sorted(_people(ctx, cues).items()):
        by_doc: dict[str, list[Role]] = defaultdict(list)
        for r in roles:
            by_doc[r.doc].append(r)
        pairs = _conflicting_pairs(ctx, cues, by_doc)
        if not pairs:
            continue
        shown = {id(r): r for a, b, _ in pairs for r in (a, b)}
        ordered = sorted(shown.values(), key=lambda r: (ctx.order[r.doc], r.span.start))
        values = {r.doc: [_describe(r)] for r in ordered}
        hows = sorted({how for _, _, how in pairs})
        text = "; ".join(f"{d}: {v[0]}" for d, v in values.items())
        yield Finding("role_conflict", person, list(values), values, params.severity,
                      f"The documents give {person} roles that cannot all be right ({', '.join(hows)}): {text}.",
                      [r.span for r in ordered], confidence=0.8, detail={"how": hows})


def _conflicting_pairs(ctx: RuleContext, cues: Cues, by_doc: dict[str, list[Role]]
                       ) -> list[tuple[Role, Role, str]]:
    """_conflict for every pair of documents, computed once per pair of distinct document signatures.

    Whether two documents conflict depends only on their roles' (role, org) and on which of the
    person's organizations and titles each document names, so documents alike in those answer alike;
    a corpus of many near-identical reports costs the number of distinct signatures squared, not of documents.
    """
    ranks: dict[str, dict[int, tuple[str, ...]]] = {}

    def rank(role: str) -> dict[int, tuple[str, ...]]:
        if role not in ranks:
            ranks[role] = _rank(role, cues)
        return ranks[role]

    orgs = sorted({r.org for rs in by_doc.values() for r in rs if r.org})
    titles = sorted({t for rs in by_doc.values() for r in rs for t in rank(r.role).values()})
    groups: dict[tuple, list[str]] = defaultdict(list)
    for d in sorted(by_doc, key=lambda d: ctx.order[d]):
        sig = (tuple((r.role, r.org) for r in by_doc[d]),
               tuple(o for o in orgs if _names(ctx, d, o)), tuple(t for t in titles if _gives(ctx, d, t)))
        groups[sig].append(d)
    sigs = list(groups)
    orders = {sig: [ctx.order[d] for d in ds] for sig, ds in groups.items()}
    verdict: dict[tuple[int, int], tuple[int, int, str] | None] = {}

    def judged(i: int, j: int) -> tuple[int, int, str] | None:
        """_conflict(a document of signature i, a later one of signature j), as role indices."""
        if (i, j) not in verdict:
            ra, rb = by_doc[groups[sigs[i]][0]], by_doc[groups[sigs[j]][0]]
            found = _conflict(ctx, rank, ra, rb)
            verdict[(i, j)] = found and (ra.index(found[0]), rb.index(found[1]), found[2])
        return verdict[(i, j)]

    out: list[tuple[Role, Role, str]] = []
    for i, si in enumerate(sigs):
        for j, sj in enumerate(sigs):
            if i == j:
                continue
            for d in groups[si]:
                pos = ctx.order[d]
                k = bisect.bisect_right(orders[sj], pos)
                if k < len(orders[sj]) and (v := judged(i, j)):
                    out.append((by_doc[d][v[0]], by_doc[groups[sj][k]][v[1]], v[2]))
                if orders[sj][0] < pos and (v := judged(j, i)):
                    out.append((by_doc[groups[sj][0]][v[0]], by_doc[d][v[1]], v[2]))
    return out


def _describe(r: Role) -> str:
    return ", ".join(x for x in (r.role, r.org) if x) or r.span.text


def _conflict(ctx: RuleContext, rank: Callable[[str], dict[int, tuple[str, ...]]], ra: list[Role],
              rb: list[Role]) -> tuple[Role, Role, str] | None:
    """The first pair of roles of two documents that cannot both be right, with how they differ."""
    orgs_a, orgs_b = {r.org for r in ra if r.org}, {r.org for r in rb if r.org}
    ranks_a = {g: t for r in ra for g, t in rank(r.role).items()}
    ranks_b = {g: t for r in rb for g, t in rank(r.role).items()}
    for a in ra:
        for b in rb:
            if a.org and b.org and not any(_same_org(ctx, x, y) for x in orgs_a for y in orgs_b) \
                    and not _names(ctx, a.doc, b.org) and not _names(ctx, b.doc, a.org):
                return a, b, "different organization"
            for g, t in rank(a.role).items():
                other = rank(b.role).get(g)
                if other and other != t and ranks_a.get(g) == t and ranks_b.get(g) == other \
                        and not _gives(ctx, a.doc, other) and not _gives(ctx, b.doc, t):
                    return a, b, "different title"
    return None


def _gives(ctx: RuleContext, doc: str, title: tuple[str, ...]) -> bool:
    """Whether a document uses a title anywhere (it may name two people, or a former post)."""
    return f" {' '.join(title)} " in ctx.folded(ctx.corpus[doc])


RULE = Rule(
    "roles", role_findings, (ROLE_CONFLICT,), needs=("mention",),
    settings={"severity": ("medium", "severity of one person given different titles or affiliations")})
