"""A corpus whose texts and manifest carry markup that would run if a page did not escape it."""
from __future__ import annotations

from pathlib import Path

SCRIPT = "<script>alert(1)</script>"
HOSTILE_NAME = "hostile <script>alert('name')</script>"


def write_hostile_corpus(root: Path) -> Path:
    """A corpus whose texts and manifest carry markup that would run if a page did not escape it."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "manifest.yaml").write_text(f"""\
corpus: "{HOSTILE_NAME}"
primary: statement
documents:
  - id: statement
    file: statement.txt
    kind: primary
    title: "Statement <img src=x onerror=window.__pwned=1>"
    author: "<script>window.__pwned=2</script>"
    outlet: "Example Council <b onmouseover=window.__pwned=3>"
    outlet_basis: stated
    date: 2026-02-02
    notes: "notes </script><script>window.__pwned=4</script>"
  - id: wire
    file: wire.txt
    kind: report
    title: "Wire </td></tr></table><script>window.__pwned=5</script>"
    outlet: Wire
    outlet_basis: inferred
    date: 2026-02-03
  - id: blog
    file: blog.txt
    kind: report
    outlet_basis: unknown
""", encoding="utf-8")
    (root / "statement.txt").write_text(f"""\
Statement of the Example Council

February 2, 2026

The Example Council {SCRIPT} said on February 2, 2026 that 120 residents signed the petition. Mayor Jane Doe met Councillor John Roe and the Harbour Trust.

"We will not accept {SCRIPT} any closure of the harbour before March 2026," said Jane Doe.

The council counted 40 boats <img src=x onerror=window.__pwned=6> in the harbour.
""", encoding="utf-8")
    (root / "wire.txt").write_text(f"""\
Council rejects closure

The Example Council said on February 3, 2026 that 150 residents signed the petition <img src=x onerror=window.__pwned=7>.

"We will not accept {SCRIPT} the closure of the harbour before April 2026," said Jane Doe, the mayor.

"</script><script>window.__pwned=8</script>," said John Roe.

The council counted 40 boats in the harbour.
""", encoding="utf-8")
    (root / "blog.txt").write_text("""\
Harbour news <svg onload=window.__pwned=9>

Nearly 120 residents signed, the Example Council said. Jane Doe said: "We will not accept any closure of the harbour before March 2026."

About 35 boats <iframe src="javascript:window.__pwned=10"></iframe> sit in the harbour, according to the Harbour Trust.
""", encoding="utf-8")
    return root
