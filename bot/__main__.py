"""`python -m bot` is the `kenniskring` command."""

import sys

from bot.cli import main

sys.exit(main())
