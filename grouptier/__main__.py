"""`python -m grouptier` is the `grouptier` command."""

from grouptier.cli import main

main()
