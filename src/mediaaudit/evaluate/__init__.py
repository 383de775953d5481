"""Pure evaluation: Facts + Profile + Policy → FileResult.  No I/O in this package."""

from mediaaudit.evaluate.file import evaluate

__all__ = ["evaluate"]
