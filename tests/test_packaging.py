"""The package installs the same way with pip and conda, is tracked by git, and the README is the map."""
from __future__ import annotations

import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(.*?)\s*$")


def parse(requirement: str) -> tuple[str, str]:
    """(normalised name, specifier without spaces): 'ruamel.yaml >= 0.18' -> ('ruamel-yaml', '>=0.18')."""
    match = REQUIREMENT.match(requirement)
    assert match, f"cannot read requirement {requirement!r}"
    name, spec = match.groups()
    return re.sub(r"[-_.]+", "-", name).lower(), re.sub(r"\s+", "", spec)


def test_parse_requirement() -> None:
    assert parse("ruamel.yaml >= 0.18") == ("ruamel-yaml", ">=0.18")
    assert parse("vl_convert_python>=1.6") == ("vl-convert-python", ">=1.6")


def pyproject_dependencies() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    reqs = list(project["dependencies"]) + list(project.get("optional-dependencies", {}).get("test", []))
    parsed = [parse(r) for r in reqs]
    names = [n for n, _ in parsed]
    assert len(names) == len(set(names)), f"listed twice in pyproject.toml: {names}"
    return dict(parsed)


def conda_environment() -> dict:
    return yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))


def conda_dependencies() -> dict[str, str]:
    parsed = []
    for dep in conda_environment()["dependencies"]:
        if isinstance(dep, dict):  # the `pip:` sub-list
            assert set(dep) == {"pip"}, dep
            continue
        name, spec = parse(str(dep))
        if name in {"python", "pip"}:
            continue
        parsed.append((name, spec))
    names = [n for n, _ in parsed]
    assert len(names) == len(set(names)), f"listed twice in environment.yml: {names}"
    return dict(parsed)


def test_environment_and_pyproject_list_the_same_dependencies() -> None:
    pip, conda = pyproject_dependencies(), conda_dependencies()
    assert pip, "pyproject.toml lists no dependencies"
    only_pip = {n: pip[n] for n in pip.keys() - conda.keys()}
    only_conda = {n: conda[n] for n in conda.keys() - pip.keys()}
    assert only_pip == {} and only_conda == {}, (only_pip, only_conda)
    differ = {n: (pip[n], conda[n]) for n in pip if pip[n] != conda[n]}
    assert differ == {}, "version specifiers differ (pyproject, environment.yml)"


def test_environment_installs_the_package_editable_with_pip() -> None:
    env = conda_environment()
    pip_lists = [d["pip"] for d in env["dependencies"] if isinstance(d, dict)]
    assert len(pip_lists) == 1
    assert [re.sub(r"\s+", " ", str(x)).strip() for x in pip_lists[0]] == ["-e ."]
    pythons = [str(d) for d in env["dependencies"] if isinstance(d, str) and parse(d)[0] == "python"]
    assert len(pythons) == 1
    requires = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["requires-python"]
    minimum = re.search(r">=\s*(\d+\.\d+)", requires)
    version = re.search(r"(\d+\.\d+)", pythons[0])
    assert minimum and version
    assert tuple(map(int, version.group(1).split("."))) >= tuple(map(int, minimum.group(1).split(".")))


def git(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True, timeout=30)


@pytest.fixture(scope="module")
def repo() -> Path:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    if git("rev-parse", "--verify", "--quiet", "HEAD").returncode != 0:
        pytest.skip("not a git repository with commits")
    return ROOT


def test_git_tracks_the_package(repo: Path) -> None:
    listed = git("ls-files", "lib").stdout.split()
    assert "lib/claimalign/__init__.py" in listed, (
        "git ls-files lib does not list the package: is lib/ ignored (.gitignore) or not yet added?")


def test_gitignore_does_not_ignore_the_package(repo: Path) -> None:
    for path in ("lib/claimalign/__init__.py", "lib/claimalign/a_new_module.py", "data/corpus/x/manifest.yaml"):
        ignored = git("check-ignore", "--no-index", "-q", path)
        assert ignored.returncode == 1, f"{path} is ignored by .gitignore"


def test_readme_names_the_front_door_targets() -> None:
    readme = ROOT / "README.md"
    if not readme.is_file():
        pytest.skip("README.md does not exist yet")
    text = readme.read_text(encoding="utf-8")
    assert "make report" in text
    assert "make test" in text


def test_makefile_has_the_targets_the_readme_names() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([a-z][a-z-]*):", makefile, flags=re.MULTILINE))
    assert {"report", "test", "help"} <= targets
