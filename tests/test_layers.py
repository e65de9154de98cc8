"""The package's layers, defined once: imports only point down, and no module is long.

``LAYERS`` is the one definition of the layer order, lowest first. A module may import
modules of its own layer and of the layers below it, never of a layer above; in a layer
whose modules are ``independent``, not even each other (the checks share helpers through
the layer below them, not by borrowing from one another). Every module of src/natodata
must belong to a layer, so a new module is placed on purpose. Imports inside functions
count as much as those at the top of a module.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = "natodata"
#: The longest a module of src/ may be, in lines.
MAX_LINES = 400
#: Modules still longer, each being split on another branch: remove it once it is short.
STILL_LONG: set[str] = set()


@dataclass(frozen=True)
class Layer:
    name: str
    #: module names; ``pkg.*`` is a package and every module under it
    modules: tuple[str, ...]
    #: the layer's modules may not import each other
    independent: bool = False


LAYERS = (
    # Errors, safe reading and writing, output escaping, the finding vocabulary: no knowledge of packages.
    Layer(
        "foundation",
        (
            "natodata._version",
            "natodata.errors",
            "natodata.escape",
            "natodata.safeio",
            "natodata.runtime",
            "natodata.workers",
            "natodata.journal",
            "natodata.atomic",
            "natodata.checksums",
            "natodata.formats",
            "natodata.findingtypes",
            "natodata.findings",
        ),
    ),
    # The descriptor, its dialects and Table Schemas, and where the descriptor is.
    Layer("model", ("natodata.model.*",)),
    # Reading, casting and canonicalising the CSVs.
    Layer("tables", ("natodata.tables.*",)),
    # Where a package's published releases are, and the X.Y.Z they are named by.
    Layer("layout", ("natodata.layout",)),
    # What the checks share, and what a domain rule is.
    Layer(
        "check helpers",
        ("natodata.checks.hints", "natodata.checks.cellbytes", "natodata.checks.frames", "natodata.checks.ruletype"),
    ),
    # The checks, each on its own.
    Layer("checks", ("natodata.checks.*",), independent=True),
    # What puts checks together: pandera schemas from column checks and rules, the descriptor's checks of them,
    # the columns a check needs kept.
    Layer("check assembly", ("natodata.checks.constraints", "natodata.checks.descriptor", "natodata.checks.retain")),
    # validate: orchestration of every check, and the state of one run.
    Layer("validation", ("natodata.checks.validate", "natodata.checks.run")),
    # Choosing findings and rendering reports.
    Layer("report", ("natodata.selection", "natodata.report", "natodata.report_ci")),
    # Data releases: versions, diffs, publishing.
    Layer("release", ("natodata.release.*",)),
    # The other commands' library code.
    Layer("tools", ("natodata.tools.*",)),
    # The command line and the package's own entry points.
    Layer("interface", ("natodata.cli.*", "natodata", "natodata.__main__")),
)


def _module_name(path: Path) -> str:
    parts = path.relative_to(SRC).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in sorted((SRC / PACKAGE).rglob("*.py"))}


def _matches(module: str, pattern: str) -> int:
    """How specifically ``pattern`` names ``module`` (0: it does not)."""
    if pattern.endswith(".*"):
        base = pattern[:-2]
        return len(base) if module == base or module.startswith(base + ".") else 0
    return len(pattern) + 1 if module == pattern else 0


def layer_of(module: str) -> int | None:
    """The index in LAYERS of the layer that names ``module`` most specifically."""
    best, found = 0, None
    for i, layer in enumerate(LAYERS):
        for pattern in layer.modules:
            score = _matches(module, pattern)
            if score > best:
                best, found = score, i
    return found


def imports(module: str, path: Path, modules=MODULES) -> list[tuple[int, str]]:
    """``(line, module)`` for every natodata module ``module`` imports, anywhere in it.
    ``from pkg import name`` imports the module ``pkg.name`` if it is one of ``modules``,
    else ``pkg``."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names if a.name.split(".")[0] == PACKAGE]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            if source.split(".")[0] != PACKAGE:
                continue
            for alias in node.names:
                sub = f"{source}.{alias.name}"
                out.append((node.lineno, sub if sub in modules else source))
    return list(dict.fromkeys(out))  # `from m import a, b` imports m once


def upward_imports(modules=MODULES, src=SRC) -> list[str]:
    """Each import of ``modules`` (name: file under ``src``) that points up, or sideways in an
    independent layer, named with its importer and what it imports."""
    problems = []
    for module, path in modules.items():
        mine = layer_of(module)
        for line, target in imports(module, path, modules):
            theirs = layer_of(target)
            if mine is None or theirs is None or target == module:
                continue
            where = f"{path.relative_to(src)}:{line}: {module} ({LAYERS[mine].name})"
            if theirs > mine:
                problems.append(f"{where} imports {target} ({LAYERS[theirs].name}), a layer above it")
            elif theirs == mine and LAYERS[mine].independent and not module.startswith(target + "."):
                problems.append(f"{where} imports {target}, a module of the same layer, whose modules are independent")
    return problems


def test_every_module_has_a_layer():
    assert [m for m in MODULES if layer_of(m) is None] == [], "add the module to LAYERS in tests/test_layers.py"


def test_every_name_in_the_layers_is_a_module():
    assert [p for layer in LAYERS for p in layer.modules if not any(_matches(m, p) for m in MODULES)] == [], (
        "remove it from LAYERS in tests/test_layers.py"
    )


def test_imports_only_point_down():
    assert upward_imports() == []


def test_the_known_upward_imports_are_gone():
    """Issue 23's four, and the checks' borrowing (row_chunks, fast_isin)."""
    gone = {
        ("natodata.layout", "natodata.release.versioning"),
        ("natodata.model.descriptor", "natodata.layout"),
        ("natodata.checks.integrity", "natodata.release.checksums"),
        ("natodata.release.publish", "natodata.tools.codebook"),
        ("natodata.release.publish", "natodata.tools.docs"),
        ("natodata.checks.provenance", "natodata.checks.completeness"),
        ("natodata.checks.rules", "natodata.checks.keys"),
    }
    found = {(m, target) for m, p in MODULES.items() for _, target in imports(m, p)}
    assert found & gone == set()


def test_no_module_is_longer_than_the_limit():
    long = {
        str(p.relative_to(SRC)): n
        for p in MODULES.values()
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert sorted(long) == sorted(STILL_LONG), f"split these modules (at most {MAX_LINES} lines each): {long}"


# --- the checker itself --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("module", "layer"),
    [
        ("natodata", "interface"),
        ("natodata.cli", "interface"),
        ("natodata.cli.edge", "interface"),
        ("natodata.checks", "checks"),
        ("natodata.checks.keys", "checks"),
        ("natodata.checks.frames", "check helpers"),
        ("natodata.checks.validate", "validation"),
        ("natodata.model.location", "model"),
        ("natodata.findings", "foundation"),
        ("natodata.findingtypes", "foundation"),
        ("natodata.checks.ruletype", "check helpers"),
        ("natodata.checks.run", "validation"),
        ("natodata.release.write", "release"),
        ("natodata.layout", "layout"),
        ("natodata.tools.view.site", "tools"),
        ("natodata.nonexistent", None),
    ],
)
def test_a_module_belongs_to_the_layer_that_names_it_most_specifically(module, layer):
    found = layer_of(module)
    assert (None if found is None else LAYERS[found].name) == layer


def test_relative_imports_are_resolved_to_the_module_they_name():
    path = SRC / PACKAGE / "tools" / "docs.py"  # `from .. import errors` names natodata.errors, not natodata
    found = {target for _, target in imports("natodata.tools.docs", path)}
    assert {"natodata.errors", "natodata.findings", "natodata.release.changes"} <= found
    assert PACKAGE not in found


def _package(root: Path, files: dict[str, str]) -> dict[str, Path]:
    """Modules written under ``root``: ``{"natodata.model.x": source}`` -> ``{name: path}``."""
    out = {}
    for name, source in files.items():
        path = root.joinpath(*name.split(".")).with_suffix(".py")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source)
        out[name] = path
    return out


def test_an_upward_import_is_named_with_its_importer_and_what_it_imports(tmp_path):
    modules = _package(
        tmp_path,
        {
            "natodata.model.oops": "def f():\n    from ..release.publish import Release, publish\n",
            "natodata.model.fine": "from ..errors import NatodataError\n",
            "natodata.release.publish": "",
            "natodata.errors": "",
        },
    )
    assert upward_imports(modules, tmp_path) == [
        "natodata/model/oops.py:2: natodata.model.oops (model) imports natodata.release.publish (release), a layer above it"
    ]


def test_modules_of_an_independent_layer_may_not_borrow_from_each_other(tmp_path):
    modules = _package(
        tmp_path,
        {
            "natodata.checks.keys": "from .frames import fast_isin\n",
            "natodata.checks.rules": "from .keys import key_findings\n",
            "natodata.checks.frames": "",
        },
    )
    assert upward_imports(modules, tmp_path) == [
        "natodata/checks/rules.py:1: natodata.checks.rules (checks) imports natodata.checks.keys, a module of the same "
        "layer, whose modules are independent"
    ]
