"""The engine: run every registered rule over a corpus's claims, apply reviews, sort."""
from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from ..aliases import Aliases, load_aliases
from ..corpus import Corpus
from ..errors import ClaimalignError, LimitError
from ..extract import extract_claims
from ..extract.claim import Claim
from ..gcpause import gc_paused
from ..sentalign import start_alignment
from ..settings import Settings, corpus_settings, declare
from .base import REGISTRY, Registry
from .context import RuleContext
from .finding import SEVERITIES, Finding, findings_frame

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["find_findings", "findings", "run_rules", "sort_findings", "check_sizes", "MAX_DOCUMENT_MB"]

MAX_DOCUMENT_MB = declare(
    "corpus.max_document_mb", 100.0,
    "largest document compared, in millions of characters; a larger one stops `findings` (time grows linearly)")


def sort_findings(found: Iterable[Finding], registry: Registry = REGISTRY) -> list[Finding]:
    """Severity first, then confidence (highest first), then type, subject and id: a total, stable order."""
    types = {name: i for i, name in enumerate(registry.types)}
    rank = {s: i for i, s in enumerate(SEVERITIES)}
    return sorted(found, key=lambda f: (rank.get(f.severity, len(rank)), -f.confidence,
                                        types.get(f.type, len(types)), f.subject.casefold(), f.id))


def run_rules(ctx: RuleContext, registry: Registry = REGISTRY, *, only: Iterable[str] | None = None) -> list[Finding]:
    """Every registered rule (or those named in `only`) on one context; duplicates by id are merged."""
    names = list(only) if only is not None else list(registry.rules)
    unique: dict[str, Finding] = {}
    for name in names:
        rule = registry.get(name)
        for finding in rule.func(ctx, ctx.settings.params(rule.name)):
            if finding.type not in rule.type_names:
                raise TypeError(f"rule {rule.name!r} made a {finding.type!r} finding it does not declare")
            unique.setdefault(finding.id, finding)
    return sort_findings(unique.values(), registry)


def find_findings(corpus: Corpus, primary: str | None = None, *, claims: list[Claim] | None = None,
                  aliases: Aliases | None = None, settings: Settings | None = None,
                  reviews: bool = True, apart: bool = False) -> list[Finding]:
    """Every finding of a corpus, review statuses applied, in a stable order; `apart` lets a big
    corpus's sentence alignment run in a second process (a program whose main module is guarded,
    as the command line's is: a spawned process imports it again)."""
    if primary:
        corpus = corpus.with_primary(primary)
    if len(corpus) < 2:
        raise ClaimalignError(f"{corpus.root}: the corpus needs a primary and at least one other document to compare")
    settings = corpus_settings(corpus.root, settings)
    check_sizes(corpus, settings)
    aliases = aliases if aliases is not None else load_aliases(corpus.root)
    aligned = start_alignment(corpus, settings, apart=apart)  # big reports: in another process meanwhile
    claims = claims if claims is not None else extract_claims(corpus, aliases)
    with gc_paused():
        ordered = run_rules(RuleContext(corpus, claims, aliases, settings, aligned))
    if reviews:
        from ..reviews import apply_reviews

        apply_reviews(ordered, corpus.root)
    return ordered


def check_sizes(corpus: Corpus, settings: Settings) -> None:
    """Refuse a document over the size limit (`corpus.max_document_mb`), naming it and how to raise it."""
    limit = settings[MAX_DOCUMENT_MB.name]
    for doc in corpus:
        size = len(doc.raw) / 1e6
        if size > limit:
            raise LimitError(f"{doc.path}: {size:.1f} MB of text is over the limit of {limit:g} MB per document; "
                             f"raise it with --set {MAX_DOCUMENT_MB.name}={max(int(size) + 1, int(limit) * 2)} "
                             "(time and memory grow with the size: about 5 s and 40 MB per MB)")


def findings(corpus: Corpus, primary: str | None = None, *, claims: list[Claim] | None = None,
             settings: Settings | None = None) -> pd.DataFrame:
    """The findings of a corpus as a tidy DataFrame (one row per finding); pass claims already extracted."""
    return findings_frame(find_findings(corpus, primary, claims=claims, settings=settings))
