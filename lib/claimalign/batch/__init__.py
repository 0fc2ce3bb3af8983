"""Many corpora, and big ones, on Dask: `claimalign batch` and one corpus's findings on all cores.

Nothing here imports Dask until a cluster is asked for, so `import claimalign.batch` stays cheap.
"""
from __future__ import annotations

from .parallel import parallel_findings
from .run import BatchResult, run_batch
from .steps import STEPS, run_corpus

__all__ = ["run_batch", "BatchResult", "parallel_findings", "run_corpus", "STEPS"]
