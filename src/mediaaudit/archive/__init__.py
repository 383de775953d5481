"""``mediaaudit archive``: hand the approved media to the archive as a BagIt bag with MDTO
metadata (Nationaal Archief).

One job per module: ``stream`` reads the manifest one entry at a time, ``plan`` decides
what goes in and refuses unsafe manifest entries, ``safe`` makes names and text safe for
XML, bagit, the file system and the terminal, ``records`` decides what the MDTO records
say, ``mdto`` writes and validates the XML, ``report`` writes the package's own report,
``bag`` writes the bag, ``check`` verifies a bag.
"""
