"""`kg completion SHELL`: the script that makes a shell complete kg's command lines."""

from __future__ import annotations

import argparse
import sys

from kg.commands import add_command
from kg.settings import SHELLS


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_command(subparsers, "completion", "print the shell completion script",
                         "Print the script that makes SHELL complete kg's commands, options, "
                         "query names and the parameters of the query on the line (NAME= and "
                         "the documented values). Load it at each start of the shell: in "
                         "~/.bashrc, eval \"$(kg completion bash)\"; in ~/.zshrc, after "
                         "compinit, eval \"$(kg completion zsh)\"; in "
                         "~/.config/fish/config.fish, kg completion fish | source.")
    parser.add_argument("shell", choices=SHELLS, metavar="SHELL",
                        help=f"the shell: {', '.join(SHELLS)}")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from kg.completion import shell_script

    sys.stdout.write(shell_script(args.shell))
    return 0
