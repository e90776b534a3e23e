"""What every command of the kit does the same way (python3 -m host, ibert-kit embed,
host.replay, host.selftest): option types, and running a command so that a user's mistake is one
line on stderr with exit status 2 (--debug shows the traceback), a warning is one line, and Ctrl-C
is exit status 130."""

from __future__ import annotations

import argparse
import sys
import warnings


def positive_int(text: str) -> int:
    """argparse type: an integer of at least 1."""
    try:
        v = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}") from None
    if v < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {v}")
    return v


def run_command(run, a: argparse.Namespace) -> int:
    """``run(a)``'s exit status; its errors (ValueError, TypeError, OSError, RuntimeError, which
    include TimeoutError) as one line and status 2, unless ``a.debug``."""
    with warnings.catch_warnings():  # warnings are messages to the user: one line each, on stderr
        warnings.simplefilter("always")
        warnings.showwarning = lambda msg, *rest: print(f"warning: {msg}", file=sys.stderr)
        try:
            return run(a)
        except (ValueError, TypeError, OSError, RuntimeError) as e:
            if getattr(a, "debug", False):
                raise
            print(f"error: {e}", file=sys.stderr)
            return 2
        except KeyboardInterrupt:
            return 130
