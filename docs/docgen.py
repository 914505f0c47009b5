"""The generated parts of the docs: `make docs` writes them, `make docs-check` fails when one is
not what it would write.

Each part sits between cog markers in a Markdown file (`<!-- [[[cog ... ]]] -->` ...
`<!-- [[[end]]] -->`) and calls a function of this module: the command-line reference from the
parsers' `--help`, the catalogue table from the query headers, example outputs from real runs of
`kg` on the repository's graph (built first when it is not current), and the performance figures
from the newest benchmark results (bench/results/). Outputs are made at a fixed terminal width,
so that they do not depend on the terminal that runs `make docs`.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shlex
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from typing import Any

from kg.catalogue import load_catalogue
from kg.cli import COMMANDS, main, make_parser
from kg.project import find_root
from kg.remote import PushReport

ROOT = find_root()
RESULTS = ROOT / "bench" / "results"
WIDTH = 100  # columns of the terminal the outputs are shown for


@contextmanager
def _columns(width: int) -> Iterator[None]:
    """argparse and `kg query` size their output by $COLUMNS."""
    before = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = str(width)
    try:
        yield
    finally:
        if before is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = before


def _fenced(text: str, language: str = "text") -> str:
    """A fenced code block; CR LF line ends (of CSV) are shown as plain ones."""
    return f"```{language}\n{text.replace(chr(13) + chr(10), chr(10)).rstrip()}\n```\n"


# --- the command line --------------------------------------------------------------------------

def cli_help(command: str | None = None) -> str:
    """What `kg --help`, or `kg COMMAND --help`, prints."""
    out = io.StringIO()
    with _columns(WIDTH), redirect_stdout(out), contextlib.suppress(SystemExit):
        make_parser().parse_args([command, "--help"] if command else ["--help"])
    return out.getvalue()


def cli_reference() -> str:
    """Every command's help, in the order of `kg --help`."""
    parts = [_fenced(cli_help())]
    for command in COMMANDS:
        parts.append(f"\n## `kg {command}`\n\n" + _fenced(cli_help(command)))
    return "".join(parts)


# --- the catalogue -----------------------------------------------------------------------------

def catalogue_table() -> str:
    """One row per query of queries/*.rq: its name, title and parameters, from its header."""
    lines = ["| query | the question | parameters |", "|---|---|---|"]
    for entry in load_catalogue(ROOT):
        params = []
        for param in entry.params:
            how = ("required" if param.required else
                   f"default {param.default}" if param.default is not None else "optional")
            params.append(f"`{param.name}` ({param.type}, {how})")
        lines.append(f"| `{entry.name}` | {entry.title} | {'; '.join(params) or 'none'} |")
    return "\n".join(lines) + "\n"


# --- real runs ---------------------------------------------------------------------------------

def _kg(argv: list[str], width: int) -> str:
    """What `kg ARGV` prints on stdout, run in this process on the repository; its progress
    lines (stderr) are left out."""
    out = io.StringIO()
    with _columns(width), redirect_stdout(out), redirect_stderr(io.StringIO()):
        code = main(["--root", str(ROOT), *argv])
    if code != 0:
        raise SystemExit(f"kg {shlex.join(argv)} exited with {code}")
    return out.getvalue()


def _current_build() -> None:
    _kg(["build"], WIDTH)


def _records(text: str, keep: tuple[int, ...]) -> str:
    """Of a table printed one field per line (`-[ N ]---` heads each record), the records
    `keep`, with `...` where others are left out, and the row count."""
    *lines, count_line = text.rstrip("\n").split("\n")
    records: list[list[str]] = []
    for line in lines:
        if line.startswith("-[ "):
            records.append([])
        records[-1].append(line)
    shown, previous = [], 0
    for number in keep:
        if number != previous + 1:
            shown.append("...")
        shown += records[number - 1]
        previous = number
    if previous != len(records):
        shown.append("...")
    return "\n".join([*shown, count_line]) + "\n"


def _paragraphs(text: str, keep: tuple[str, ...]) -> str:
    """The paragraphs of `text` that start with one of `keep`, with `...` for the others."""
    shown = [p for p in text.rstrip("\n").split("\n\n") if p.startswith(keep)]
    return "\n\n".join(shown) + "\n...\n"


def run(*commands: str, records: tuple[int, ...] = (), paragraphs: tuple[str, ...] = (),
        width: int = WIDTH, note: str = "") -> str:
    """A fenced block with each `$ COMMAND` and what it printed, abridged to some `records` or
    `paragraphs` when given; the build is made current first."""
    _current_build()
    shown = []
    for command in commands:
        argv = shlex.split(command)
        assert argv[0] == "kg", command
        text = _kg(argv[1:], width)
        if records:
            text = _records(text, records)
        if paragraphs:
            text = _paragraphs(text, paragraphs)
        shown.append(f"$ {command}{note}\n{text}")
    return _fenced("".join(shown))


def triples() -> int:
    """The number of triples in the repository's built graph."""
    _current_build()
    with open(ROOT / "build" / "geokg.nt", "rb") as lines:
        return sum(1 for _ in lines)


def push_example() -> str:
    """What `kg push --replace` prints after a push of the repository's graph to an Oxigraph
    server on localhost (the counts are this build's)."""
    count = triples()
    report = PushReport("http://localhost:7878/store", None, True, count, count,
                        "http://localhost:7878/query")
    return _fenced(report.format())


# --- pictures ----------------------------------------------------------------------------------

def picture(kind: str, alt: str, **values: str) -> str:
    """`kg plot KIND` of the repository's graph, written to docs/img/KIND.svg, and the Markdown
    that shows it, with the SVG's digest: the digest changes when the picture does, so that
    `make docs-check` finds a stale picture as it finds stale text."""
    import hashlib

    from kg.atomic import atomic_write_text
    from kg.plots import draw_picture
    from kg.project import Project
    from kg.querying import open_backend

    _current_build()
    with contextlib.closing(open_backend(Project(ROOT))) as backend:
        svg = draw_picture(ROOT, backend, kind, values, lambda iri: iri).render("svg")
    target = ROOT / "docs" / "img" / f"{kind}.svg"
    target.parent.mkdir(exist_ok=True)
    if not target.is_file() or target.read_text(encoding="utf-8") != svg:
        atomic_write_text(target, svg)
    digest = hashlib.sha256(svg.encode("utf-8")).hexdigest()[:16]
    return f"![{alt}](docs/img/{kind}.svg)\n<!-- docs/img/{kind}.svg sha256 {digest}... -->\n"


# --- performance -------------------------------------------------------------------------------

SIZES = ("10k", "100k", "1M", "5M", "10M")


def _results() -> list[tuple[str, dict[str, Any]]]:
    """The results of bench.run, oldest first (their file names start with the date; other
    benchmarks, such as bench.representations, write files of their own beside them)."""
    return [(path.name, json.loads(path.read_text(encoding="utf-8")))
            for path in sorted(RESULTS.glob("[0-9]*.json"))]


def _newest() -> tuple[str, dict[str, Any]]:
    return _results()[-1]


def _seconds(figure: dict[str, Any] | None) -> str:
    if not figure:
        return "–"
    if figure.get("timeout"):
        return f"> {figure['limit']:g} s"
    if figure.get("seconds") is None:
        return "failed"
    seconds = figure["seconds"]
    return f"{seconds:.2f} s" if seconds < 10 else f"{seconds:.1f} s"


def _mb(kb: int) -> str:
    return f"{kb / 1024:,.0f} MB"


def _naive_total(naive: dict[str, Any] | None) -> str:
    """The naive pipeline's steps added up; `> N s` when one was stopped at its limit."""
    if not naive:
        return "not run"
    total, stopped = 0.0, False
    for figure in naive.values():
        if figure.get("seconds") is None:
            stopped = True
            total += figure.get("limit") or 0
        else:
            total += figure["seconds"]
    return f"> {total:.0f} s" if stopped else f"{total:.0f} s"


def _slowest_query(queries: dict[str, Any] | None) -> str:
    figures = (queries or {}).get("queries", {})
    timed = [(f["seconds"], name) for name, f in figures.items() if f.get("seconds") is not None]
    if not timed:
        return "–"
    seconds, name = max(timed)
    return f"{seconds * 1000:.0f} ms ({name.split()[0]})"


def machine() -> str:
    """The machine and library versions of the newest results."""
    name, results = _newest()
    m = results["machine"]
    packages = ", ".join(f"{p} {v}" for p, v in sorted(m["packages"].items()))
    return (f"`bench/results/{name}`: {m['cores']} cores ({m['cpu']}), {m['memory_gb']} GiB, "
            f"Python {m['python']}, {packages}.\n")


def performance_table() -> str:
    """One row per size of the newest results: the build end to end, again with nothing
    changed and after one triple changed, pyoxigraph's load alone, the naive pipeline and the
    slowest catalogue query."""
    _name, results = _newest()
    lines = ["| size (triples built) | `kg build` wall | peak RSS | pyoxigraph alone loads in "
             "| naive pipeline | build again, unchanged | build again, one triple changed "
             "| slowest query median |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for size in SIZES:
        figures = results["sizes"].get(size)
        if figures is None:
            continue
        build = figures["build"]
        per_triple = build["rss_kb"] * 1024 / build["triples"] / 1000
        lines.append(
            f"| {size} ({build['triples']:,}) | {_seconds(build)} "
            f"| {_mb(build['rss_kb'])} ({per_triple:.2f} KB/triple) "
            f"| {_seconds(figures.get('oxigraph'))} | {_naive_total(figures.get('naive'))} "
            f"| {_seconds(figures.get('rebuild_unchanged'))} "
            f"| {_seconds(figures.get('rebuild_one_triple'))} "
            f"| {_slowest_query(figures.get('queries'))} |")
    return "\n".join(lines) + "\n"


def _against(value: float | None, target: float, unit: str = "×") -> str:
    """A measured figure and whether it meets its target (at most `target`)."""
    if value is None:
        return "–"
    shown = f"{value:.2f}" if value < 10 else f"{value:.0f}"
    return f"{shown}{unit} ({'met' if value <= target else 'not met'})"


def targets_table() -> str:
    """Where each target of the performance issue stands, per size of the newest results: the
    build against pyoxigraph's load and against the sum of its floors, peak memory per triple,
    the catalogue examples over 100 ms, and a rebuild after a one-label edit."""
    _name, results = _newest()
    sizes = [size for size in SIZES if size in results["sizes"]]
    rows: dict[str, list[str]] = {
        "`kg build` ÷ pyoxigraph loading the same files (target ≤ 5×)": [],
        "`kg build` ÷ the sum of its floors (target ≤ 1.3×)": [],
        "peak memory per triple built (target ≤ 0.6 KB)": [],
        "catalogue examples over 100 ms (target: none)": [],
        "rebuild after a one-label edit ÷ full build (target ≤ 0.2×)": [],
    }
    cells = list(rows.values())
    for size in sizes:
        figures = results["sizes"][size]
        build = figures["build"]
        load = (figures.get("oxigraph") or {}).get("seconds")
        cells[0].append(_against(build["seconds"] / load if load and build.get("seconds")
                               else None, 5))
        cells[1].append(_against((figures.get("floors") or {}).get("ratio"), 1.3))
        cells[2].append(_against(build["rss_kb"] * 1.024 / build["triples"], 0.6, " KB"))
        timed = (figures.get("queries") or {}).get("queries", {})
        slow = sorted(name.split()[0] for name, f in timed.items()
                      if f.get("seconds") is None or f["seconds"] > 0.1)
        cells[3].append(f"{len(slow)} of {len(timed)}"
                        + (f" ({', '.join(sorted(set(slow)))})" if slow else ""))
        cells[4].append(_against(figures.get("rebuild_ratio"), 0.2))
    lines = ["| target | " + " | ".join(sizes) + " |", "|---|" + "---|" * len(sizes)]
    lines += [f"| {name} | " + " | ".join(values) + " |" for name, values in rows.items()]
    return "\n".join(lines) + "\n"


def steps_table() -> str:
    """Seconds of each step of `kg build`, per size of the newest results."""
    _name, results = _newest()
    sizes = [size for size in SIZES if size in results["sizes"]]
    steps = list(results["sizes"][sizes[0]]["build"]["timings"])
    lines = ["| step | " + " | ".join(sizes) + " |", "|---|" + "---:|" * len(sizes)]
    for step in steps:
        cells = [f"{results['sizes'][size]['build']['timings'].get(step, 0):.2f} s"
                 for size in sizes]
        lines.append(f"| {step} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def queries_table() -> str:
    """The median of every catalogue example, per size of the newest results."""
    _name, results = _newest()
    sizes = [size for size in SIZES if size in results["sizes"]]
    examples = list(results["sizes"][sizes[-1]]["queries"]["queries"])
    lines = ["| example | " + " | ".join(sizes) + " |", "|---|" + "---:|" * len(sizes)]
    for example in examples:
        cells = []
        for size in sizes:
            figure = results["sizes"][size]["queries"]["queries"].get(example)
            cells.append("–" if figure is None or figure.get("seconds") is None
                         else f"{figure['seconds'] * 1000:.0f} ms")
        lines.append(f"| `{example}` | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def history_table() -> str:
    """`kg build` wall time per size in every results file, oldest first."""
    lines = ["| results | " + " | ".join(SIZES[:3]) + " |", "|---|" + "---:|" * 3]
    for name, results in _results():
        cells = [_seconds(results["sizes"].get(size, {}).get("build")) for size in SIZES[:3]]
        lines.append(f"| `{name}` | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def performance_summary() -> str:
    """One sentence for the README: the largest size of the newest results."""
    name, results = _newest()
    size = [s for s in SIZES if s in results["sizes"]][-1]
    build = results["sizes"][size]["build"]
    return (f"At {build['triples']:,} triples (`{size}`), `kg build` takes {_seconds(build)} "
            f"and {_mb(build['rss_kb'])} at its peak on {results['machine']['cores']} cores; "
            "with nothing changed it returns in "
            f"{_seconds(results['sizes'][size].get('rebuild_unchanged'))} "
            f"(`bench/results/{name}`).\n")
