"""A kg:textFile is read only when it leads to a regular file in data/sources/: a contributor's
Turtle cannot make `kg validate`, `kg build`, `kg locate` or `kg anchor` read (and print) any
other file. Random paths (Hypothesis) prove that no file outside data/sources/ is ever opened."""

from __future__ import annotations

import os
import shutil
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kg.cli import main
from kg.dataset import load_dataset
from kg.display import escape_string
from kg.evidence import check_evidence
from kg.sources import RefusedSource, read_source, source_path

REPO = Path(__file__).parent / "fixtures" / "core" / "repo"
SECRET = "top-secret-line: root:x:0:0:root\n"
HEADER = """@prefix kg: <https://w3id.org/geokg/ontology#> .
@prefix kgr: <https://w3id.org/geokg/id/> .
@prefix oa: <http://www.w3.org/ns/oa#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""


def contribution(text_file: str, end: int = len(SECRET)) -> str:
    """A source document naming `text_file`, and evidence quoting its first `end` characters."""
    return HEADER + f"""
kgr:doc-hostile a kg:SourceDocument ; kg:textFile "{escape_string(text_file)}" .
kgr:evidence-hostile a kg:Evidence ; oa:hasSource kgr:doc-hostile ;
    oa:hasSelector [ a oa:TextQuoteSelector ; oa:exact "x" ] ,
                   [ a oa:TextPositionSelector ; oa:start 0 ; oa:end {end} ] .
"""


def make_sandbox(base: Path) -> Path:
    """The fixture repository in `base/repo`, a secret file beside it, and in data/sources/ the
    things a path must not reach through: links out, a link loop, a FIFO, a directory."""
    repo = base / "repo"
    shutil.copytree(REPO, repo)
    (base / "secret.txt").write_text(SECRET, encoding="utf-8")
    sources = repo / "data" / "sources"
    (sources / "link-out.txt").symlink_to(base / "secret.txt")
    (sources / "link-up.txt").symlink_to("../../../secret.txt")
    (sources / "dir-out").symlink_to(base)
    (sources / "link-dev.txt").symlink_to("/dev/zero")
    (sources / "loop.txt").symlink_to("loop.txt")
    (sources / "link-in.txt").symlink_to("statement.txt")
    (sources / "sub").mkdir()
    os.mkfifo(sources / "fifo.txt")
    return repo


@pytest.fixture
def sandbox(tmp_path: Path) -> Path:
    return make_sandbox(tmp_path)


def validate(repo: Path, capsys: pytest.CaptureFixture[str], text: str) -> tuple[int, str]:
    (repo / "contrib.ttl").write_text(text, encoding="utf-8")
    code = main(["--root", str(repo), "validate", str(repo / "contrib.ttl")])
    out, err = capsys.readouterr()
    return code, out + err


@pytest.mark.parametrize(("text_file", "reason"), [
    ("/etc/passwd", "an absolute path"),
    ("../../../../etc/passwd", 'it contains ".."'),
    ("data/sources/../../../secret.txt", 'it contains ".."'),
    ("secret.txt", "not under data/sources/"),
    ("data/sources/link-out.txt", "a symbolic link that leads out of data/sources/"),
    ("data/sources/link-up.txt", "a symbolic link that leads out of data/sources/"),
    ("data/sources/dir-out/secret.txt", "a symbolic link that leads out of data/sources/"),
    ("data/sources/link-dev.txt", "a symbolic link that leads out of data/sources/"),
    ("data/sources/loop.txt", "a loop of symbolic links"),
    ("data/sources/fifo.txt", "a FIFO"),
    ("data/sources/sub", "a directory"),
])
@pytest.mark.slow  # kg validate of the whole repository, once per kind of path
def test_validate_refuses_before_reading(sandbox: Path, capsys: pytest.CaptureFixture[str],
                                         text_file: str, reason: str) -> None:
    if text_file.startswith("/etc/"):
        text_file = str(sandbox.parent / "secret.txt") if text_file == "/etc/passwd" else text_file
    code, output = validate(sandbox, capsys, contribution(text_file))
    assert code == 1
    assert "top-secret" not in output and "root:x" not in output
    assert "Traceback" not in output
    # the message names the data file and the node
    assert "contrib.ttl\n  kgr:doc-hostile: " in output
    assert f'kg:textFile "{text_file}" refused: {reason}' in output


def test_a_large_offset_does_not_reveal_the_length(sandbox: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    code, output = validate(sandbox, capsys, contribution("data/sources/link-out.txt", 10**6))
    assert code == 1 and "length" not in output and str(len(SECRET)) not in output


def test_the_build_refuses_too(sandbox: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (sandbox / "data" / "contrib.ttl").write_text(contribution("../../secret.txt"),
                                                  encoding="utf-8")
    code = main(["--root", str(sandbox), "build"])
    out, err = capsys.readouterr()
    assert code == 1 and "top-secret" not in out + err
    assert 'data/contrib.ttl\n  kgr:doc-hostile: kg:textFile "../../secret.txt" refused' in out
    assert not (sandbox / "build").exists()


def test_locate_refuses_a_document_whose_text_file_leads_out(
        sandbox: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (sandbox / "data" / "contrib.ttl").write_text(contribution("data/sources/link-out.txt"),
                                                  encoding="utf-8")
    code = main(["--root", str(sandbox), "locate", "kgr:doc-hostile", "root"])
    out, err = capsys.readouterr()
    assert (code, out) == (2, "")
    assert err == ('kg: error: data/contrib.ttl: kgr:doc-hostile: kg:textFile '
                   '"data/sources/link-out.txt" refused: a symbolic link that leads out of '
                   "data/sources/; a stored text is a file under data/sources/, named relative "
                   "to the repository root\n")


def test_anchor_refuses_a_text_file_outside_the_sources(
        sandbox: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = sandbox / "data" / "contrib.ttl"
    text = HEADER + """
kgr:doc-hostile a kg:SourceDocument ; kg:textFile "/etc/passwd" .
kgr:evidence-hostile a kg:Evidence ; oa:hasSource kgr:doc-hostile ;
    oa:hasSelector [ a oa:TextQuoteSelector ; oa:exact "root" ] .
"""
    path.write_text(text, encoding="utf-8")
    code = main(["--root", str(sandbox), "anchor", str(path)])
    out, err = capsys.readouterr()
    assert (code, out) == (2, "")
    assert err.startswith('kg: error: data/contrib.ttl:8: kgr:doc-hostile: kg:textFile '
                          '"/etc/passwd" refused: an absolute path')
    assert path.read_text(encoding="utf-8") == text


def test_a_link_inside_the_sources_is_followed(sandbox: Path) -> None:
    stored = (sandbox / "data" / "sources" / "statement.txt").read_text(encoding="utf-8")
    assert read_source(sandbox, "data/sources/link-in.txt") == stored
    assert read_source(sandbox, "data/sources/./statement.txt") == stored


def test_a_device_node_is_refused(sandbox: Path) -> None:
    device = sandbox / "data" / "sources" / "null.txt"
    try:
        os.mknod(device, 0o600 | 0o020000, os.makedev(1, 3))  # a character device, as /dev/null
    except PermissionError:
        pytest.skip("creating a device node needs CAP_MKNOD")
    with pytest.raises(RefusedSource, match="a device"):
        source_path(sandbox, "data/sources/null.txt")


# --- fuzzing: random paths never open a file outside data/sources/ -------------------------------

_opened: list[str] = []
_recording = threading.Event()


def _audit(event: str, args: tuple[object, ...]) -> None:
    if event == "open" and _recording.is_set() and isinstance(args[0], str | bytes):
        _opened.append(os.fsdecode(args[0]))


sys.addaudithook(_audit)  # a hook cannot be removed: it records only inside `opened_files`


@contextmanager
def opened_files() -> Iterator[list[str]]:
    """The paths opened (builtins.open, os.open) by this process inside the block."""
    _opened.clear()
    _recording.set()
    try:
        yield _opened
    finally:
        _recording.clear()


SEGMENTS = st.sampled_from([
    "data", "sources", "statement.txt", "..", ".", "", "secret.txt", "link-out.txt",
    "link-up.txt", "link-dev.txt", "link-in.txt", "loop.txt", "fifo.txt", "sub", "dir-out",
    "etc", "passwd", "~", "%2e%2e", "..\\..", "\u2025", "\x00", "data/sources", "/",
])
PATHS = st.one_of(
    st.lists(st.one_of(SEGMENTS, st.text(max_size=4)), max_size=7).map("/".join),
    st.lists(SEGMENTS, max_size=6).map(lambda parts: "/" + "/".join(parts)),
    st.text(max_size=30),
)


@pytest.fixture(scope="module")
def fuzz_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_sandbox(tmp_path_factory.mktemp("fuzz"))


@settings(max_examples=300, derandomize=True, database=None, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text_file=PATHS)
@example(text_file="data/sources/statement.txt")
@example(text_file="data/sources//./link-in.txt")
@example(text_file="data/sources/link-out.txt")
def test_random_text_files_never_open_a_file_outside_the_sources(fuzz_repo: Path,
                                                                  text_file: str) -> None:
    data = fuzz_repo / "contrib.ttl"
    data.write_text(contribution(text_file), encoding="utf-8")
    dataset = load_dataset([data], fuzz_repo)
    allowed = (fuzz_repo / "data" / "sources").resolve()
    with opened_files() as opened:
        problems = check_evidence(dataset.store, fuzz_repo, dataset.files_of)
    for path in opened:
        real = Path(path).resolve()
        assert real.is_relative_to(allowed) and real.is_file(), (text_file, path)
    shown = "\n".join(p.message + (p.found or "") for p in problems)
    assert "top-secret" not in shown
    stored = fuzz_repo / "data" / "sources" / "statement.txt"
    if Path(text_file).name in ("statement.txt", "link-in.txt") and PurePosixPath(
            text_file).parts[:2] == ("data", "sources") and len(Path(text_file).parts) == 3:
        assert [Path(path).resolve() for path in opened] == [stored.resolve()]  # read, once
