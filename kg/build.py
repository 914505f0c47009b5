"""The pipeline behind `kg build`: load, derive, validate, check, export, store.

Each step is its own function so that a benchmark can time them one by one; `build` runs them
all and records the timings. Nothing is written unless every check passes.
"""

from __future__ import annotations

import importlib
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from kg.backend import OxTerm
from kg.dataset import Dataset, ascii_ntriples, load_dataset
from kg.description import describe
from kg.display import describe as describe_node
from kg.errors import EXIT_FAILURE, KgError
from kg.evidence import EvidenceProblem, check_evidence, format_evidence_problems
from kg.export import export_ntriples
from kg.files import read_text, real_path, rel_path
from kg.generations import Generation, new_generation, open_current
from kg.label_index import INDEX_NAME, LABEL_SEARCH, write_label_index
from kg.label_index import available as label_index_available
from kg.memory import release_freed_memory
from kg.namespaces import new_graph
from kg.parse_cache import PARTS, PartCache
from kg.progress import SILENT, StepObserver
from kg.project import OUTPUT_STEM, Project
from kg.reference import ReferenceProblem, check_wikidata, format_reference_problems
from kg.rules import RuleRun, apply_rules
from kg.shacl import (
    DEFAULT_ENGINE,
    ShaclResult,
    format_results,
    load_shapes,
    report_graph,
    results_of,
)
from kg.stamp import (
    STAMP_NAME,
    InputDigests,
    Stamp,
    current_stamp,
    file_digest,
    input_digests,
    output_digests,
    read_stamp_file,
    write_stamp,
)
from kg.store import STORE_NAME, store_path, write_store

GraphHook = Callable[[Path], Iterable[ox.Triple]]
"""A hook gets the repository root and returns triples to add to the data before the rules."""

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
    """The data (ontology, data files, hook graphs, later the rules' output) and the shapes (an
    rdflib graph: the SHACL engines' API)."""

    dataset: Dataset
    shapes: Graph


@dataclass(frozen=True)
class CheckRow:
    """One row of a quality check: its cells, readable, and the data files of its focus node."""

    cells: tuple[str, ...]
    files: tuple[str, ...]


@dataclass
class CheckFailure:
    """A quality-check query that returned rows (sorted by file, then cells)."""

    file: str
    variables: list[str]
    rows: list[CheckRow]


@dataclass
class Validation:
    """What the validating steps found. A graph is valid when none of them found a problem
    (SHACL warnings do not count): the one definition of valid, for kg build and kg validate."""

    evidence: list[EvidenceProblem] = field(default_factory=list)
    checks: list[CheckFailure] = field(default_factory=list)
    references: list[ReferenceProblem] = field(default_factory=list)
    shacl: list[ShaclResult] = field(default_factory=list)

    @property
    def violations(self) -> list[ShaclResult]:
        return [r for r in self.shacl if r.is_violation]

    @property
    def problem_count(self) -> int:
        return (len(self.violations) + len(self.evidence) + len(self.references)
                + sum(len(c.rows) for c in self.checks))

    @property
    def ok(self) -> bool:
        return self.problem_count == 0

    def concerning(self, files: Iterable[str]) -> Validation:
        """Only what concerns `files` (repository-relative names): results whose node one of
        them states."""
        names = set(files)
        checks = [CheckFailure(c.file, c.variables, rows) for c in self.checks
                  if (rows := [r for r in c.rows if names.intersection(r.files)])]
        return Validation(
            evidence=[p for p in self.evidence if names.intersection(p.data_files)],
            checks=checks,
            references=[p for p in self.references if names.intersection(p.files)],
            shacl=[r for r in self.shacl if names.intersection(r.files)],
        )

    def format(self) -> str:
        """SHACL results (warnings included), evidence problems, failed checks and links to
        unchecked identifiers, each under the data file concerned."""
        sections = []
        if self.shacl:
            sections.append("SHACL\n" + format_results(self.shacl))
        if self.evidence:
            sections.append("Evidence\n" + format_evidence_problems(self.evidence))
        if self.checks:
            sections.append("Checks\n" + format_checks(self.checks))
        if self.references:
            sections.append("Reference data\n" + format_reference_problems(self.references))
        return "\n\n".join(sections)


@dataclass
class BuildReport(Validation):
    rules: RuleRun = field(default_factory=RuleRun)
    timings: dict[str, float] = field(default_factory=dict)
    outputs: list[Path] = field(default_factory=list)
    triples: int = 0
    reused: Stamp | None = None  # the stamp of the build that is still current, if skipped
    store_updated: bool = False  # the store is the previous generation's, updated


def format_checks(failures: Sequence[CheckFailure]) -> str:
    lines = []
    for failure in failures:
        lines.append(f"{failure.file}: {len(failure.rows)} row(s)")
        for row in failure.rows:
            cells = "  ".join(f"{name}={value}"
                              for name, value in zip(failure.variables, row.cells, strict=True))
            lines.append(f"  {', '.join(row.files) or '(no data file)'}: {cells}")
    return "\n".join(lines)


# --- steps ------------------------------------------------------------------------------------

def load_inputs(
    project: Project, hooks: Sequence[GraphHook] | None = None,
    exclude: Iterable[Path] = (), with_data: bool = True, extra: Sequence[Path] = (),
    cache: PartCache | None = None,
) -> Inputs:
    """Load the ontology and data (minus `exclude`, plus `extra`), hook graphs, and the shapes;
    files whose N-Triples `cache` holds are not parsed again (kg.parse_cache)."""
    skip = {real_path(p) for p in exclude}
    files = project.ontology_files + (project.data_files if with_data else [])
    dataset = load_dataset([f for f in files if real_path(f) not in skip] + list(extra),
                           project.root, cache)
    for hook in resolve_hooks() if hooks is None else hooks:
        name = f"(hook {getattr(hook, '__module__', '?')}.{getattr(hook, '__qualname__', hook)})"
        dataset.add_triples(name, hook(project.root))
    shapes = new_graph()
    if project.shapes_file.is_file():
        shapes = load_shapes(project.shapes_file, project.root)
    return Inputs(dataset, shapes)


DESCRIPTION_INPUT = "(dataset description)"


def run_rules(inputs: Inputs, project: Project, sparql_endpoint: str | None = None) -> RuleRun:
    """Apply `rules/*.rq`; the derived triples join the dataset. Then the dataset describes
    itself (kg.description: its counts include the derived triples), naming `sparql_endpoint`
    as where it is served when one is given."""
    run = apply_rules(inputs.dataset, project.rule_files, project.root)
    description = describe(inputs.dataset.store, sparql_endpoint, OUTPUT_STEM)
    if description:
        inputs.dataset.add_triples(DESCRIPTION_INPUT, description)
    return run


def run_shacl(inputs: Inputs, engine: str = DEFAULT_ENGINE) -> list[ShaclResult]:
    """Validate the dataset's N-Triples. The engine holds its own copy of the data, so while it
    runs the dataset's store is released and its N-Triples wait in a temporary file (what this
    saves at the build's peak: docs/PERFORMANCE.md), and the engine's memory is given back
    before they return; the store is loaded again only to describe the nodes of results, if
    there are any."""
    if len(inputs.shapes) == 0:
        return []
    dataset = inputs.dataset
    dataset.release_store()
    release_freed_memory()
    text = ascii_ntriples(dataset.chunks())
    with dataset.spilled():
        report = report_graph(text, inputs.shapes, engine)
        del text
        release_freed_memory()  # the engine's copy, before the N-Triples come back (the export)
    return results_of(report, inputs.shapes, lambda: dataset.store, dataset.files_of)


def run_evidence(inputs: Inputs, project: Project) -> list[EvidenceProblem]:
    return check_evidence(inputs.dataset.store, project.root, inputs.dataset.files_of)


def run_checks(inputs: Inputs, project: Project) -> list[CheckFailure]:
    """Run each `queries/checks/*-violation.rq` SELECT; any row is a violation.

    A skolem IRI (a blank node of the inputs) in a row is shown by the triple that points to it.
    A row names the data files of its node (the `?focus` column, else every node of the row):
    those that state it as a subject, else those that mention it (an undeclared term, used but
    never described).
    """
    failures = []
    dataset = inputs.dataset
    for path in project.check_files:
        name = rel_path(path, project.root)
        variables, rows = dataset.select(read_text(path, project.root), name)
        if rows:
            store = dataset.store
            focus = [variables.index("focus")] if "focus" in variables else range(len(variables))
            found = [CheckRow(tuple(describe_node(store, v) if v is not None else "-" for v in row),
                              _files_of_row([row[i] for i in focus], dataset))
                     for row in rows]
            failures.append(CheckFailure(name, variables,
                                         sorted(found, key=lambda r: (r.files, r.cells))))
    return failures


def _files_of_row(nodes: Sequence[OxTerm | None], dataset: Dataset) -> tuple[str, ...]:
    """The files that state the nodes, else those that mention them; the rules' output and hook
    graphs (named in parentheses) only when no file does."""
    present = [n for n in nodes if n is not None and not isinstance(n, ox.Literal)]
    for lookup in (dataset.files_of, dataset.files_mentioning):
        found = {name for node in present for name in lookup(node)}
        files = {name for name in found if not name.startswith("(")}
        if files or found:
            return tuple(sorted(files or found))
    return ()


def run_references(inputs: Inputs, project: Project) -> list[ReferenceProblem]:
    """Links to Wikidata only through the checked list (kg.reference)."""
    return check_wikidata(inputs.dataset, project.root, inputs.dataset.files_of)


def validate_inputs(inputs: Inputs, project: Project, engine: str = DEFAULT_ENGINE,
                    timings: dict[str, float] | None = None,
                    progress: StepObserver = SILENT) -> Validation:
    """Every validating step, in the build's order (SHACL last: it releases the dataset's
    store). kg build and kg validate both call this, so that valid means one thing: a step
    that the build is to validate with belongs here. `timings` gets each step's seconds and
    `progress` is told of each (kg.progress)."""
    timings = {} if timings is None else timings
    found = Validation()
    with _timed(timings, "evidence", progress) as counts:
        found.evidence = run_evidence(inputs, project)
        counts["problem"] = len(found.evidence)
    with _timed(timings, "checks", progress) as counts:
        found.checks = run_checks(inputs, project)
        counts.update({"check": len(project.check_files),
                       "failing row": sum(len(c.rows) for c in found.checks)})
    with _timed(timings, "reference", progress) as counts:
        found.references = run_references(inputs, project)
        counts["problem"] = len(found.references)
    with _timed(timings, "shacl", progress) as counts:
        found.shacl = run_shacl(inputs, engine)
        counts.update({"result": len(found.shacl), "violation": len(found.violations)})
    return found


def write_outputs(inputs: Inputs, folder: Path) -> tuple[list[Path], int]:
    """The exports (`geokg.ttl`, `geokg.nt`... kg.export) and the dataset's description in
    `folder` (a new generation), and the triple count."""
    return export_ntriples(inputs.dataset.chunks(), folder, OUTPUT_STEM)


def write_store_dir(folder: Path, label_search: str = "", previous: Path | None = None) -> Path:
    """`folder/store`: `folder/geokg.nt` loaded into an on-disk store (kg.store), or the store
    of the generation `previous` updated with what differs between the two geokg.nt; and
    beside it the label index (kg.label_index) for the label-search query text
    `label_search`, when this Python's SQLite can hold one."""
    nt_name = f"{OUTPUT_STEM}.nt"
    store_dir = write_store(folder / nt_name, folder / STORE_NAME,
                            None if previous is None
                            else (previous / STORE_NAME, previous / nt_name))
    if not label_index_available():
        return store_dir
    try:
        write_label_index(ox.Store.read_only(str(store_dir)), folder / INDEX_NAME, label_search)
    except (OSError, RuntimeError, sqlite3.Error) as exc:
        raise KgError(f"cannot write {INDEX_NAME}: {exc}", EXIT_FAILURE) from None
    return store_dir


def label_search_text(project: Project) -> str:
    """The text of queries/label-search.rq, which the label index answers ("" when absent)."""
    path = project.root / "queries" / f"{LABEL_SEARCH}.rq"
    return read_text(path, project.root) if path.is_file() else ""


def reusable_generation(project: Project, inputs: InputDigests) -> Generation | None:
    """The current generation, held open, when this build may start from its outputs: its
    stamp was made from the same ontology, shapes, rules, queries, code, libraries, engine and
    endpoint (`InputDigests.code_digest`; only data/ differs), and its geokg.nt and store are
    there, the N-Triples the very file its stamp names. Else None: the build does everything."""
    generation = open_current(project.build_dir)
    if generation is None:
        return None
    stamp = read_stamp_file(generation.path / STAMP_NAME)
    nt_name = f"{OUTPUT_STEM}.nt"
    nt_file = generation.path / nt_name
    if (stamp is None or stamp.code != inputs.code_digest
            or not (generation.path / STORE_NAME).is_dir() or not nt_file.is_file()
            or stamp.outputs.get(nt_name) != file_digest(nt_file)):
        generation.close()
        return None
    return generation


@contextmanager
def _timed(timings: dict[str, float], step: str,
           progress: StepObserver = SILENT) -> Iterator[dict[str, int]]:
    """Time a step into `timings` and tell `progress`; the step may put what it counted in the
    dict it is given (see kg.progress.StepObserver)."""
    counts: dict[str, int] = {}
    start = time.perf_counter()
    progress.started(step)
    try:
        yield counts
    except BaseException:
        progress.stopped(step)
        raise
    timings[step] = time.perf_counter() - start
    progress.finished(step, timings[step], counts)


def build(project: Project, hooks: Sequence[GraphHook] | None = None,
          write: bool = True, shacl_engine: str = DEFAULT_ENGINE,
          skip_if_current: bool = False, progress: StepObserver = SILENT,
          sparql_endpoint: str | None = None) -> BuildReport:
    """Run the whole pipeline; outputs are written only if `write` and nothing failed.

    `report.timings` has seconds per step: stamp, load, rules, evidence, checks, reference,
    shacl, export, store. SHACL runs after the steps that query the store, which it releases
    (see run_shacl).
    A build with the default hooks that writes also writes the stamp (kg.stamp); with
    `skip_if_current`, a current stamp makes the build return at once with `report.reused`,
    and a current generation built from the same all-but-data/ is started from (its parsed
    files and its store: `reusable_generation`); without it everything is done anew.
    `progress` is told when each step starts and ends, with what it counted (kg.progress).
    `sparql_endpoint` is where the graph will be served, for its description (kg.description).
    """
    report = BuildReport()
    stamped = write and hooks is None
    if stamped:
        with _timed(report.timings, "stamp", progress):
            inputs_read = input_digests(project, shacl_engine, sparql_endpoint)
            report.reused = (current_stamp(project, inputs_read, store_path(project.build_dir))
                             if skip_if_current else None)
        if report.reused is not None:
            return report
    # When only data/ changed since the current generation, the build starts from it: the
    # files it parsed alike (kg.parse_cache) and its store (kg.store). It is held open, and let
    # go before the switch to the new generation may remove it.
    with ExitStack() as held:
        previous = (reusable_generation(project, inputs_read) if stamped and skip_if_current
                    else None)
        if previous is not None:
            held.callback(previous.close)
        cache = PartCache(None if previous is None else previous.path / PARTS)
        with _timed(report.timings, "load", progress) as counts:
            inputs = load_inputs(project, hooks, cache=cache)
            counts.update({"triple": inputs.dataset.triples, "input": len(inputs.dataset.parts)})
            if cache.hits:
                counts["cached input"] = cache.hits
        with _timed(report.timings, "rules", progress) as counts:
            report.rules = run_rules(inputs, project, sparql_endpoint)
            counts["derived triple"] = report.rules.total
        found = validate_inputs(inputs, project, shacl_engine, report.timings, progress)
        report.evidence, report.checks = found.evidence, found.checks
        report.references, report.shacl = found.references, found.shacl
        if report.ok and write:
            # Everything is written into a new generation, which replaces the current one only
            # once it is complete (kg.generations): a build stopped here leaves build/ as it was.
            with new_generation(project.build_dir) as folder:
                with _timed(report.timings, "export", progress) as counts:
                    written, report.triples = write_outputs(inputs, folder)
                    counts["triple"] = report.triples
                    cache.save({name: inputs.dataset.parts[name].nt for name in cache.keys},
                               folder)
                # The store is loaded from geokg.nt: free the working data first (the peak
                # would otherwise be the sum of both).
                del inputs
                release_freed_memory()
                with _timed(report.timings, "store", progress):
                    write_store_dir(folder, label_search_text(project),
                                    None if previous is None else previous.path)
                report.store_updated = previous is not None
                held.close()  # the switch may now remove the previous generation
                if stamped:
                    write_stamp(folder, Stamp(
                        inputs_read.digest, inputs_read.files, shacl_engine,
                        output_digests(written), report.triples, report.rules.total,
                        report.format(), sparql_endpoint, inputs_read.code_digest))
            report.outputs = [project.build_dir / path.name for path in written]
    return report
