"""Shell completion (kg.completion): what `kg` offers at each TAB, and bash, zsh and fish
loading `kg completion SHELL` and completing real command lines."""

from __future__ import annotations

import os
import pty
import re
import select
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kg.catalogue import load_catalogue
from kg.cli import COMMANDS

ROOT = Path(__file__).resolve().parent.parent
KG = Path(sys.executable).parent / "kg"  # the console script: what a shell runs at each TAB
needs_kg_script = pytest.mark.skipif(not KG.is_file(),
                                     reason=f"no kg console script at {KG} (pip install -e .)")


def candidates(line: str, tmp_path: Path) -> dict[str, str]:
    """What `kg` offers for `line` (the cursor at its end), each with its description, asked
    as fish asks (argcomplete's protocol, one candidate per line)."""
    answer = tmp_path / "candidates.txt"
    env = {**os.environ, "_ARGCOMPLETE": "1", "_ARGCOMPLETE_SHELL": "fish",
           "_ARGCOMPLETE_IFS": "\n", "_ARGCOMPLETE_DFS": "\t", "_ARGCOMPLETE_SUPPRESS_SPACE": "1",
           "_ARGCOMPLETE_STDOUT_FILENAME": str(answer), "COMP_LINE": line,
           "COMP_POINT": str(len(line))}
    done = subprocess.run([sys.executable, "-m", "kg.cli"], env=env, capture_output=True,
                          text=True, encoding="utf-8", timeout=60)
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
    text = answer.read_text(encoding="utf-8")
    return dict(entry.partition("\t")[::2] for entry in text.split("\n") if entry)


def test_commands_then_options_after_a_dash(tmp_path: Path) -> None:
    assert list(candidates("kg ", tmp_path)) == list(COMMANDS)
    assert candidates("kg qu", tmp_path) == {"query": "run an analyst query on the built graph",
                                             "queries": "list the analyst queries"}
    assert set(candidates("kg -", tmp_path)) == {"-h", "--help", "--version", "--root"}
    assert list(candidates("kg build --sh", tmp_path)) == ["--shacl-engine"]
    assert list(candidates("kg build --shacl-engine ", tmp_path)) == ["turbo", "pyshacl"]
    assert list(candidates("kg completion ", tmp_path)) == ["bash", "zsh", "fish"]


def test_query_names_with_their_titles(tmp_path: Path) -> None:
    titles = {entry.name: entry.title for entry in load_catalogue(ROOT)}
    assert candidates(f"kg --root {ROOT} queries ", tmp_path) == titles
    assert candidates(f"kg --root {ROOT} query timel", tmp_path) == {
        "timeline": titles["timeline"]}
    assert candidates(f"kg query --root {ROOT} t", tmp_path) == {
        name: title for name, title in titles.items() if name.startswith("t")}


def test_parameter_names_of_the_query_on_the_line_then_their_values(tmp_path: Path) -> None:
    root = f"kg --root {ROOT} query"
    assert candidates(f"{root} claims --param ", tmp_path) == {
        "node=": "a relation, event or actor [node=iri (required)]"}
    assert list(candidates(f"{root} timeline -p ", tmp_path)) == ["a=", "b="]
    assert list(candidates(f"{root} timeline -p a=kgr:russia -p ", tmp_path)) == ["b="]
    assert candidates(f"{root} treaties-between -p asOf=", tmp_path) == {
        "asOf=1990-01-01": "example", "asOf=2024-06-19": "default"}
    assert list(candidates(f"{root} treaties-between -p asOf=19", tmp_path)) == [
        "asOf=1990-01-01"]
    assert candidates(f"{root} -p ", tmp_path) == {}  # no query named yet


def test_a_boolean_parameter_offers_true_and_false(tmp_path: Path) -> None:
    queries = tmp_path / "repo" / "queries"
    queries.mkdir(parents=True)
    (queries / "demo.rq").write_text(
        "# title: Demo\n# description: A demo.\n# keywords: demo\n"
        "# param: strict  boolean  default=false  -- only strict matches\n"
        "# example: kg query demo\nSELECT ?strict WHERE { BIND (?strict AS ?x) }\n",
        encoding="utf-8")
    line = f"kg --root {tmp_path / 'repo'} query demo -p strict="
    assert candidates(line, tmp_path) == {"strict=true": "boolean", "strict=false": "default"}


def test_what_cannot_be_read_gives_no_candidates_and_no_error(tmp_path: Path) -> None:
    queries = tmp_path / "repo" / "queries"
    queries.mkdir(parents=True)
    (queries / "broken.rq").write_text("# title: Broken\n# param: x\nSELECT * {}\n",
                                       encoding="utf-8")
    line = f"kg --root {tmp_path / 'repo'} query "
    assert candidates(line, tmp_path) == {
        "broken": "(its header does not parse: kg queries NAME says why)"}
    assert candidates(f"{line}broken -p ", tmp_path) == {}
    assert candidates(f"{line}nothing -p ", tmp_path) == {}
    assert candidates(f"kg --root {tmp_path / 'none'} query ", tmp_path) == {}


def test_kg_without_a_completion_request_does_not_import_argcomplete() -> None:
    probe = ("import sys\nfrom kg.cli import main\nmain(['completion', 'bash'])\n"
             "print('argcomplete' in sys.modules, file=sys.stderr)\n"
             "sys.modules.pop('argcomplete', None)\nmain(['queries'])\n"
             "print('argcomplete' in sys.modules, file=sys.stderr)\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          encoding="utf-8", cwd=ROOT, check=True)
    assert done.stderr.split() == ["True", "False"]
    assert done.stdout.startswith("#compdef kg\n")


# --- the shells -------------------------------------------------------------------------------

def shell_env(tmp_path: Path) -> dict[str, str]:
    """The environment of a shell that finds this kg first, with a HOME of its own."""
    return {**os.environ, "PATH": f"{KG.parent}{os.pathsep}{os.environ.get('PATH', '')}",
            "HOME": str(tmp_path), "TERM": "dumb"}


BASH_COMPLETE = """
eval "$(kg completion bash)"
for line in "$@"; do
    COMP_LINE="$line"; COMP_POINT=${#line}
    read -ra COMP_WORDS <<< "$line"
    [[ "$line" == *" " ]] && COMP_WORDS+=("")
    COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
    COMPREPLY=()
    _python_argcomplete kg "${COMP_WORDS[COMP_CWORD]}"
    printf '%s|' "${COMPREPLY[@]}"; echo
done
"""


@needs_kg_script
@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_bash_completes_commands_queries_and_parameters(tmp_path: Path) -> None:
    lines = ["kg qu", "kg query timel", "kg query claims --param ",
             "kg query treaties-between -p asOf=", "kg queries alig"]
    done = subprocess.run(["bash", "-c", BASH_COMPLETE, "bash", *lines], env=shell_env(tmp_path),
                          capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert done.returncode == 0, done.stderr
    # bash replaces the current word; after "asOf=" the word is what follows "=" (a word break)
    assert done.stdout.splitlines() == ["query|queries|", "timeline |", "node=|",
                                        "1990-01-01|2024-06-19|", "alignment-members |"]


class Zsh:
    """An interactive zsh on a pseudo-terminal, with compinit and kg's completion loaded."""

    def __init__(self, tmp_path: Path) -> None:
        self.leader, follower = pty.openpty()
        self.process = subprocess.Popen(["zsh", "-f", "-i"], stdin=follower, stdout=follower,
                                        stderr=follower, env=shell_env(tmp_path),
                                        start_new_session=True)
        os.close(follower)
        self.seen = b""
        try:
            self.type(b"PS1='> '; bindkey -e; autoload -Uz compinit && compinit -u -D; "
                      b'eval "$(kg completion zsh)"; print $((6*7))-ready\r')
            self.wait_for(rb"42-ready")
        except BaseException:
            self.close()
            raise

    def type(self, keys: bytes) -> None:
        os.write(self.leader, keys)

    def wait_for(self, pattern: bytes, timeout: float = 30.0) -> re.Match[bytes]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = re.search(pattern, self.seen, re.DOTALL)
            if found:
                self.seen = self.seen[found.end():]
                return found
            ready, _, _ = select.select([self.leader], [], [], 0.1)
            if ready:
                self.seen += os.read(self.leader, 4096)
        raise AssertionError(f"zsh never printed {pattern!r}; it printed {self.seen[-500:]!r}")

    def complete(self, line: str) -> str:
        """The command line after typing `line` and TAB, for a line with one completion. Once
        zsh has drawn the completed line (its echo of `line`, then more, then a second of
        quiet), the line is cut (^U), then printed between markers by pasting it (^Y) into a
        `print` command; the markers are computed so that the echo of the typing never
        matches."""
        self.type(line.encode() + b"\t")
        self.wait_for(re.escape(line.encode()) + rb".")
        while select.select([self.leader], [], [], 1.0)[0]:
            self.seen += os.read(self.leader, 4096)
        self.seen = b""
        self.type(b'\x15print -r -- "<$((6*7))>\x19<$((6*7))>"\r')
        return self.wait_for(rb"<42>(.*?)<42>").group(1).decode()

    def close(self) -> None:
        self.type(b"exit\r")
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self.leader)


@needs_kg_script
@pytest.mark.skipif(shutil.which("zsh") is None,
                    reason="zsh is not installed (Debian package zsh; .ci/run installs it)")
def test_zsh_completes_commands_queries_and_parameters(tmp_path: Path) -> None:
    zsh = Zsh(tmp_path)
    try:
        assert zsh.complete("kg queri") == "kg queries "
        assert zsh.complete("kg query timel") == "kg query timeline "
        assert zsh.complete("kg query claims --param ") == "kg query claims --param node="
        assert zsh.complete("kg query treaties-between -p asOf=19") == (
            "kg query treaties-between -p asOf=1990-01-01 ")
    finally:
        zsh.close()


@needs_kg_script
@pytest.mark.skipif(shutil.which("fish") is None,
                    reason="fish is not installed (Debian package fish; .ci/run installs it)")
def test_fish_completes_commands_queries_and_parameters(tmp_path: Path) -> None:
    script = ("kg completion fish | source\n"
              "for line in $argv; complete -C $line; echo '=='; end\n")
    lines = ["kg qu", "kg query timel", "kg query claims --param ",
             "kg query treaties-between -p asOf="]
    done = subprocess.run(["fish", "--no-config", "-c", script, *lines],
                          env=shell_env(tmp_path), capture_output=True, text=True,
                          encoding="utf-8", timeout=120)
    assert done.returncode == 0, done.stderr
    answers = [block.strip("\n").split("\n") for block in done.stdout.split("==\n")[:-1]]
    assert answers == [
        ["queries\tlist the analyst queries", "query\trun an analyst query on the built graph"],
        ["timeline\tTimeline of a bilateral relationship"],
        ["node=\ta relation, event or actor [node=iri (required)]"],
        ["asOf=1990-01-01\texample", "asOf=2024-06-19\tdefault"]]
