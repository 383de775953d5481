"""``mediaaudit archive``: hand the approved media to the archive as a BagIt bag with MDTO
metadata (Nationaal Archief).

One job per module: ``plan`` decides what goes in and refuses unsafe manifest entries,
``records`` decides what the MDTO records say, ``mdto`` writes and validates the XML,
``report`` writes the package's own report, ``bag`` writes the bag, ``check`` verifies a bag.
"""
