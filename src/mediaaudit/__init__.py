"""mediaaudit: audit images and video against the Norm Voorkeursformaten and rights rules.

The package is split so that evaluation stays pure: ``probe`` reads files and returns
``Facts``; ``evaluate`` turns facts + profile + policy into a ``FileResult``; writers
render results.  Only ``cli`` prints or exits.
"""

__version__ = "0.1.0"
