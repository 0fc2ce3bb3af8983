"""Fuzz the command line with odd manifests, texts and settings files; only the contract is asserted.

The contract: exit status 0 or 2, no traceback in the output, the user's files byte-identical
(`add` may only append its own entry and text), and every run within a bounded time.
`make test` runs a small budget; `make fuzz` runs CLAIMALIGN_FUZZ_EXAMPLES=2000. With
CLAIMALIGN_FUZZ_LOG=FILE every break is appended to FILE (one JSON line) instead of failing, so that
one run lists them all.
"""
from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import shutil
import tempfile
import time
import traceback
import warnings
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimalign.cli import main

EXAMPLES = int(os.environ.get("CLAIMALIGN_FUZZ_EXAMPLES", "60"))
LOG = os.environ.get("CLAIMALIGN_FUZZ_LOG")
SECONDS = 60.0  # per command, on a shared 2-core machine; texts here are at most a few hundred kB

INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad \t\u00a0\u3000"
CONTROL = "".join(map(chr, range(0, 32))) + "\x7f\u0085\u2028\u2029\u202e"
WORDS = ("the council said 12 residents signed on January 5, 2026 and \"we will not\" accept "
         "Jane Doe of the Harbour Trust told reporters about 40 boats, $1.2 million, 30% more").split()

odd_text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)
odd_id = st.one_of(st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._-]{0,20}", fullmatch=True), odd_text,
                   st.text(alphabet=CONTROL + "ab", min_size=1, max_size=5), st.just("a" * 300),
                   st.just("x\n"), st.just("../escape"), st.just("/abs"))
scalar = st.one_of(st.none(), st.booleans(), st.integers(-10**12, 10**12), st.floats(allow_nan=True),
                   odd_text, st.just(""), st.just("2026-02-30"), st.just("2026-13"), st.just("2026-01-09"))
value = st.recursive(scalar, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                      st.dictionaries(odd_text, inner, max_size=3)), max_leaves=6)


def _prose(draw: st.DrawFn) -> str:
    words = draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=80))
    return " ".join(words) + draw(st.sampled_from([".", "", "\n", ".\n\n", '"', " 'x"]))


READABLE = ["prose", "prose", "prose", "long-line", "numbers", "quotes", "controls", "latin1", "unicode"]
ODD = ["empty", "invisible", "binary"]


@st.composite
def texts(draw: st.DrawFn, kinds: list[str] = READABLE + ODD) -> bytes:
    """A document's bytes: prose, nothing, invisible characters, binary, huge lines, many numbers, quotes."""
    kind = draw(st.sampled_from(kinds))
    if kind == "empty":
        return draw(st.sampled_from([b"", b"\n", b"   \n\t"]))
    if kind == "invisible":
        return "".join(draw(st.lists(st.sampled_from(INVISIBLE), min_size=1, max_size=50))).encode("utf-8")
    if kind == "binary":
        return draw(st.binary(min_size=1, max_size=300))
    if kind == "long-line":
        return (" ".join([_prose(draw).replace("\n", " ")] * draw(st.integers(50, 2000)))).encode("utf-8")
    if kind == "numbers":
        n = draw(st.integers(1, 3000))
        return ("Counts: " + ", ".join(str(i * 7 % 9973) for i in range(n)) + " people.").encode("utf-8")
    if kind == "quotes":
        return (draw(st.sampled_from(['"', "\u201c", "'", "\u2018"])) * draw(st.integers(1, 500))
                + _prose(draw)).encode("utf-8")
    if kind == "unicode":
        return draw(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)),
                            min_size=1, max_size=400)).encode("utf-8")
    if kind == "controls":
        return (_prose(draw) + draw(st.text(alphabet=CONTROL, min_size=1, max_size=20)) + _prose(draw)).encode()
    if kind == "latin1":
        return (_prose(draw) + " caf\u00e9 \u00ab ok \u00bb").encode("latin-1")
    return "\n\n".join(_prose(draw) for _ in range(draw(st.integers(1, 12)))).encode("utf-8")


@st.composite
def manifests(draw: st.DrawFn, files: list[str]) -> bytes:
    """Manifest bytes: valid-ish mappings with odd values, wrong types, broken YAML, aliases, non-UTF-8."""
    kind = draw(st.sampled_from(["valid"] * 5 + ["odd"] * 3 + ["broken", "bomb", "bytes"]))
    ids = [f"d{i}" for i in range(len(files))]
    entries = [{"id": i, "file": f, "kind": "primary" if n == 0 else "report", "date": "2026-01-0%d" % (n + 1)}
               for n, (i, f) in enumerate(zip(ids, files))]
    data: object = {"corpus": "fuzz", "primary": ids[0], "documents": entries}
    if kind == "odd":
        for _ in range(draw(st.integers(1, 4))):
            if not isinstance(data, dict):
                break
            target = draw(st.sampled_from(["top", "entry", "id", "primary", "documents"]))
            if target == "top":
                data[draw(st.sampled_from(["primary", "corpus", "documents", "extra"]))] = draw(value)
            elif target == "entry":
                entry = draw(st.sampled_from(entries))
                entry[draw(st.sampled_from(["id", "file", "kind", "date", "outlet_basis", "title", "outlet",
                                            "notes", "unknown"]))] = draw(value)
            elif target == "id":
                new = draw(odd_id)
                entry = draw(st.sampled_from(entries))
                if entry["id"] == data.get("primary"):
                    data["primary"] = new
                entry["id"] = new
            elif target == "primary":
                data["primary"] = draw(st.one_of(odd_id, value))
            else:
                data = draw(st.one_of(value, st.just({"documents": entries * 2, "primary": ids[0]})))
    if kind in ("valid", "odd"):
        return yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode("utf-8")
    if kind == "broken":
        good = yaml.safe_dump(data, sort_keys=False)
        cut = draw(st.integers(0, len(good)))
        return (good[:cut] + draw(st.sampled_from(["\n  - [", ": :", "\t", "{", "\x00", "&a *b", "\n\"", "%"]))
                + good[cut:]).encode("utf-8")
    if kind == "bomb":
        return ('a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n'
                'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n'
                'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nprimary: d0\ndocuments: [*e]\n').encode("utf-8")
    return draw(st.binary(max_size=200)) + yaml.safe_dump(data).encode("utf-16")[:draw(st.integers(0, 80))]


@st.composite
def side_files(draw: st.DrawFn) -> dict[str, bytes]:
    """Optional claimalign.yaml, reviews.yaml and aliases.yaml: good, wrong types, broken, not UTF-8."""
    out: dict[str, bytes] = {}
    names = ["quotes.misquote_min", "counts.context_shared", "single_source.severity", "corpus.max_document_mb",
             "no.such_setting"]
    if draw(st.booleans()):
        body = draw(st.one_of(
            st.dictionaries(st.sampled_from(names), value, max_size=3).map(lambda d: {"settings": d}),
            st.just({"settings": {"corpus.max_document_mb": 0.0001}}), st.just({"settings": [1, 2]}),
            st.just({"settings": "x"}), value))
        out["claimalign.yaml"] = yaml.safe_dump(body, allow_unicode=True).encode("utf-8")
    if draw(st.booleans()):
        out["reviews.yaml"] = draw(st.one_of(
            st.just(b"reviews:\n  abc: {status: [confirmed]}\n"), st.just(b"\xff\xfe\x00"),
            value.map(lambda v: yaml.safe_dump(v, allow_unicode=True).encode("utf-8"))))
    if draw(st.booleans()):
        out["aliases.yaml"] = draw(st.one_of(
            st.just(b"aliases: 5\n"), st.just(b"aliases:\n  - [Harbour Trust, HT]\n"), st.just(b"aliases: abc\n"),
            st.just(b"\xe9t\xe9: x\n"), value.map(lambda v: yaml.safe_dump(v, allow_unicode=True).encode("utf-8"))))
    return out


COMMANDS = [["findings", "{c}", "--format", "json"], ["findings", "{c}", "--format", "csv"],
            ["findings", "{c}", "--format", "table"], ["claims", "{c}", "--format", "json"],
            ["export", "{c}", "--to", "csv"], ["export", "{c}", "--to", "annotations"],
            ["add", "{c}", "{f}"], ["add", "{c}", "{f}", "--id", "{i}", "--date", "{d}"]]


@st.composite
def cases(draw: st.DrawFn) -> dict:
    """One corpus folder (texts, manifest, side files), one command, and a file for `add`."""
    n = draw(st.integers(1, 4))
    files = [draw(st.sampled_from([f"t{i}.txt", f"dir/t{i}.txt", f"t {i}\u00e9.txt"])) for i in range(n)]
    files = list(dict.fromkeys(files))
    kinds = draw(st.sampled_from([READABLE, READABLE, READABLE + ODD]))
    return {"texts": {f: draw(texts(kinds)) for f in files}, "manifest": draw(manifests(files)),
            "side": draw(side_files()), "command": draw(st.sampled_from(COMMANDS)), "new": draw(texts()),
            "new_id": draw(odd_id), "new_date": draw(st.one_of(odd_text, st.just("2026-02")))}


def _digests(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def run_cli(argv: list[str]) -> tuple[int, str, str, float]:
    """Run `claimalign ARGV` in this process: exit status, stdout, stderr, seconds."""
    out, err = io.StringIO(), io.StringIO()
    started = time.perf_counter()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), warnings.catch_warnings():
        try:
            status = main(argv)
        except SystemExit as exc:  # argparse refusing an argument
            status = exc.code if isinstance(exc.code, int) else 2
        except BaseException as exc:  # noqa: BLE001  (the contract break the test looks for)
            err.write(traceback.format_exc())
            frames = [f for f in traceback.extract_tb(exc.__traceback__) if "claimalign" in f.filename]
            where = f"{Path(frames[-1].filename).name}:{frames[-1].lineno} in {frames[-1].name}" if frames else "?"
            err.write(f"\nbroken at {where}: {type(exc).__name__}: {str(exc)[:200]}\n")
            status = -1
    return status, out.getvalue(), err.getvalue(), time.perf_counter() - started


def contract_breaks(case: dict, work: Path) -> list[str]:
    """Write the case under `work`, run its command, and list how the run broke the contract."""
    root, outside = work / "corpus", work / "outside"
    root.mkdir()
    outside.mkdir()
    (root / "manifest.yaml").write_bytes(case["manifest"])
    for name, data in {**case["texts"], **case["side"]}.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)
    new = outside / "new.txt"
    new.write_bytes(case["new"])
    before, before_outside = _digests(root), _digests(outside)
    values = {"c": str(root), "f": str(new), "i": case["new_id"], "d": case["new_date"]}
    argv = [part.format(**values) for part in case["command"]]
    status, out, err, seconds = run_cli(argv)
    breaks = []
    if status not in (0, 2):
        breaks.append(f"exit status {status}")
    if "Traceback" in out + err:
        breaks.append("traceback: " + err.strip().splitlines()[-1])
    if seconds > SECONDS:
        breaks.append(f"took {seconds:.0f} s")
    after = _digests(root)
    changed = sorted(k for k in before if after.get(k) != before[k])
    if argv[0] == "add" and status == 0:
        changed = [k for k in changed if k != "manifest.yaml"]
    elif sorted(after) != sorted(before):
        changed += sorted(set(after) ^ set(before))
    if changed:
        breaks.append(f"user files changed: {changed}")
    if _digests(outside) != before_outside:
        breaks.append("the added file changed")
    return breaks


@settings(max_examples=EXAMPLES, deadline=None, derandomize=not LOG,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example])
@given(case=cases())
def test_cli_keeps_its_contract_on_odd_inputs(case: dict) -> None:
    work = Path(tempfile.mkdtemp(prefix="claimalign-fuzz-"))
    try:
        breaks = contract_breaks(case, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if breaks and LOG:
        with open(LOG, "a", encoding="utf-8") as log:
            log.write(json.dumps({"command": case["command"], "breaks": breaks,
                                  "manifest": case["manifest"].decode("utf-8", "replace")[:400],
                                  "side": {k: v.decode("utf-8", "replace")[:200] for k, v in case["side"].items()},
                                  "texts": {k: v[:80].decode("utf-8", "replace") for k, v in case["texts"].items()}},
                                 ensure_ascii=False) + "\n")
        return
    assert not breaks, breaks
