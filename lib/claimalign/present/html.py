"""Every piece of HTML claimalign writes comes from a Jinja2 template in `templates/`, autoescaped.

Text passed to a template is escaped unless it is `Markup` made by another template, so document
text (untrusted) can only reach a page as text. JSON for scripts goes through `script_json`, which
leaves no `<`, `>` or `&` that could end a <script> element.
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

__all__ = ["TEMPLATES", "Markup", "escape", "environment", "render", "fragment", "asset", "script_json"]

TEMPLATES = Path(__file__).with_name("templates")
FRAGMENTS = "ca_fragments.html.j2"
_JS_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def script_json(data: Any) -> Markup:
    """JSON safe inside an HTML <script>: no `<`, `>` or `&` survives to end the element."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, default=str)
    return Markup("".join(_JS_ESCAPES.get(ch, ch) for ch in text))


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The autoescaping environment over the package's templates folder."""
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True, trim_blocks=True,
                      lstrip_blocks=True, undefined=StrictUndefined, keep_trailing_newline=False)
    env.filters["script_json"] = script_json
    env.globals["asset"] = asset
    return env


def render(name: str, **context: Any) -> Markup:
    """A template rendered with `context`, as markup ready to place in another template."""
    return Markup(environment().get_template(name).render(**context))


@lru_cache(maxsize=None)
def fragment(name: str) -> Callable[..., Markup]:
    """A macro of the fragments template (`snippet`, `evidence`, `diff`, …), callable from Python."""
    return getattr(environment().get_template(FRAGMENTS).module, name)


@lru_cache(maxsize=None)
def asset(name: str) -> Markup:
    """A stylesheet or script from the templates folder, to inline (our own files: trusted)."""
    return Markup((TEMPLATES / name).read_text(encoding="utf-8"))
