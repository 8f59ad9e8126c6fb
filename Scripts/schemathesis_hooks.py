"""Loaded by schemathesis (`hooks` in Scripts/schemathesis.toml) before it runs.

CPython 3.11's `ast` module can raise SystemError ("AST constructor recursion depth mismatch")
when Hypothesis parses a filter lambda's source to describe it, deep in schemathesis's coverage
phase; schemathesis then reports a "Runtime Error" for the operation and exits non-zero although
the server answered nothing wrong. The description is only for Hypothesis's reports, so a generic
one is used when the parse fails.
"""

import hypothesis.internal.lambda_sources as lambda_sources

_describe = lambda_sources._lambda_description


def _lambda_description(f, *args, **kwargs):
    try:
        return _describe(f, *args, **kwargs)
    except SystemError:
        return "lambda: <unknown>"


lambda_sources._lambda_description = _lambda_description
