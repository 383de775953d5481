"""The Creative Commons normaliser against all 57 vectors of
reference/rights-metadata.md §6.3, verbatim."""

from __future__ import annotations

import pytest

from mediaaudit.licence import licence_refs, normalise, normalise_all

VECTORS = [
    ("https://creativecommons.org/licenses/by/4.0/", "CC-BY-4.0"),
    ("http://creativecommons.org/licenses/by/4.0", "CC-BY-4.0"),
    ("HTTPS://CREATIVECOMMONS.ORG/LICENSES/BY-ND/4.0/", "CC-BY-ND-4.0"),
    ("https://creativecommons.org/licenses/by-sa/4.0/deed.nl", "CC-BY-SA-4.0"),
    ("https://creativecommons.org/licenses/by-nc-nd/4.0/legalcode.nl", "CC-BY-NC-ND-4.0"),
    ("//www.creativecommons.org/licenses/by-nc/4.0/?ref=chooser-v1", "CC-BY-NC-4.0"),
    ("creativecommons.org/licenses/by-nc-sa/4.0", "CC-BY-NC-SA-4.0"),
    ("http://creativecommons.org/licenses/by/3.0/nl/", "CC-BY-3.0-NL"),
    ("http://creativecommons.org/licenses/by-sa/3.0/nl/deed.nl", "CC-BY-SA-3.0-NL"),
    ("http://creativecommons.org/licenses/by-nc-sa/2.5/nl/legalcode", "CC-BY-NC-SA-2.5-NL"),
    ("http://creativecommons.org/licenses/by/3.0/deed.nl", "CC-BY-3.0"),
    ("https://creativecommons.org/licenses/by/3.0/igo/", "CC-BY-3.0-IGO"),
    ("https://creativecommons.org/licenses/by-nc-nd/2.0/uk/", "CC-BY-NC-ND-2.0-UK"),
    ("http://creativecommons.org/licenses/by-nd-nc/1.0/", "CC-BY-NC-ND-1.0"),
    ("http://creativecommons.org/licenses/by-sa/2.1/jp/", "CC-BY-SA-2.1-JP"),
    ("https://creativecommons.org/publicdomain/zero/1.0/", "CC0-1.0"),
    ("https://creativecommons.org/publicdomain/zero/1.0/deed.nl", "CC0-1.0"),
    ("http://creativecommons.org/publicdomain/mark/1.0/", "CC-PDM-1.0"),
    ("https://creativecommons.org/licenses/sampling+/1.0/", None),
    ("https://creativecommons.org/licenses/nc-sa/1.0/", None),
    ("https://creativecommons.org/licenses/by/5.0/", None),
    ("https://creativecommons.org/licenses/by/4.0/nl/", None),
    ("CC-BY-4.0", "CC-BY-4.0"),
    ("CC-BY-SA-3.0-NL", "CC-BY-SA-3.0-NL"),
    ("CC0-1.0", "CC0-1.0"),
    ("CC-PDM-1.0", "CC-PDM-1.0"),
    ("CC-BY-SA-4.0+", "CC-BY-SA-4.0"),
    ("CC BY 4.0", "CC-BY-4.0"),
    ("cc by-nc-sa 4.0", "CC-BY-NC-SA-4.0"),
    ("CC BY-SA 3.0 NL", "CC-BY-SA-3.0-NL"),
    ("CC-BY-NC-ND 2.0 UK", "CC-BY-NC-ND-2.0-UK"),
    ("CC BY SA NC 4.0", "CC-BY-NC-SA-4.0"),
    ("cc_by_sa_3.0", "CC-BY-SA-3.0"),
    ("CC BY-NC 2.5 nl", "CC-BY-NC-2.5-NL"),
    ("CC BY 4.0 NL", "CC-BY-4.0"),
    ("Foto: J. Jansen (CC BY 4.0)", "CC-BY-4.0"),
    ("© 2024 Gemeente X, CC BY-SA 4.0 International", "CC-BY-SA-4.0"),
    ("CC BY", "CC-BY"),
    ("CC BY-SA", "CC-BY-SA"),
    ("CC BY 4.0 en CC BY-SA 4.0", "CC-BY-4.0"),
    ("CC0", "CC0-1.0"),
    ("CC-0 / Publiek Domein Verklaring", "CC0-1.0"),
    ("Public Domain Mark 1.0", "CC-PDM-1.0"),
    ("Creative Commons Attribution-ShareAlike 4.0 International", "CC-BY-SA-4.0"),
    ("Creative Commons Attribution-NoDerivs 3.0 Unported", "CC-BY-ND-3.0"),
    ("Creative Commons Naamsvermelding 4.0 Internationaal", "CC-BY-4.0"),
    ("Naamsvermelding-NietCommercieel-GelijkDelen 4.0 Internationaal", "CC-BY-NC-SA-4.0"),
    ("Creative Commons Naamsvermelding 3.0 Nederland", "CC-BY-3.0-NL"),
    ("Creative Commons Attribution 4.0 International (Netherlands)", "CC-BY-4.0"),
    ("CC BY-ND-SA 4.0", None),
    ("Creative Commons", None),
    ("All rights reserved", None),
    ("Alle rechten voorbehouden", None),
    ("(c) 2024 ACME Corp", None),
    ("Accident 4.0 ccby", None),
    ("CC Bynder 4.0", None),
    ("", None),
]


def test_there_are_57_vectors() -> None:
    assert len(VECTORS) == 57


@pytest.mark.parametrize(("text", "expected"), VECTORS)
def test_vector(text: str, expected: str | None) -> None:
    got = normalise(text)
    assert (got.id if got else None) == expected


def test_normalise_all_finds_every_licence() -> None:
    assert [x.id for x in normalise_all("CC BY 4.0 en CC BY-SA 4.0")] == ["CC-BY-4.0",
                                                                         "CC-BY-SA-4.0"]
    assert [x.id for x in normalise_all("CC-BY-4.0 OR CC-BY-SA-4.0")] == ["CC-BY-4.0",
                                                                         "CC-BY-SA-4.0"]


def test_properties_urls_and_labels() -> None:
    nc = normalise("https://creativecommons.org/licenses/by-nc/4.0/deed.nl")
    assert nc and nc.non_commercial and not nc.no_derivatives and nc.needs_attribution
    assert nc.url == "https://creativecommons.org/licenses/by-nc/4.0/"
    assert nc.label == "CC BY-NC 4.0"
    old = normalise("http://creativecommons.org/licenses/by-nd-nc/1.0/")
    assert old and old.url.endswith("/by-nd-nc/1.0/")
    nl = normalise("CC BY-SA 3.0 NL")
    assert nl and nl.url.endswith("/by-sa/3.0/nl/") and not nl.spdx
    assert normalise("CC BY 3.0 NL").spdx  # type: ignore[union-attr]
    bare = normalise("CC BY")
    assert bare and bare.version is None
    zero = normalise("CC0")
    assert zero and not zero.needs_attribution and zero.label == "CC0 1.0"


def test_licence_refs() -> None:
    assert licence_refs("LicenseRef-ANP-2026 OR CC-BY-4.0") == ["LicenseRef-ANP-2026"]
