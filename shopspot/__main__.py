"""`python -m shopspot`: the `shopspot` command."""

from shopspot.cli import main

main()
