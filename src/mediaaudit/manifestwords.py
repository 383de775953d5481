"""Why a stored manifest cannot be used, in Dutch and English (pure).

``report``, ``verify`` and ``archive`` each read manifests someone else may have written;
the user should meet the same words whichever command it was, so each command's text
table takes these rows (``cli.common.TEXT``, ``archive.texts.TEXT``), and its key type
takes ``ManifestKey``.
"""

from __future__ import annotations

from typing import Literal

ManifestKey = Literal[
    "manifest_unreadable", "manifest_not_regular", "manifest_not_json",
    "manifest_not_ours", "manifest_schema"]

MANIFEST_PROBLEMS: dict[ManifestKey, dict[str, str]] = {
    "manifest_unreadable": {"nl": "kan het manifest {path} niet lezen: {why}",
                            "en": "cannot read manifest {path}: {why}"},
    "manifest_not_regular": {"nl": "kan het manifest niet lezen: {path} is geen gewoon "
                                   "bestand ({kind})",
                             "en": "cannot read manifest: {path} is not a regular file "
                                   "({kind})"},
    "manifest_not_json": {"nl": "{path} is geen JSON-manifest: {why}",
                          "en": "{path} is not a JSON manifest: {why}"},
    "manifest_not_ours": {"nl": "{path} is geen manifest van mediaaudit (geen "
                                "'schema_version' of 'files')",
                          "en": "{path} is not a mediaaudit manifest (no schema_version/files)"},
    "manifest_schema": {"nl": "{path} heeft manifestschema {version}; deze mediaaudit leest "
                              "1.x",
                        "en": "{path} has manifest schema {version}; this mediaaudit reads "
                              "1.x"},
}
