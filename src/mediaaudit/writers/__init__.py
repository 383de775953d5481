"""Manifest writers: JSON (canonical), CSV, HTML and Markdown, chosen through ``table``.

JSON and CSV are streamed: a scan writes each file entry as it is audited, so memory
stays flat for very large folders.  HTML and Markdown open with the batch verdict and
list failing files first, so they are written after the scan from the whole list of
entries, line by line (HTML makes each thumbnail only for its own row).
"""
