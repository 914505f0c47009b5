"""The pipeline behind `kg build`: load, derive, validate, check, export, store.

Each step is its own function so that a benchmark can time them one by one; `build` runs them
all and records the timings. Nothing is written unless every check passes.
"""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph

from kg.errors import KgError
from kg.evidence import EvidenceProblem, check_evidence, format_evidence_problems
from kg.export import describe_node, export_graph
from kg.loader import Loaded, load_files, read_text, rel_path
from kg.namespaces import new_graph
from kg.project import OUTPUT_STEM, Project
from kg.rules import RuleRun, SparqlStore, apply_rules
from kg.shacl import DEFAULT_ENGINE, ShaclResult, format_results, validate
from kg.store import store_path, write_store

GraphHook = Callable[[Path], Graph]
"""A hook gets the repository root and returns a graph to add to the data before the rules."""

# Extra graphs for the build, as "module:function" names of GraphHook callables, imported only
# when a build runs. To contribute a graph (e.g. the query catalogue as RDF), add one name here.
GRAPH_HOOKS: tuple[str, ...] = ("kg.catalogue:catalogue_graph",)


def resolve_hooks(names: Iterable[str] = GRAPH_HOOKS) -> list[GraphHook]:
    """Import the "module:function" hooks."""
    hooks = []
    for name in names:
        module_name, _, attr = name.partition(":")
        try:
            hooks.append(getattr(importlib.import_module(module_name), attr))
        except (ImportError, AttributeError) as exc:
            raise KgError(f"build hook {name!r} cannot be loaded: {exc}") from None
    return hooks


@dataclass
class Inputs:
    """The data graph (ontology, data, hook graphs, later derived triples) and the shapes."""

    loaded: Loaded
    shapes: Graph

    @property
    def graph(self) -> Graph:
        return self.loaded.graph


@dataclass
class CheckFailure:
    """A quality-check query that returned rows (as readable cells, sorted)."""

    file: str
    variables: list[str]
    rows: list[list[str]]


@dataclass
class BuildReport:
    rules: RuleRun = field(default_factory=RuleRun)
    shacl: list[ShaclResult] = field(default_factory=list)
    evidence: list[EvidenceProblem] = field(default_factory=list)
    checks: list[CheckFailure] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    outputs: list[Path] = field(default_factory=list)
    triples: int = 0

    @property
    def violations(self) -> list[ShaclResult]:
        return [r for r in self.shacl if r.is_violation]

    @property
    def problem_count(self) -> int:
        return len(self.violations) + len(self.evidence) + sum(len(c.rows) for c in self.checks)

    @property
    def ok(self) -> bool:
        return self.problem_count == 0

    def format(self) -> str:
        """SHACL results (warnings included), evidence problems and failed checks."""
        sections = []
        if self.shacl:
            sections.append("SHACL\n" + format_results(self.shacl))
        if self.evidence:
            sections.append("Evidence\n" + format_evidence_problems(self.evidence))
        if self.checks:
            sections.append("Checks\n" + format_checks(self.checks))
        return "\n\n".join(sections)


def format_checks(failures: Sequence[CheckFailure]) -> str:
    lines = []
    for failure in failures:
        lines.append(f"{failure.file}: {len(failure.rows)} row(s)")
        for row in failure.rows:
            cells = (f"{name}={value}" for name, value in zip(failure.variables, row, strict=True))
            lines.append("  " + "  ".join(cells))
    return "\n".join(lines)


# --- steps ------------------------------------------------------------------------------------

def load_inputs(
    project: Project, hooks: Sequence[GraphHook] | None = None,
    exclude: Iterable[Path] = (), with_data: bool = True,
) -> Inputs:
    """Load the ontology and data (minus `exclude`), hook graphs, and the shapes graph."""
    skip = {p.resolve() for p in exclude}
    files = project.ontology_files + (project.data_files if with_data else [])
    loaded = load_files([f for f in files if f.resolve() not in skip], project.root)
    for hook in resolve_hooks() if hooks is None else hooks:
        name = f"(hook {getattr(hook, '__module__', '?')}.{getattr(hook, '__qualname__', hook)})"
        extra = hook(project.root)
        loaded.merge(Loaded(extra, {s: [name] for s in extra.subjects(unique=True)}))
    shapes = new_graph()
    if project.shapes_file.is_file():
        shapes = load_files([project.shapes_file], project.root).graph
    return Inputs(loaded, shapes)


def run_rules(inputs: Inputs, project: Project) -> tuple[RuleRun, SparqlStore]:
    """Apply `rules/*.rq`; returns the counts and the SPARQL store (with derived triples)."""
    store = SparqlStore(inputs.graph)
    return apply_rules(inputs.graph, project.rule_files, project.root, store), store


def run_shacl(inputs: Inputs, engine: str = DEFAULT_ENGINE) -> list[ShaclResult]:
    if len(inputs.shapes) == 0:
        return []
    return validate(inputs.graph, inputs.shapes, inputs.loaded.origins, engine)


def run_evidence(inputs: Inputs, project: Project) -> list[EvidenceProblem]:
    return check_evidence(inputs.graph, project.root, inputs.loaded.origins)


def run_checks(store: SparqlStore, project: Project, graph: Graph) -> list[CheckFailure]:
    """Run each `queries/checks/*-violation.rq` SELECT; any row is a violation.

    `graph` is the data graph, used to show a blank node by the triple that points to it.
    """
    failures = []
    for path in project.check_files:
        name = rel_path(path, project.root)
        variables, rows = store.select(read_text(path, project.root), name)
        if rows:
            cells = sorted([describe_node(graph, v) if v is not None else "-" for v in row]
                           for row in rows)
            failures.append(CheckFailure(name, variables, cells))
    return failures


def write_outputs(graph: Graph, project: Project) -> list[Path]:
    """`build/geokg.ttl` and `build/geokg.nt`, written as one atomic set."""
    return export_graph(graph, project.build_dir, OUTPUT_STEM)


def write_store_dir(project: Project) -> Path:
    """`build/store`: the exported N-Triples bulk-loaded into an on-disk store (kg.store)."""
    return write_store(project.build_dir / f"{OUTPUT_STEM}.nt", store_path(project.build_dir))


@contextmanager
def _timed(timings: dict[str, float], step: str) -> Iterator[None]:
    start = time.perf_counter()
    yield
    timings[step] = time.perf_counter() - start


def build(project: Project, hooks: Sequence[GraphHook] | None = None,
          write: bool = True, shacl_engine: str = DEFAULT_ENGINE) -> BuildReport:
    """Run the whole pipeline; outputs are written only if `write` and nothing failed.

    `report.timings` has seconds per step: load, rules, shacl, evidence, checks, export, store.
    """
    report = BuildReport()
    with _timed(report.timings, "load"):
        inputs = load_inputs(project, hooks)
    with _timed(report.timings, "rules"):
        report.rules, store = run_rules(inputs, project)
    with _timed(report.timings, "shacl"):
        report.shacl = run_shacl(inputs, shacl_engine)
    with _timed(report.timings, "evidence"):
        report.evidence = run_evidence(inputs, project)
    with _timed(report.timings, "checks"):
        report.checks = run_checks(store, project, inputs.graph)
    report.triples = len(inputs.graph)
    if report.ok and write:
        with _timed(report.timings, "export"):
            report.outputs = write_outputs(inputs.graph, project)
        with _timed(report.timings, "store"):
            write_store_dir(project)
    return report
