"""``mediaaudit fix``: make NVF-conforming derivatives of files rejected on format.

One job per module: ``plan`` decides what a conversion can fix and how; ``image`` and
``video`` convert; ``metadata`` carries the rights, descriptions and captions over (and
strips location on request); ``run`` does one file in a supervised child process with a
time limit; ``provenance`` writes the fix manifest.  Originals are only ever read.
"""
