"""`python -m cli`: the `shopspot` command."""

from cli.main import main

main()
