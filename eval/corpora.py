"""Where the evaluation corpora live: the seed, the hand-made test corpora and the shared dev set."""
from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
LABELS = ROOT / "tests" / "data" / "labels"
SEARCH = [ROOT / "data" / "corpus", ROOT / "tests" / "data", SHARED / "devset"]


def corpus_dir(name: str) -> Path | None:
    """The folder of the corpus called `name`, or None when it is not on this machine."""
    for base in SEARCH:
        if (base / name / "manifest.yaml").is_file():
            return base / name
    return None


def gold_corpora() -> list[Path]:
    """Every corpus with a gold.yaml (the seed's gold lives in ../shared/gold)."""
    out = [p.parent for base in SEARCH[1:] if base.is_dir() for p in sorted(base.glob("*/gold.yaml"))]
    return out


def gold_file(corpus: Path) -> Path | None:
    """A corpus's gold file: gold.yaml beside its manifest, or the shared seed gold."""
    if (corpus / "gold.yaml").is_file():
        return corpus / "gold.yaml"
    seed = SHARED / "gold" / "seed-findings.yaml"
    return seed if corpus.name == "carney-china-visit-2026" and seed.is_file() else None
