"""The rule registry, the settings object and the README that documents both."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from claimalign import Settings, find_findings
from claimalign.cli import main
from claimalign.rules import REGISTRY, FindingType, Rule, UnknownRule
from claimalign.rules.base import Registry
from claimalign.settings import SettingsError, specs

README = Path(__file__).resolve().parents[2] / "README.md"


def test_every_type_and_setting_is_in_the_readme():
    text = README.read_text(encoding="utf-8")
    table = text[text.index("## Finding types"):text.index("### Speakers")]
    documented = re.findall(r"^\| `(\w+)` \|", table, re.MULTILINE)
    assert documented == list(REGISTRY.types)
    for name, spec in specs().items():
        assert f"| `{name}` | {spec.default} | {spec.doc} |" in text, name


def test_the_registry_refuses_what_it_cannot_run():
    registry = Registry()
    kind = FindingType("odd", "Odd", "Odd", "odd")
    registry.register(Rule("one", lambda ctx, params: [], (kind,), needs=("quote",)))
    with pytest.raises(ValueError, match="already registered"):
        registry.register(Rule("one", lambda ctx, params: [], (), needs=()))
    with pytest.raises(ValueError, match="declared by rule 'one'"):
        registry.register(Rule("two", lambda ctx, params: [], (kind,)))
    with pytest.raises(ValueError, match="nothing extracts"):
        registry.register(Rule("three", lambda ctx, params: [], (), needs=("rumour",)))
    with pytest.raises(UnknownRule, match="no rule named 'nope' \\(rules: one\\)"):
        registry.get("nope")


def test_settings_are_checked_and_reach_the_rules(make_corpus):
    corpus = make_corpus({
        "release": "\"Our members have kept this port running through every crisis and they deserve a fair "
                   "deal,\" said Ana Ruiz.",
        "paper": "\"Our members have kept this port running through every storm and they deserve a fair "
                 "deal,\" Ruiz said.",
    })
    assert [f.severity for f in find_findings(corpus) if f.type == "misquote"] == ["high"]
    settings = Settings().with_assignments(["quotes.severity_primary=medium"])
    assert [f.severity for f in find_findings(corpus, settings=settings) if f.type == "misquote"] == ["medium"]
    strict = Settings({"quotes.misquote_min": 99})
    assert [f.type for f in find_findings(corpus, settings=strict) if f.type == "misquote"] == []
    with pytest.raises(SettingsError, match="unknown setting 'quotes.nope'"):
        Settings({"quotes.nope": 1})
    with pytest.raises(SettingsError, match="must be float"):
        Settings().with_assignments(["quotes.misquote_min=high"])
    with pytest.raises(SettingsError, match="must be one of high, medium, low"):
        Settings({"quotes.severity_primary": "urgent"})


def test_the_command_line_takes_settings_and_a_settings_file(make_corpus, tmp_path, capsys):
    corpus = make_corpus({
        "release": "\"Our members have kept this port running through every crisis and they deserve a fair "
                   "deal,\" said Ana Ruiz.",
        "paper": "\"Our members have kept this port running through every storm and they deserve a fair "
                 "deal,\" Ruiz said.",
    })
    settings_file = tmp_path / "strict.yaml"
    settings_file.write_text("settings:\n  quotes:\n    severity_primary: low\n", encoding="utf-8")
    assert main(["findings", str(corpus.root), "--settings", str(settings_file), "--format", "csv"]) == 0
    assert ",misquote,low," in capsys.readouterr().out
    assert main(["findings", str(corpus.root), "--set", "quotes.misquote_min=abc"]) == 2
    assert "quotes.misquote_min must be float" in capsys.readouterr().err
    (corpus.root / "claimalign.yaml").write_text("settings:\n  quotes.severity_primary: medium\n", encoding="utf-8")
    assert main(["findings", str(corpus.root), "--format", "csv"]) == 0
    assert ",misquote,medium," in capsys.readouterr().out
