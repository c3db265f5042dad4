"""``python -m dlbasics`` runs the command-line interface."""

from dlbasics.cli import main

main()
