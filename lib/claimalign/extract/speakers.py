"""Who speaks a quotation: attribution cues around it, resolved to the fullest name the document gives.

A quotation's speaker comes, in this order, from
- an attribution right after it (`"…," Ruiz said`, `said the minister`, `"…," X, the minister of Y,
  said`, `according to X`, a bare `"…," Ruiz` closing a paragraph);
- its sentence before it: `according to X`, `X's message was that "…"`, `in her words`, a speech
  verb and its subject (`X told reporters that …"`, `X, the chair, warned "…"`), or for `…, adding
  "…"` and `… and said "…"` the subject of the clause;
- an attribution closing its sentence (`… "impacted" the area, a Western official said.`);
- the subject of the clause holding it, when that subject is a person (`Ruiz credited the system
  "that worked very well"`);
- in a transcript, the turn's speaker label (`MAYOR X:`; `Q:` is a questioner), also who "I" is;
- the previous quotation of its paragraph, or of the previous paragraph when a paragraph opens with
  a quotation and says no more (newsroom multi-paragraph quotes).
Names resolve to the fullest form the document gives (a surname to its last full mention before,
so a full name beats a relative who shares the surname); "he"/"she" to the most recent
gender-compatible subject or speaker outside quotations; a description ("the minister") to the
person it named earlier. What cannot be resolved to a name stays a description or nothing: no
speaker is better than a wrong one.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from .claim import Context
from .mentions import ORG_WORDS, ROLE_NOUNS
from .people import TITLES, clean_name, gender_of, split_title

__all__ = ["Attribution", "Speakers", "SPEECH_VERBS", "turns", "QUESTIONER"]

# Characters before a quotation read for its attribution: a sentence can be a whole one-line text.
BEFORE_WINDOW = 2000
SPEECH_VERBS = tuple("""
say says said saying tell tells told telling add adds added adding write writes wrote writing tweet tweets
tweeted tweeting posted argue argues argued arguing warn warns warned warning vow vows vowed vowing note notes
noted noting explain explains explained explaining continued urge urges urged urging asserts asserted asserting
insist insists insisted insisting emphasized emphasised emphasizing emphasising declares declared declaring
remarked commented recalls recalled recalling acknowledges acknowledged acknowledging claims claimed claiming
observed announces announced announcing stresses stressed stressing concluded replied replies responded asked
asks predicted predicts promised promises pledged pledges suggested suggests contended contends conceded concedes
admitted admits complained complains described describes describing called calls calling labeled labelled dubbed
boasted cautioned countered quipped scoffed joked testified agreed touted
""".split()) + ("pointed out", "put it", "went on")
_VERB = r"(?:" + "|".join(re.escape(v).replace(r"\ ", r"\s+") for v in sorted(SPEECH_VERBS, key=len, reverse=True)) + r")"
_PARTICIPLE = re.compile(r"\b(?:adding|saying|insisting|noting|warning|arguing|explaining|telling|writing|"
                         r"declaring|stressing|calling|describing|acknowledging|claiming|vowing|urging|"
                         r"announcing|recalling|emphasi[sz]ing|asserting|asking|reiterating|promising)\b")
_ADVERBS = r"(?:(?:also|later|then|again|earlier|previously|once|repeatedly|often|further|simply|"\
           r"[a-z]+ly)\s+){0,2}"
_TITLE_TOKEN = r"(?:(?:Mr|Mrs|Ms|Dr|St|Jr|Sr|Prof|Rev|Hon|Gen|Sen|Rep|Gov|Lt|Col|Capt|Sgt|Adm|Maj|Cpl|Supt)\.)"
_CAP = r"(?:[A-Z]\.(?=\s)|[A-Z][\w'\u2019-]*)"
_NAME = (rf"(?:{_TITLE_TOKEN}\s+)*{_CAP}"
         rf"(?:\s+(?:(?:de|van|von|der|al|bin|da|di|le|la|du|of)\s+)?(?:{_CAP}|{_TITLE_TOKEN})){{0,6}}")
_FUNCTION = r"(?:and|or|but|by|of|to|with|for|from|in|on|at|that|as|when|who|which|whose|was|were|is|are|be|" \
            r"been|has|have|had|will|would|not|if|than|then|after|before|while|since|because)"
_DESC = (r"(?:(?:[Tt]he|[Aa]n?|[Oo]ne|[Aa]nother|[Tt]his|[Hh]is|[Hh]er|[Tt]heir|[Ii]ts|[Mm]y|[Oo]ur)\s+"
         rf"(?:(?!{_FUNCTION}\b)[\w'\u2019.-]+\s+){{0,3}}?(?!{_FUNCTION}\b)[\w'\u2019-]+)")
_ROLE_NAME = (rf"(?:(?!(?i:{_FUNCTION})\b)[A-Z][\w'\u2019.-]*\s+)?(?:(?!{_FUNCTION}\b)[a-z][\w-]*\s+){{1,3}}?"
              rf"(?:{_TITLE_TOKEN}\s+)*{_CAP}(?:\s+{_CAP}){{1,3}}")
_PRONOUN = r"(?:[Hh]e|[Ss]he|[Tt]hey|[Ii]t|[Ww]e|I)"
WHO = rf"(?P<who>\b(?:{_PRONOUN}\b|{_DESC}|{_ROLE_NAME}|{_NAME}))"
_APPOS = r"(?P<appos>,\s[^,\n]{2,160}?,)?"

AFTER_WHO_VERB = re.compile(rf"^[,.!?;:\s]*{WHO}{_APPOS}\s+{_ADVERBS}(?P<verb>{_VERB})\b")
_DESC_GREEDY = _DESC.replace("{0,3}?", "{0,3}")
AFTER_VERB_WHO = re.compile(rf"^[,.!?;:\s]*(?P<verb>said|says|added|wrote|asked|continued|replied|"
                            rf"explained|noted|tweeted|insisted|warned|argued)\s+"
                            rf"(?P<who>\b(?:{_PRONOUN}\b|{_DESC_GREEDY}|{_ROLE_NAME}|{_NAME}))")
ROLE_THEN_NAME = re.compile(r"^(?:[a-z][\w-]*\s+){1,3}(?P<name>[A-Z][\w'\u2019.-]*(?:\s+[A-Z][\w'\u2019.-]*)+)$")
AFTER_BARE_NAME = re.compile(rf"^[,\s]*(?P<who>{_NAME})\s*(?:\n|$)")
ACCORDING = re.compile(rf"\b(?:according\s+to|in\s+the\s+words\s+of)\s+{WHO}", re.IGNORECASE)
IN_WORDS = re.compile(r"\bin\s+(?P<who>his|her|their)\s+(?:own\s+)?words\b", re.IGNORECASE)
SUBJECT_VERB = re.compile(rf"{WHO}{_APPOS}\s+{_ADVERBS}(?P<verb>{_VERB})\b")
TRAILING = re.compile(rf",\s+{WHO}{_APPOS}\s+{_ADVERBS}(?P<verb>said|says|added|wrote|told|noted|argued|warned|"
                      rf"explained|tweeted|insisted)(?:\s+[\w'\u2019,-]+){{0,6}}\s*[.!?]?\s*$")
POSSESSIVE = re.compile(rf"(?P<who>{_NAME})['\u2019]s\s+(?:[\w-]+\s+){{0,2}}(?:takeaway|message|statement|remarks|"
                        r"words|tweet|post|response|view|argument|warning|conclusion|verdict|answer|reply|"
                        r"letter|note|comment|comments|assessment|promise|pledge|vow|claim|position)\s+"
                        r"(?:was|is|were|are|read|reads|said)\b")
CLAUSE_START = re.compile(r"(?:^|[;:]\s+|,\s+(?:and\s+|but\s+)?|\b(?:as|when|while|after|before|because|although|"
                          r"though|since|if|once|until|whereas)\s+)")
_VERBISH = (r"(?:[a-z]+ed|[a-z]+s|is|was|has|had|will|would|can|could|did|does|may|might|should|told|said|"
            r"wrote|spoke|made|took|gave|went|came|met|ran|saw|knew|thought|stood|became|began|led|kept|held|"
            r"left|sent|brought|felt|found|heard|sought|put|set|read|won|lost|paid|built|chose|drove|"
            r"fought|hit|let|meant|rose|fell|shut|struck|swore|threw|understood|withdrew)\b")
CLAUSE_LEAD = re.compile(rf"(?:^|[,;:]\s|\b{_FUNCTION}\s)(?:(?!{_FUNCTION}\b)[\w'\u2019.-]+\s+){{0,3}}$")
AFTER_PREPOSITION = re.compile(r"\b(?:of|for|with|to|by|at|from|about|against|on|in|and|or|than)\s+$")
VERB_AFTER = re.compile(rf"(?:,\s[^,\n]{{2,160}}?,)?\s+{_ADVERBS}{_VERBISH}")
ANY_VERB = re.compile(rf"\b{_VERB}\b")
SUBJECT_VERBISH = re.compile(rf"{WHO}{_APPOS}\s+{_ADVERBS}{_VERBISH}")
# "A sleep researcher at another university, …, said": the speaker is the noun before the preposition.
HEAD_BEFORE = re.compile(r"(?P<head>\b(?:[Aa]n?|[Tt]he|[Oo]ne|[Aa]nother)\s+(?:[\w'\u2019-]+\s+){0,3}?[\w'\u2019-]+)"
                         r"\s+(?:at|of|from|with|for|in)\s+$")
PRONOUNS = {"he": "m", "she": "f"}
_PARTICLES = frozenset("de van von der al bin da di le la du of".split())
DETERMINERS = {"the", "a", "an", "one", "another", "this", "his", "her", "their", "its", "my", "our"}
_NOT_NAMES = frozenset("""
but and so yet meanwhile however still later earlier also even while when as if though although since
because after before then now today yesterday tonight asked speaking writing in on at of for with by from
during despite instead indeed moreover separately elsewhere finally first second third last this that these
those there here it its his her their our my your we they he she i you one some many most few several all
the a an both each every no nor not such what whatever who whom whose which where why how
""".split())
_LABEL_LINE = re.compile(r"^(?P<label>Q|(?:THE\s+)?[A-Z][A-Z.'\u2019-]*(?:\s+[A-Z][A-Z.'\u2019-]*){0,4})\s*:\s+\S",
                         re.MULTILINE)
QUESTIONER = "questioner"
SPEAKER_NOUNS = frozenset("""
official critic source resident voter people person family aide expert lawmaker member staff police public
crowd group government administration authority agency company firm union council committee court ministry
military army navy regime side camp team campaign party coalition board panel jury witness victim survivor
parent mother father son daughter wife husband friend neighbour neighbor colleague student teacher doctor nurse
patient worker employee owner user customer investor economist scientist researcher analyst activist protester
demonstrator candidate nominee senator congressman congresswoman governor mayor minister president chair chief
head boss spokesman spokeswoman spokesperson representative delegate envoy diplomat negotiator ambassador
""".split())
DOCUMENT_NOUNS = frozenset("statement release report letter study document post tweet paper survey".split())


@dataclass(frozen=True)
class Attribution:
    """A quotation's speaker: a name (None when none is known), else a description, and how it was found."""

    speaker: str | None = None
    description: str | None = None
    as_written: str | None = None
    verb: str | None = None
    how: str | None = None  # cue, according, possessive, subject, trailing, turn, continued, pronoun, description


@dataclass
class Person:
    """A person or organization of one document: its fullest name, gender and role words."""

    name: str
    org: bool = False
    gender: str | None = None
    roles: set[str] = field(default_factory=set)
    titled_gender: str | None = None  # the gender a title shows ("Mrs", "chairman"), stronger than a name's

    @property
    def surname(self) -> str:
        return self.name.split()[-1].casefold().strip(".,")


@dataclass(frozen=True)
class Ref:
    """Where the text names a person: normalised [start, end), and whether the name is a clause subject."""

    start: int
    end: int
    person: Person
    subject: bool


def turns(text: str) -> list[tuple[int, int, str]]:
    """Transcript turns (start, end, speaker label) when the text has three or more speaker-label lines."""
    heads = list(_LABEL_LINE.finditer(text))
    if len(heads) < 3:
        return []
    return [(m.start(), heads[i + 1].start() if i + 1 < len(heads) else len(text), m.group("label"))
            for i, m in enumerate(heads)]


def _singular(word: str) -> str:
    w = word.casefold().strip(".,'\u2019")
    return w[:-1] if w.endswith("s") and not w.endswith("ss") and len(w) > 3 else w


def _speakerish(word: str) -> bool:
    """Whether a description's last word can name who speaks: a person, a group, a body or a text
    ("official", "residents", "the council", "the statement"), not "an early" or "the economy"."""
    w = _singular(word)
    return (w in SPEAKER_NOUNS or w in TITLES or w in ORG_WORDS or w in ROLE_NOUNS or w in DOCUMENT_NOUNS
            or w.endswith(("er", "or", "ist", "ian", "ant", "ent", "man", "woman", "person", "people")))


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


class Speakers:
    """Attribution for the quotations of one normalised view, given its mention claims."""

    def __init__(self, ctx: Context, quotes: list[tuple[int, int]]):
        self.ctx = ctx
        self.text = ctx.text
        self.quotes = sorted(quotes)
        self._quote_starts = [a for a, _ in self.quotes]
        self.people: dict[str, Person] = {}
        self.refs: list[Ref] = []
        self.full_refs: list[Ref] = []
        self.turns = turns(self.text)
        self._turn_starts = [t[0] for t in self.turns]
        self.speaker_refs: list[tuple[int, Person]] = []
        self._index_people()

    # ------------------------------------------------------------ people and where they are named

    def _norm(self, raw: int) -> int:
        return self.ctx.view.starts.position(raw)

    def in_quote(self, pos: int) -> bool:
        i = bisect.bisect_right(self._quote_starts, pos) - 1
        return i >= 0 and self.quotes[i][0] <= pos < self.quotes[i][1]

    def _person(self, name: str, *, org: bool, title: str = "", roles: set[str] | None = None) -> Person:
        key = name.casefold()
        person = self.people.get(key)
        if person is None:
            person = self.people[key] = Person(name, org, None if org else gender_of(name, title))
        person.roles |= roles or set()
        if not org and person.gender is None:
            person.gender = gender_of(name, title)
        if not org and title and person.titled_gender is None:
            person.titled_gender = gender_of("", title)
        return person

    def _index_people(self) -> None:
        view = self.ctx.view
        lo, hi = (view.starts[0], view.ends[-1]) if len(self.text) else (0, 0)
        for claim in self.ctx.claims:
            if claim.kind != "mention" or not lo <= claim.start < hi:
                continue
            kind = claim.detail.get("type")
            start = self._norm(claim.start)
            end = start + len(claim.norm)
            bare = clean_name(str(claim.detail.get("name") or claim.value))
            title = str(claim.detail.get("title") or "")
            words = re.findall(r"[A-Za-z-]+", f"{title} {claim.detail.get('role') or ''}")
            if kind == "org":
                person = self._person(bare, org=True, roles={_singular(w) for w in bare.split()})
                if claim.detail.get("acronym"):
                    self.people.setdefault(str(claim.detail["acronym"]).casefold(), person)
            elif kind == "person" or (kind == "name" and gender_of(bare)):
                person = self._person(bare, org=False, title=title, roles={_singular(w) for w in words})
            else:
                continue
            self.refs.append(Ref(start, end, person, self._is_subject(start, end)))
        self.full_refs = [r for r in self.refs if not r.person.org and len(r.person.name.split()) >= 2]
        surnames = {p.surname for p in self.people.values() if not p.org and len(p.name.split()) >= 2}
        if surnames:
            pattern = re.compile(r"(?<![\w'\u2019-])(?:(?:Mr|Mrs|Ms|Dr|Prof|Sen|Rep|Gen|Gov)\.?\s+)?(?P<s>"
                                 + "|".join(re.escape(s) for s in sorted(surnames, key=len, reverse=True)
                                            if len(s) > 1) + r")(?![\w-])", re.IGNORECASE)
            taken = sorted((r.start, r.end) for r in self.refs)
            starts = [a for a, _ in taken]
            for m in pattern.finditer(self.text):
                at = m.start("s")
                i = bisect.bisect_right(starts, at) - 1
                if not m.group("s")[:1].isupper() or (i >= 0 and taken[i][0] <= at < taken[i][1]):
                    continue
                person = self._with_surname(m.group("s"), at)
                if person is not None:
                    self.refs.append(Ref(m.start(), m.end(), person, self._is_subject(m.start(), m.end())))
        self.refs.sort(key=lambda r: r.start)
        self._ref_starts = [r.start for r in self.refs]

    def _with_surname(self, surname: str, pos: int) -> Person | None:
        """The person with this surname named fully most recently before `pos` (else first after)."""
        full, starts = self._by_surname().get(surname.casefold(), ([], []))
        if not full:
            return None
        i = bisect.bisect_right(starts, pos) - 1
        if i >= 0:
            return full[bisect.bisect_left(starts, starts[i])].person
        return full[0].person

    def _by_surname(self) -> dict[str, tuple[list[Ref], list[int]]]:
        """Full-name references by surname, sorted by position (ties in text order), with their starts."""
        key = (id(self.full_refs), len(self.full_refs))
        if self.__dict__.get("_surname_key") != key:
            index: dict[str, list[Ref]] = {}
            for r in self.full_refs:
                index.setdefault(r.person.surname, []).append(r)
            ordered = {k: sorted(v, key=lambda r: r.start) for k, v in index.items()}
            self._surname_index = {k: (v, [r.start for r in v]) for k, v in ordered.items()}
            self._surname_key = key
        return self._surname_index

    def _is_subject(self, start: int, end: int) -> bool:
        """A name that starts its clause, or that a verb follows (after an optional appositive)."""
        text = self.text
        sent = self.ctx.sentence_at(start)
        before = text[sent.start if sent else 0:start]
        if CLAUSE_LEAD.search(before) and not AFTER_PREPOSITION.search(before):
            return True
        after = text[end:end + 220]
        return bool(VERB_AFTER.match(after))

    # ------------------------------------------------------------ resolving what the cue names

    def resolve(self, who: str, pos: int, appos: str | None = None) -> Attribution:
        """The speaker that the words `who` (at normalised `pos`) name, and how."""
        word = re.sub(r"^(?:And|But|So|Yet|Then|Meanwhile|However|Still)\s+", "", who.strip())
        low = word.casefold()
        if low in ("i", "we"):
            turn = self.turn_speaker(pos) if low == "i" else None
            return Attribution(turn, None, who, how="turn") if turn else Attribution(as_written=who, how="pronoun")
        if low in PRONOUNS:
            person = self._pronoun(PRONOUNS[low], pos)
            return Attribution(person.name if person else None, None, who, how="pronoun")
        if low in ("they", "it"):
            person = self._recent_org(pos)
            return Attribution(person.name if person else None, None, who, how="pronoun")
        first = low.split()[0]
        if first in DETERMINERS or word[:1].islower():
            named_after_role = ROLE_THEN_NAME.match(word) if first not in DETERMINERS else None
            if named_after_role:  # "board chair Katharine Lindqvist put it"
                named = self._named(named_after_role.group("name"), pos)
                if named:
                    return Attribution(named, None, who, how="cue")
            if appos:
                named = self._named(appos.strip(" ,"), pos)
                if named:
                    return Attribution(named, None, who, how="cue")
            rest = word.split(None, 1)[1] if " " in word else ""
            if first == "the" and rest[:1].isupper():
                named = self._named(rest, pos, known_only=True)
                if named:
                    return Attribution(named, None, who, how="cue")
            if first in ("the", "this"):
                person = self._described(low, pos)
                if person is not None:
                    return Attribution(person.name, None, who, how="description")
            if not _speakerish(word.split()[-1]):
                return Attribution(as_written=who, how="description")
            inner = re.search(r"\b(?:my|his|her|their|our|its)\s+\S+(?:\s+\S+)?$", word)
            return Attribution(None, _lower_first(inner.group() if inner and inner.start() else word), who,
                               how="description")
        named = self._named(word, pos)
        if named:
            return Attribution(named, None, who, how="cue")
        if not _speakerish(word.split()[-1]):
            return Attribution(as_written=who, how="description")
        return Attribution(None, _lower_first(word) if word[:1].isupper() else word, who, how="description")

    def _named(self, word: str, pos: int, *, known_only: bool = False) -> str | None:
        """The canonical name for a name as written, or None when it is no name (a common word)."""
        name = clean_name(re.sub(r"['\u2019]s$", "", word))
        lower = [i for i, w in enumerate(name.split()) if w[:1].islower() and w.lower() not in _PARTICLES]
        if lower:
            name = " ".join(name.split()[lower[-1] + 1:])
        _, bare = split_title(name)
        bare = re.sub(r"\s+(?:of|in|from|at)\s+.*$", "", bare)
        tokens = bare.split()
        if not tokens or tokens[0].casefold() in _NOT_NAMES or all(t.lower().rstrip(".") in TITLES for t in tokens):
            return None
        if bare.casefold() in self.people:
            return self.people[bare.casefold()].name
        person = self._with_surname(tokens[-1], pos)
        if person is not None:
            mine = {t.casefold().rstrip(".") for t in tokens}
            theirs = {t.casefold().rstrip(".") for t in person.name.split()}
            if len(tokens) == 1 or mine <= theirs or tokens[0].casefold() == person.name.split()[0].casefold():
                return person.name
        for p in self.people.values():
            if p.org and bare.casefold() in (p.name.casefold(), *p.name.casefold().split()[:1]):
                return p.name
        if known_only:
            return None
        if len(tokens) == 1:
            common = re.search(rf"(?<![.!?]\s)(?<!^)\b{re.escape(tokens[0].lower())}\b", self.text)
            named_twice = len(re.findall(rf"\b{re.escape(tokens[0])}\b", self.text)) >= 2
            if tokens[0].endswith("s") or common or not tokens[0][:1].isupper() or not named_twice:
                return None
        return bare if bare[:1].isupper() else None

    def _candidates(self, pos: int, window: int = 1500) -> list[tuple[int, Person, bool]]:
        """(position, person, is_subject) of names and speakers before `pos`, outside quotations, latest first."""
        i = bisect.bisect_left(self._ref_starts, pos)
        found = [(r.start, r.person, r.subject) for r in self.refs[max(0, i - 80):i]
                 if pos - r.start <= window and not self.in_quote(r.start)]
        found += [(at, p, True) for at, p in self.speaker_refs if at < pos and pos - at <= window]
        return sorted(found, key=lambda x: -x[0])

    def _pronoun(self, gender: str, pos: int) -> Person | None:
        """The subject of the pronoun's own sentence, unless a title says another gender; else the most
        recent gender-compatible person named as a subject (else at all) before `pos`. A given name's
        usual gender is weaker evidence than the sentence ("Jordan Whitley says … she calls")."""
        sentence = self.ctx.sentence_at(pos)
        candidates = self._candidates(pos)
        if sentence is not None:
            here = [p for at, p, subj in candidates if subj and at >= sentence.start and not p.org
                    and not (p.titled_gender and p.titled_gender != gender)]
            if here:
                return here[0]
        fits = [(at, p, subj) for at, p, subj in candidates if not p.org and p.gender in (gender, None)]
        subjects = [p for _, p, subj in fits if subj]
        if subjects:
            return subjects[0]
        return fits[0][1] if fits else None

    def _recent_org(self, pos: int) -> Person | None:
        for _, p, subj in self._candidates(pos, window=600):
            if subj:
                return p if p.org else None
        return None

    def _described(self, description: str, pos: int) -> Person | None:
        """The person or organization a definite description ("the minister") names earlier."""
        head = _singular(description.split()[-1])
        if head in DOCUMENT_NOUNS:
            return None
        for _, p, _ in self._candidates(pos, window=6000):
            if head in p.roles:
                return p
        return None

    def turn_speaker(self, pos: int) -> str | None:
        """The speaker of the transcript turn holding `pos` (a name, "questioner"), or None."""
        i = bisect.bisect_right(self._turn_starts, pos) - 1
        if i < 0 or not self.turns[i][0] <= pos < self.turns[i][1]:
            return None
        label = self.turns[i][2]
        if label == "Q":
            return QUESTIONER
        words = [w for w in label.split() if w.lower().rstrip(".") not in TITLES and w != "THE"]
        if not words:
            person = self._described(label.lower(), pos)
            return person.name if person else None
        found = self._with_surname(words[-1], pos) or next(
            (p for p in self.people.values() if not p.org and p.surname == words[-1].casefold()), None)
        return found.name if found else " ".join(w.title() for w in words)

    # ------------------------------------------------------------ attribution of one quotation

    def attribute(self, start: int, end: int, previous: Attribution | None, previous_end: int) -> Attribution:
        """The speaker of the quotation at normalised [start, end) (content, without its marks)."""
        text = self.text
        after = text[end + 1:end + 220].split("\n")[0].split('"')[0]
        for pattern in (AFTER_WHO_VERB, AFTER_VERB_WHO):
            m = pattern.match(after)
            if m and self._plausible(m.group("who")):
                return self._cue(m, end + 1)
        m = AFTER_BARE_NAME.match(text, end + 1)
        if m and m.group("who").split()[0].casefold() not in _NOT_NAMES and self._named(m.group("who"), m.start()):
            return self.resolve(m.group("who"), m.start("who"))
        lead = re.match(r"^[,.\s]*", after)
        m = ACCORDING.match(after, lead.end() if lead else 0)
        if m:
            found = self.resolve(m.group("who"), end + 1 + m.start("who"))
            return Attribution(found.speaker, found.description, found.as_written, "according to", "according")
        before, base = self._before(start)
        found = self._from_before(before, base)
        if found is None or not (found.speaker or found.description):
            found = self._trailing(end) or found
        if (found is None or not (found.speaker or found.description)) and not self.in_quote(max(0, start - 2)):
            found = self._clause_subject(before, base) or found
        if found is not None and (found.speaker or found.description):
            return found
        turn = self.turn_speaker(start)
        if turn is not None:
            return Attribution(turn, None, None, None, "turn")
        if previous is not None and (previous.speaker or previous.description) and self._continues(previous_end, start):
            return Attribution(previous.speaker, previous.description, "(continued)", previous.verb, "continued")
        return found or Attribution()

    def _plausible(self, who: str) -> bool:
        first = who.split()[0].casefold()
        return first not in _NOT_NAMES or first in DETERMINERS | {"he", "she", "they", "it", "we", "i"}

    def _cue(self, m: re.Match[str], base: int) -> Attribution:
        who, at = m.group("who"), base + m.start("who")
        head = HEAD_BEFORE.search(self.text, max(0, at - 80), at)
        if head and who.split()[0].lower() in DETERMINERS:
            who, at = head.group("head"), head.start("head")
        found = self.resolve(who, at, m.groupdict().get("appos"))
        return Attribution(found.speaker, found.description, found.as_written, m.group("verb"), found.how)

    def _before(self, start: int) -> tuple[str, int]:
        """The sentence text before a quotation, other quotations blanked out, and its offset."""
        sent = self.ctx.sentence_at(max(0, start - 1))
        line_start = self.ctx.view.newline_before(max(0, start - 1)) + 1
        base = max(sent.start if sent else line_start, line_start)
        if start - 1 - base > BEFORE_WINDOW:
            base = start - 1 - BEFORE_WINDOW
            if self.in_quote(base):
                base = self.quotes[bisect.bisect_right(self._quote_starts, base) - 1][0] - 1
        piece = self.text[base:max(base, start - 1)]
        piece = re.sub(r'"[^"]*"', lambda q: '"' + "x" * (len(q.group()) - 2) + '"', piece)
        return piece, base

    def _from_before(self, before: str, base: int) -> Attribution | None:
        if not before.strip():
            return None
        m = ACCORDING.search(before)
        if m:
            found = self.resolve(m.group("who"), base + m.start("who"))
            return Attribution(found.speaker, found.description, found.as_written, "according to", "according")
        m = POSSESSIVE.search(before)
        if m and m.group("who").split()[0].casefold() not in _NOT_NAMES:
            found = self.resolve(m.group("who"), base + m.start("who"))
            return Attribution(found.speaker, found.description, found.as_written, None, "possessive")
        m = IN_WORDS.search(before)
        if m:
            return self.resolve({"his": "he", "her": "she"}.get(m.group("who").lower(), "they"), base + m.start())
        cues = [c for c in SUBJECT_VERB.finditer(before) if self._plausible(c.group("who"))]
        verbs = list(ANY_VERB.finditer(before))
        if cues and cues[-1].end() >= verbs[-1].end():
            return self._cue(cues[-1], base)
        part = _PARTICIPLE.search(before)
        cue = verbs[-1] if verbs else part
        if cue is None:
            return None
        found = self._subject_in(before[:cue.start()], base)
        if found is None:
            return None
        return Attribution(found.speaker, found.description, found.as_written, cue.group(), found.how)

    def _subject_in(self, clause_text: str, base: int) -> Attribution | None:
        """The subject of the last clause of `clause_text` that has one (name, pronoun or description)."""
        found = None
        for start in CLAUSE_START.finditer(clause_text):
            m = SUBJECT_VERBISH.match(clause_text, start.end())
            if m and self._plausible(m.group("who")):
                found = (m, base + start.end())
        if found is None:
            return None
        m, at = found
        return self.resolve(m.group("who"), at + m.start("who"), m.group("appos"))

    def _trailing(self, end: int) -> Attribution | None:
        """An attribution that closes the quotation's sentence (`…, a Western official said.`)."""
        sent = self.ctx.sentence_at(end)
        if sent is None or sent.end <= end + 1:
            return None
        rest = self.text[end + 1:sent.end]
        if '"' in rest:
            return None
        m = TRAILING.search(rest)
        if m is None or not self._plausible(m.group("who")):
            return None
        found = self.resolve(m.group("who"), end + 1 + m.start("who"), m.group("appos"))
        return Attribution(found.speaker, found.description, found.as_written, m.group("verb"), "trailing")

    def _clause_subject(self, before: str, base: int) -> Attribution | None:
        """A person who is the subject of the clause holding a quotation that no cue attributes."""
        found = self._subject_in(before, base)
        if found is None or not found.speaker or found.how not in ("cue", "pronoun", "description"):
            return None
        person = self.people.get(found.speaker.casefold())
        if person is None or person.org:
            return None
        return Attribution(found.speaker, None, found.as_written, None, "subject")

    def _continues(self, previous_end: int, start: int) -> bool:
        """Whether a quotation with no cue continues the previous one's speaker: same paragraph, or a
        paragraph that opens with this quotation right after the one holding the previous quotation."""
        gap = self.text[previous_end:start]
        if "\n" not in gap:
            return len(gap) < 300
        para_start = self.ctx.view.newline_before(start) + 1
        opens = not self.text[para_start:max(para_start, start - 1)].strip()
        return opens and gap.count("\n") <= 2 and len(gap) < 400

    def note_speaker(self, at: int, speaker: str | None) -> None:
        """Remember a resolved speaker, so later pronouns can point to it."""
        if speaker and speaker != QUESTIONER:
            person = self.people.get(speaker.casefold()) or Person(speaker, gender=gender_of(speaker))
            self.speaker_refs.append((at, person))
