"""Manifest writers.  Each streams one file entry at a time (memory stays flat)."""
