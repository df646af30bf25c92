#!/usr/bin/env python3
"""Runs nltest.py (same arguments). Imported rather than run as a script,
nltest.py gets its bytecode cached: compiling it costs about a second per
run under an emulated CPU."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import nltest  # noqa: E402

sys.exit(nltest.main(sys.argv))
