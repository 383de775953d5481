"""``--help`` in the run's language: every command's and option's help text in Dutch
and English, and the click classes that show them.

Click writes help from the English given to its decorators, and it writes it while it
reads the options: ``scan --help --lang nl`` handles ``--help`` before ``--lang`` has
had its say.  So the language of help is decided from the words typed, before click
parses them (``--lang`` anywhere, else the locale: ``help_lang``), and the texts live
here, in one checked table, instead of in the decorators.  ``HelpCommand`` and
``HelpGroup`` look each command's text up by the command's name (``scan``), an
option's by the command's name and its long option (``scan --timeout``, else the
option alone for one every command shares: ``--lang``), and write the whole help,
click's own words (``Gebruik:``, ``Opties:``) included, in that language.  A command or
option without a row here gets no help text; the tests walk every command and fail on
it, so that is never a line of English in a Dutch help.

Pure text and formatting: no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final, Literal, get_args

import click

from mediaaudit.cli.common import default_lang, typed_lang
from mediaaudit.exitcode import HELP as EXIT_EN
from mediaaudit.texts import Texts, say

# Where the language of help is kept for the run (``ctx.meta`` is shared by a command
# and its subcommands).
_HELP_LANG: Final = "mediaaudit.help_lang"

# Click's own words in a help page.
ClickWord = Literal["usage", "options", "commands", "default", "required", "envvars"]
CLICK_WORDS: Texts[ClickWord] = Texts("cli.help.CLICK_WORDS", {
    "usage": {"nl": "Gebruik:", "en": "Usage:"},
    "options": {"nl": "Opties", "en": "Options"},
    "commands": {"nl": "Opdrachten", "en": "Commands"},
    "default": {"nl": "standaard: {default}", "en": "default: {default}"},
    "required": {"nl": "verplicht", "en": "required"},
    "envvars": {"nl": "omgevingsvariabele: {var}", "en": "env var: {var}"},
}, keys_of_type=get_args(ClickWord))

_EXIT = {
    "nl": "Afsluitcode: 0 = alle bestanden goedgekeurd; 1 = minstens één bestand afgekeurd; "
          "2 = fout in de opdracht, de configuratie, het profiel of de uitvoer, of een "
          "bestand kon niet worden gecontroleerd.",
    "en": EXIT_EN,
}

# Keys: a command's name (its help), "NAME short" (the line in the list of commands, where
# the first sentence of the help is not it), "NAME epilog" (after the options), "NAME
# --option", and "--option" for an option every command that has it shares.  Texts may
# fill {default}, {deep} and {shown}: values a command gives as ``help_values``.
TEXT: Texts[str] = Texts("cli.help.TEXT", {
    # --- mediaaudit ------------------------------------------------------------------
    "mediaaudit": {
        "nl": "Controleer foto's en video's voordat je ze plaatst: het echte formaat "
              "tegenover de Norm Voorkeursformaten (NVF), de rechteninformatie en de "
              "privacy.  Schrijft een manifest met per bestand goedgekeurd of afgekeurd."
              "\n\n" + _EXIT["nl"],
        "en": "Audit images and video before posting: real format vs. the Norm "
              "Voorkeursformaten (NVF), rights metadata, privacy.  Writes a pass/fail "
              "manifest.\n\n" + _EXIT["en"],
    },
    "mediaaudit --lang": {
        "nl": "Taal van deze hulp en van de opdracht die volgt (mediaaudit --lang nl scan … "
              "is mediaaudit scan … --lang nl; standaard: nl als de systeemtaal Nederlands "
              "is, anders en).",
        "en": "Language of this help and of the command that follows (mediaaudit --lang nl "
              "scan … is mediaaudit scan … --lang nl; default: nl if the locale is Dutch, "
              "else en).",
    },
    "--help": {"nl": "Toon deze hulp en stop.", "en": "Show this message and exit."},
    "--version": {"nl": "Toon het versienummer en stop.", "en": "Show the version and exit."},
    "--lang": {
        "nl": "Taal van de meldingen en van deze hulp (standaard: nl als de systeemtaal "
              "Nederlands is, anders en).",
        "en": "Language of messages and of this help (default: nl if the locale is Dutch, "
              "else en).",
    },
    "--profile": {
        "nl": "Formaatprofiel: de naam van een ingebouwd profiel of een TOML-profielbestand.",
        "en": "Format profile: a built-in id or a profile TOML file.",
    },
    # --- scan ------------------------------------------------------------------------
    "scan": {
        "nl": "Controleer PATHS (bestanden of mappen) en schrijf het manifest.\n\n"
              "Elk bestand krijgt één regel met de uitkomst goedgekeurd, afgekeurd of fout, "
              "de PRONOM-identificatie, de NVF-status, het oordeel over de rechten en de "
              "bevindingen die dat oordeel uitleggen.  JSON is het eigenlijke manifest; "
              "HTML, CSV en Markdown zijn weergaven ervan (maak ze later opnieuw met "
              "'mediaaudit report').",
        "en": "Audit PATHS (files or folders) and write the manifest.\n\n"
              "Every file gets one entry with outcome pass, fail or error, its PRONOM "
              "identification, its NVF status, its rights verdict and the findings that "
              "explain the verdict.  JSON is the canonical manifest; HTML, CSV and Markdown "
              "are renderings of it (re-render later with 'mediaaudit report').",
    },
    "scan epilog": _EXIT,
    "scan --output": {
        "nl": "Schrijf het manifest naar dit bestand (in één keer, nooit half); het formaat "
              "volgt uit de extensie (.json .csv .html .md .pdf). '-' of weggelaten = "
              "standaarduitvoer (stdout).",
        "en": "Write the manifest here, atomically; the format follows the suffix (.json "
              ".csv .html .md .pdf). '-' or absent = stdout.",
    },
    "scan --format": {
        "nl": "Uitvoerformaat (mag vaker; bij meerdere is -o de basisnaam). Standaard: "
              "volgens de extensie van -o, anders json.",
        "en": "Output format (repeatable; with several, -o is the base name). Default: "
              "from the -o suffix, else json.",
    },
    "scan --config": {
        "nl": "Beleidsbestand (standaard: mediaaudit.toml in de gescande map of een map "
              "erboven).",
        "en": "Policy file (default: mediaaudit.toml in the scanned folder or a parent).",
    },
    "scan --jobs": {
        "nl": "Aantal werkprocessen (standaard: het aantal processorkernen); 1 = één "
              "werkproces.",
        "en": "Worker processes (default: CPU count); 1 = one worker process.",
    },
    "scan --timeout": {
        "nl": "Tijdslimiet per bestand; een bestand dat langer duurt krijgt de fout "
              "MA-IO-005. [standaard: {default}; {deep} met --deep]",
        "en": "Time limit per file; a file that takes longer gets an MA-IO-005 error. "
              "[default: {default}; {deep} with --deep]",
    },
    "scan --deep": {
        "nl": "Decodeer ook elk frame en elke pagina van afbeeldingen en elk audio- en "
              "videopakket, en laat de referentiedecoder van elk formaat de gecodeerde "
              "gegevens beoordelen (schade die geen structuurcontrole ziet; veel trager).",
        "en": "Also decode every frame and page of images, every audio and video packet, "
              "and ask each format's reference decoder about the coded data (damage no "
              "structure check sees; much slower).",
    },
    "scan --select": {
        "nl": "Meld alleen deze bevindingscodes (mag vaker), bijvoorbeeld --select MA-FMT.",
        "en": "Report only these finding codes (repeatable), e.g. --select MA-FMT.",
    },
    "scan --ignore": {
        "nl": "Laat deze bevindingscodes weg (mag vaker), bijvoorbeeld --ignore MA-PRV.",
        "en": "Drop these finding codes (repeatable), e.g. --ignore MA-PRV.",
    },
    "scan --cache": {
        "nl": "Cache met uitgelezen gegevens (SQLite). Standaard: in je cachemap "
              "($XDG_CACHE_HOME/mediaaudit, of $MEDIAAUDIT_CACHE_DIR).",
        "en": "Cache of extracted facts (SQLite). Default: under the user's cache folder "
              "($XDG_CACHE_HOME/mediaaudit, or $MEDIAAUDIT_CACHE_DIR).",
    },
    "scan --no-cache": {
        "nl": "Lees elk bestand opnieuw (de cache vertrouwt een bestand waarvan grootte, "
              "mtime, ctime, inode en bijbestanden niet veranderd zijn).",
        "en": "Read every file again (the cache trusts a file whose size, mtime, ctime, "
              "inode and sidecars are unchanged).",
    },
    "scan --exit-zero": {"nl": "Altijd afsluitcode 0 (voor dashboards).",
                         "en": "Always exit 0 (for dashboards)."},
    "scan --quiet": {"nl": "Geen voortgang of samenvatting op stderr.",
                     "en": "No progress or summary on stderr."},
    "scan --cluster": {
        "nl": "Onderzoek de bestanden op de workers van deze Dask-scheduler (die moeten de "
              "bestanden onder dezelfde paden zien; standaard: [scan] cluster in de "
              "configuratie).",
        "en": "Probe on the workers of this Dask scheduler (they must see the files at the "
              "same paths; default: [scan] cluster in the config).",
    },
    # --- explain, profiles, doctor -----------------------------------------------------
    "explain": {
        "nl": "Wat een bevindingscode betekent, waarom die ertoe doet en hoe je het oplost "
              "(nl/en).\n\nCODE is een code zoals MA-FMT-001 of de korte naam ervan; zonder "
              "CODE krijg je de lijst van alle codes.",
        "en": "What a finding code means, why it matters and how to fix it (nl/en).\n\n"
              "CODE is an id such as MA-FMT-001 or its short name; without CODE, list all "
              "codes.",
    },
    "profiles": {
        "nl": "Toon de ingebouwde formaatprofielen; 'profiles show ID|FILE' toont er één.",
        "en": "List built-in format profiles; 'profiles show ID|FILE' shows one.",
    },
    "show": {  # profiles show
        "nl": "Toon de bron en het controlegetal van een profiel, en elke regel met zijn "
              "status en PUID's.",
        "en": "Show a profile's source, checksum and every row with its status and PUIDs.",
    },
    "doctor": {
        "nl": "Toon de versies van de programma's waarmee mediaaudit controleert; "
              "afsluitcode 2 als er een ontbreekt dat nodig is.",
        "en": "Show engine versions; exit 2 if a required engine is missing.",
    },
    # --- report ------------------------------------------------------------------------
    "report": {
        "nl": "Zet MANIFEST (JSON) om naar HTML, PDF/A, CSV of Markdown (of naar JSON in "
              "een andere taal).",
        "en": "Render MANIFEST (JSON) as HTML, PDF/A, CSV or Markdown (or JSON in another "
              "language).",
    },
    "report --output": {"nl": "Uitvoerbestand; het formaat volgt uit de extensie.",
                        "en": "Output file; format from its suffix."},
    "report --format": {
        "nl": "Uitvoerformaat (mag vaker; bij meerdere is -o de basisnaam).",
        "en": "Output format (repeatable; with several, -o is the base name).",
    },
    "report --lang": {
        "nl": "Zet de teksten om naar deze taal (standaard: de taal van het manifest).",
        "en": "Re-render messages in this language (default: the manifest's).",
    },
    "report --base": {
        "nl": "De map waar de paden in het manifest vanuit gaan (voor de miniaturen in "
              "HTML). Standaard: gevonden via de mappen in het manifest (de huidige map, de "
              "map van het manifest of een map daarboven).",
        "en": "Folder the manifest's paths are relative to (for HTML thumbnails). Default: "
              "found from the manifest's roots (the current folder, the manifest's folder "
              "or one of its parents).",
    },
    # --- verify ------------------------------------------------------------------------
    "verify": {
        "nl": "Bereken de controlegetallen van de bestanden in MANIFEST opnieuw en meld "
              "welke ongewijzigd, gewijzigd, ontbrekend of toegevoegd zijn.\n\n"
              "Paden worden gezocht zoals ze gescand zijn (vanuit de huidige map); geef "
              "ROOT op als de gescande map verplaatst is (ROOT komt ervoor in de plaats)."
              "\n\nGeef je een bag die 'mediaaudit archive' schreef (BAG_DIR), dan wordt "
              "de bag gecontroleerd: elk controlegetal in zijn manifesten, dat er geen "
              "bestand ontbreekt of toegevoegd is, elk MDTO-record tegen het schema van "
              "MDTO 1.0.2, en elk bestand-record tegen zijn bestand.",
        "en": "Re-hash the files MANIFEST lists and report unchanged, changed, missing and "
              "added files.\n\n"
              "Paths are resolved as they were scanned (relative to the current folder); "
              "give ROOT when the scanned folder has moved (ROOT replaces it).\n\n"
              "Given a bag written by 'mediaaudit archive' (BAG_DIR), check the bag "
              "instead: every checksum in its manifests, that no file is missing or added, "
              "every MDTO record against the MDTO 1.0.2 schema, and each bestand record "
              "against its file.",
    },
    "verify epilog": {
        "nl": "Afsluitcode: 0 = elk bestand uit de lijst is er en is ongewijzigd, en er is "
              "geen bestand toegevoegd; 1 = een bestand is gewijzigd, ontbreekt, is "
              "toegevoegd of is geen gewoon bestand meer (bij een bag ook: een MDTO-record is "
              "ongeldig, of een tagmanifest ontbreekt of is onvolledig); 2 = het manifest, "
              "de bag of ROOT is niet te gebruiken.",
        "en": "Exit status: 0 = every listed file is present and unchanged and no file was "
              "added; 1 = something changed, is missing, was added or is no longer a "
              "regular file (for a bag also: an MDTO record is not valid, or a tag "
              "manifest is missing or incomplete); 2 = the manifest, the bag or ROOT cannot "
              "be used.",
    },
    "verify --quiet": {"nl": "Toon alleen de problemen en de samenvatting.",
                       "en": "Print only problems and the summary."},
    "verify --all": {
        "nl": "Toon elk toegevoegd bestand (zonder deze optie: de eerste {shown} en het "
              "aantal).",
        "en": "List every added file (without it: the first {shown} and a count).",
    },
    # --- watch -------------------------------------------------------------------------
    "watch": {
        "nl": "Bewaak DROP_DIR: controleer elk bestand zodra het compleet is (gesloten door "
              "het programma dat het schreef, en grootte en wijzigingstijd --settle "
              "seconden gelijk) en leg de uitkomst vast; met --approved en --rejected gaat "
              "het daarheen (nadat is nagekeken dat de SHA-256 nog die van de controle is)."
              "\n\nVerplaatsen overschrijft nooit (een tweede 'foto.jpg' wordt 'foto "
              "(1).jpg') en verwijdert nooit. Tijdelijke bestanden (.part, .crdownload, "
              ".tmp, ~$…) en verborgen bestanden wachten tot ze een andere naam krijgen. "
              "Symbolische koppelingen worden niet gevolgd: één keer gemeld als "
              "overgeslagen, nooit verplaatst. SIGTERM/SIGINT stoppen netjes; SIGHUP (of "
              "een wijziging in de configuratie of het profiel) laadt ze opnieuw.",
        "en": "Watch DROP_DIR: audit each file once it is complete (closed by its writer, "
              "and size and mtime unchanged for --settle seconds) and log the result; with "
              "--approved and --rejected, move it there (after checking its SHA-256 is "
              "still the audited one).\n\n"
              "Moves never overwrite (a second 'foto.jpg' becomes 'foto (1).jpg') and never "
              "delete. Temporary files (.part, .crdownload, .tmp, ~$…) and hidden files "
              "wait until renamed. Symlinks are not followed: reported once as skipped, "
              "never moved. SIGTERM/SIGINT stop cleanly; SIGHUP (or editing the config or "
              "profile) reloads them.",
    },
    "watch short": {
        "nl": "Bewaak DROP_DIR: controleer elk bestand dat er binnenkomt zodra het compleet "
              "is, leg de uitkomst vast en verplaats het met een rapport naar --approved of "
              "--rejected.",
        "en": "Watch DROP_DIR: audit each file dropped there once it is complete, log it and "
              "move it to --approved or --rejected with a report.",
    },
    "watch --approved": {
        "nl": "Verplaats goedgekeurde bestanden naar deze map (met hun bijbestanden).",
        "en": "Move files that pass here (with sidecars).",
    },
    "watch --rejected": {
        "nl": "Verplaats afgekeurde bestanden en bestanden met een fout naar deze map.",
        "en": "Move files that fail or error here.",
    },
    "watch --manifest-dir": {
        "nl": "Resultaten: audit-log.jsonl en één manifest per bestand. Standaard: "
              "DROP_DIR/.mediaaudit/manifests.",
        "en": "Results: audit-log.jsonl plus one manifest per file. Default: "
              "DROP_DIR/.mediaaudit/manifests.",
    },
    "watch --state": {
        "nl": "Statusdatabase. Standaard: DROP_DIR/.mediaaudit/state.sqlite.",
        "en": "State database. Default: DROP_DIR/.mediaaudit/state.sqlite.",
    },
    "watch --poll": {
        "nl": "Kijk elke SECONDS seconden in de map in plaats van inotify te gebruiken "
              "(SMB/NFS-shares sturen geen meldingen).",
        "en": "Poll every SECONDS instead of inotify (SMB/NFS shares send no events).",
    },
    "watch --settle": {
        "nl": "Zo lang moet een bestand ongewijzigd zijn voordat het gecontroleerd wordt.",
        "en": "A file must be unchanged this long before it is audited.",
    },
    "watch --once": {"nl": "Verwerk wat er nu staat en stop dan (cron, tests).",
                     "en": "Process what is there, then exit (cron, tests)."},
    "watch --rescan": {"nl": "Vergeet de status en controleer alles opnieuw.",
                       "en": "Forget the state and audit everything again."},
    "watch --config": {"nl": "Beleidsbestand (standaard: DROP_DIR/mediaaudit.toml).",
                       "en": "Policy file (default: DROP_DIR/mediaaudit.toml)."},
    "watch --timeout": {"nl": "Tijdslimiet per bestand.", "en": "Time limit per file."},
    "watch --jobs": {
        "nl": "Aantal werkprocessen dat klaarstaat om bestanden te onderzoeken (elk bestand "
              "in één ervan).",
        "en": "Worker processes kept ready for probing (each file is probed in one).",
    },
    "watch --cache": {"nl": "Cache met uitgelezen gegevens (zoals bij scan).",
                      "en": "Cache of extracted facts (as for scan)."},
    "watch --no-cache": {"nl": "Lees elk bestand zelf, nooit de cache.",
                         "en": "Read every file, never the fact cache."},
    "watch --json-log": {
        "nl": "Schrijf het logboek als JSON-regels op stderr in plaats van als tekst.",
        "en": "Log JSON lines on stderr instead of text.",
    },
    "watch --fix": {
        "nl": "Zet een bestand dat alleen op formaat of locatie is afgekeurd om (zoals "
              "'mediaaudit fix --strip-location') en verplaats de afgeleide met zijn "
              "rapport; het origineel gaat zoals altijd naar --rejected. Kan ook met "
              "[watch] fix = true in mediaaudit.toml.",
        "en": "Convert a file rejected only on format or location (as 'mediaaudit fix "
              "--strip-location') and route the derivative with its report; the original "
              "goes to --rejected as before. Also: [watch] fix = true in mediaaudit.toml.",
    },
    # --- archive -----------------------------------------------------------------------
    "archive": {
        "nl": "Schrijf de bestanden die in MANIFEST zijn goedgekeurd als BagIt-bag, met het "
              "manifest, het HTML-rapport en MDTO-metadata (Nationaal Archief, schema "
              "1.0.2) per bestand en per record.\n\n"
              "Voer het uit in de map waar de scan draaide: daar beginnen de relatieve "
              "paden van het manifest. Elke gescande map moet in de basismap liggen "
              "(--base, standaard: hier). De bestanden worden eerst met het manifest "
              "vergeleken; bestanden die niet zijn goedgekeurd blijven erbuiten en staan "
              "in data/archive-report.txt.  Ondertitels (.vtt, .srt) en licentiebestanden "
              "(.license) van de goedgekeurde bestanden gaan ernaast mee in de bag.",
        "en": "Write the files MANIFEST passed, with the manifest, its HTML report and MDTO "
              "metadata (Nationaal Archief, schema 1.0.2) per file and per record, as a "
              "BagIt bag.\n\n"
              "Run it in the folder where the scan ran: the manifest's relative paths start "
              "there. Every scanned folder must lie inside the base folder (--base, "
              "default: here). The files are checked against the manifest first; files "
              "that did not pass are left out and listed in data/archive-report.txt.  "
              "Caption (.vtt, .srt) and licence (.license) files of the passed files go "
              "into the bag beside them.",
    },
    "archive epilog": {
        "nl": "Afsluitcode: 0 = de bag is geschreven; 1 = een goedgekeurd bestand is sinds "
              "de controle gewijzigd, ontbreekt of is geen gewoon bestand meer (of een "
              "ondertitel- of licentiebestand dat de controle las is weg), of er is geen "
              "enkel bestand goedgekeurd (er wordt niets geschreven); 2 = het manifest, de "
              "configuratie of BAG_DIR is niet te gebruiken, een gescande map ligt buiten "
              "de basismap, of het manifest noemt een pad buiten de mappen die gecontroleerd "
              "zijn (er wordt niets geschreven).",
        "en": "Exit status: 0 = the bag was written; 1 = a file that passed has changed, is "
              "missing or is no longer a regular file since the audit (or a caption or "
              "licence file the audit read is gone), or no file passed (nothing is "
              "written); 2 = the manifest, the configuration or BAG_DIR cannot be used, a "
              "scanned folder lies outside the base folder, or the manifest lists a path "
              "outside the folders it audited (nothing is written).",
    },
    "archive --out": {"nl": "De bag die geschreven wordt: een nieuwe of een lege map.",
                      "en": "The bag to write: a new folder, or an empty one."},
    "archive --base": {
        "nl": "De map waar de gescande mappen in moeten liggen (na het volgen van "
              "symbolische koppelingen): een manifest van /srv/share/uploads/PV-42 of "
              "../upload wordt gearchiveerd als die map in DIR ligt.  Standaard: de map "
              "waarin je archive uitvoert.",
        "en": "The folder the scanned folders must lie in (symlinks resolved): a manifest "
              "of /srv/share/uploads/PV-42 or ../upload is archived when that folder is "
              "inside DIR.  Default: the folder archive runs in.",
    },
    "archive --config": {
        "nl": "mediaaudit.toml met de tabel [archive] (standaard: mediaaudit.toml in de "
              "gescande map of een map erboven).",
        "en": "mediaaudit.toml with the [archive] table (default: mediaaudit.toml in the "
              "scanned folder or a parent).",
    },
    "archive --request-id": {
        "nl": "Het kenmerk van het publicatieverzoek: External-Identifier in bag-info.txt "
              "en het kenmerk van het MDTO-dossier.",
        "en": "The publication request's id: External-Identifier in bag-info.txt and the "
              "identifier of the MDTO dossier.",
    },
    "archive --posted": {
        "nl": "Datum waarop de media zijn geplaatst (JJJJ-MM-DD): een gebeurtenis "
              "'Publicatie' in MDTO.",
        "en": "Date the media were posted (YYYY-MM-DD): a 'Publicatie' event in MDTO.",
    },
    # --- fix ---------------------------------------------------------------------------
    "fix": {
        "nl": "Maak afgeleiden volgens de NVF van de bestanden in PATHS die op formaat "
              "zijn afgekeurd.\n\n"
              "Alleen wat een omzetting kan oplossen wordt opgelost: de formaatcontrole "
              "(MA-FMT-001/003) en, met --strip-location, locatie, serienummers en namen "
              "van eigenaren (MA-PRV-*).  Bestanden die zijn afgekeurd op rechten, schade "
              "of iets anders worden gemeld als 'niet op te lossen met een omzetting', met "
              "de reden.  Licentie, rechthebbende, naamsvermelding, alt-tekst en "
              "ondertitels gaan mee; elke afgeleide wordt opnieuw gecontroleerd; het "
              "fix-manifest legt vast waar elke afgeleide vandaan komt.  Originelen worden "
              "nooit gewijzigd.",
        "en": "Make NVF-conforming derivatives of the files in PATHS that fail on format."
              "\n\n"
              "Only what a conversion can fix is fixed: the format gate (MA-FMT-001/003) "
              "and, with --strip-location, location, serial numbers and owner names "
              "(MA-PRV-*).  Files that fail on rights, damage or anything else are reported "
              "as 'cannot be fixed by conversion', with the reason.  Licence, holder, "
              "credit, alt text and captions are carried over; every derivative is audited "
              "again; the fix manifest records where each came from.  Originals are never "
              "changed.",
    },
    "fix epilog": {
        "nl": "Afsluitcode: 0 = elke afgeleide is goedgekeurd; 1 = een bestand kon niet "
              "worden opgelost of een afgeleide is nog steeds afgekeurd; 2 = fout in de "
              "opdracht, de configuratie, het profiel of de uitvoer.",
        "en": "Exit status: 0 = every derivative passes the audit; 1 = some file could not "
              "be fixed or a derivative still fails; 2 = usage, config, profile or output "
              "error.",
    },
    "fix --out": {
        "nl": "Map voor de afgeleiden (dezelfde relatieve paden, een nieuwe extensie).",
        "en": "Folder for the derivatives (same relative paths, new extension).",
    },
    "fix --master": {
        "nl": "Archiefmasters in voorkeursformaten: TIFF voor afbeeldingen, Matroska met "
              "FFV1 + FLAC voor video.",
        "en": "Archival masters in preferred formats: TIFF for images, Matroska with FFV1 + "
              "FLAC for video.",
    },
    "fix --strip-location": {
        "nl": "Verwijder ook GPS-posities, serienummers van apparaten en namen van "
              "eigenaren (MA-PRV-*), in een kopie als het formaat al goed is.",
        "en": "Also remove GPS positions, device serial numbers and owner names (MA-PRV-*), "
              "in a copy when the format is already fine.",
    },
    "fix --dry-run": {"nl": "Vertel wat er zou gebeuren; schrijf niets.",
                      "en": "Say what would be done; write nothing."},
    "fix --image-format": {
        "nl": "Kies zelf het formaat in plaats van de vaste regel (foto's → JPEG; "
              "illustraties, transparantie en verliesvrije bronnen → PNG).",
        "en": "Override the rule (photographs → JPEG, graphics, transparency and lossless "
              "sources → PNG).",
    },
    "fix --manifest": {
        "nl": "Fix-manifest (JSON). Standaard: DIR/mediaaudit-fix-<tijd>.json.",
        "en": "Fix manifest (JSON). Default: DIR/mediaaudit-fix-<time>.json.",
    },
    "fix --config": {
        "nl": "Beleidsbestand (standaard: mediaaudit.toml naast de originelen of in een map "
              "erboven).",
        "en": "Policy file (default: mediaaudit.toml beside the originals or above).",
    },
    "fix --jobs": {
        "nl": "Aantal werkprocessen voor de controles (standaard: het aantal "
              "processorkernen).",
        "en": "Worker processes for the audits (default: CPU count).",
    },
    "fix --timeout": {
        "nl": "Tijdslimiet per bestand voor een omzetting (controles: de standaard van "
              "scan).",
        "en": "Time limit per file for a conversion (audits: the scan default).",
    },
    "fix --max-pixels": {
        "nl": "Zet geen afbeelding om van meer dan N pixels (breedte x hoogte); een grotere "
              "wordt niet opgelost (MA-IO-007). Decoderen kost tot ~16 bytes per pixel, dus "
              "dit begrenst het geheugen (~1,4 GB bij de standaardwaarde, het "
              "waarschuwingsniveau van Pillow voor decompressiebommen); hooguit de grens "
              "voor decompressiebommen van scan.",
        "en": "Convert no image larger than N pixels (width x height); a larger one is not "
              "fixed (MA-IO-007). Decoding takes up to ~16 bytes per pixel, so this bounds "
              "the memory (~1.4 GB at the default, Pillow's bomb warning level); at most "
              "scan's decompression-bomb limit.",
    },
    "fix --quiet": {
        "nl": "Alleen de regels over bestanden die niet zijn opgelost en afgeleiden die nog "
              "steeds zijn afgekeurd; geen samenvatting, geen voortgangsbalk.",
        "en": "Only the lines about files not fixed and derivatives that still fail; no "
              "summary, no progress bar.",
    },
    # --- init --------------------------------------------------------------------------
    "init": {
        "nl": "Schrijf FOLDER/mediaaudit.toml (standaard: de huidige map) met elke "
              "instelling die scan, watch, fix en archive lezen, met uitleg erbij, in de "
              "taal van --lang.\n\n"
              "In een terminal vraagt het naar de organisatie en de instellingen die "
              "archive nodig heeft (Enter neemt de waarde tussen [ ]); anders haalt het ze "
              "uit de opties en markeert het wat ontbreekt met TE DOEN.  Een bestaand "
              "bestand wordt nooit vervangen zonder --force.  Afsluitcode: 0 = geschreven; "
              "2 = niet "
              "geschreven (er staat al een bestand, een waarde klopt niet, een map bestaat "
              "niet).",
        "en": "Write FOLDER/mediaaudit.toml (default: the current folder) with every key "
              "scan, watch, fix and archive read, commented, in the language of --lang.\n\n"
              "On a terminal it asks for the organisation and the settings archive needs "
              "(Enter takes the value shown in [ ]); otherwise it takes them from the "
              "options and marks what is missing TODO in the file.  An existing file is "
              "never replaced without --force.  Exit status: 0 = written; 2 = not written "
              "(a file already there, a wrong value, a folder that does not exist).",
    },
    "init short": {
        "nl": "Schrijf een mediaaudit.toml met uitleg voor je organisatie: vraagt in een "
              "terminal, neemt anders de opties.",
        "en": "Write a commented mediaaudit.toml for your organisation: asks on a terminal, "
              "takes options otherwise.",
    },
    "init --organisation": {
        "nl": "Je organisatie ([policy] organisation; de archiefvormer).",
        "en": "Your organisation ([policy] organisation; the archiefvormer).",
    },
    "init --waardering": {
        "nl": "V (tijdelijk te bewaren) of B (blijvend te bewaren), voor archive.",
        "en": "V (tijdelijk te bewaren) or B (blijvend te bewaren), for archive.",
    },
    "init --bewaartermijn": {
        "nl": "Bewaartermijn, ISO 8601 (P10Y); niet nodig bij B.",
        "en": "Retention period, ISO 8601 (P10Y); not needed with B.",
    },
    "init --contact-name": {"nl": "Contactpersoon voor het archief (bag-info.txt).",
                            "en": "Contact for the archive (bag-info.txt)."},
    "init --contact-email": {"nl": "E-mailadres van de contactpersoon voor het archief "
                                   "(bag-info.txt).",
                             "en": "Contact e-mail for the archive (bag-info.txt)."},
    "init --force": {
        "nl": "Vervang een bestaande mediaaudit.toml (de oude blijft bewaard als .bak).",
        "en": "Replace an existing mediaaudit.toml (the old one is kept as .bak).",
    },
})


def help_lang(args: list[str]) -> str:
    """The language of help for a command line: ``--lang`` as typed anywhere in it, else
    the locale's (``default_lang``: nl for a Dutch locale, else en)."""
    return typed_lang(args) or default_lang()


def help_language(ctx: click.Context) -> str:
    """The language this run's help is in (decided by ``HelpCommand.parse_args``)."""
    return str(ctx.meta.get(_HELP_LANG) or default_lang())


def long_name(param: click.Parameter) -> str:
    """An option's name in the table: its first long spelling (``--output`` of ``-o,
    --output``)."""
    return next((o for o in param.opts if o.startswith("--")), param.opts[0])


def option_key(command: str, param: click.Parameter) -> str | None:
    """The row of ``TEXT`` for an option of ``command``: its own, else the one every
    command shares; None when the table has neither."""
    for key in (f"{command} {long_name(param)}", long_name(param)):
        if key in TEXT:
            return key
    return None


def first_sentence(text: str) -> str:
    """The first sentence of a help text's first paragraph, whole (up to the first word
    that ends in a full stop), for a command's line in its group's list."""
    words = text.split("\n\n", 1)[0].split()
    end = next((i for i, w in enumerate(words) if w.endswith(".")), len(words) - 1)
    return " ".join(words[:end + 1])


class HelpCommand(click.Command):
    """A command whose help (its text, its options', click's own words) is said in the
    run's language from ``TEXT``.  ``help_values`` fill the texts' placeholders (a
    default the command's module owns: ``{default}`` seconds).  Click's own fields hold
    the English, for whatever else reads them (shell completion)."""

    def __init__(self, *args: Any, help_values: Mapping[str, object] | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.help_values: Mapping[str, object] = dict(help_values or {})
        self.help = self.said(str(self.name), "en") or self.help
        self.short_help = self.said(f"{self.name} short", "en") or self.short_help
        self.epilog = self.said(f"{self.name} epilog", "en") or self.epilog
        for param in self.params:
            if isinstance(param, click.Option):
                param.help = self.option_help(param, "en") or param.help

    def said(self, key: str, lang: str) -> str | None:
        """``TEXT[key]`` in ``lang``, filled; None when the table has no such row."""
        return say(TEXT, key, lang, **self.help_values) if key in TEXT else None

    def option_help(self, param: click.Parameter, lang: str) -> str | None:
        key = option_key(str(self.name), param)
        return self.said(key, lang) if key is not None else None

    def short_help_in(self, lang: str) -> str:
        """The line for this command in its group's list: the whole first sentence."""
        short = self.said(f"{self.name} short", lang)
        if short is not None:
            return short
        return first_sentence(self.said(str(self.name), lang) or "")

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        # The outermost command sees every word typed: it decides for its subcommands.
        ctx.meta.setdefault(_HELP_LANG, help_lang(args))
        return super().parse_args(ctx, args)

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        lang = help_language(ctx)
        formatter.write_usage(ctx.command_path, " ".join(self.collect_usage_pieces(ctx)),
                              prefix=say(CLICK_WORDS, "usage", lang) + " ")
        self._paragraph(formatter, self.said(str(self.name), lang))
        rows = [row for param in self.get_params(ctx) if isinstance(param, click.Option)
                if (row := self._option_row(param, ctx, lang)) is not None]
        if rows:
            with formatter.section(say(CLICK_WORDS, "options", lang)):
                formatter.write_dl(rows)
        self.format_subcommands(ctx, formatter, lang)
        self._paragraph(formatter, self.said(f"{self.name} epilog", lang))

    def format_subcommands(self, ctx: click.Context, formatter: click.HelpFormatter,
                          lang: str) -> None:
        """The list of subcommands, for a group (``HelpGroup``)."""

    @staticmethod
    def _paragraph(formatter: click.HelpFormatter, text: str | None) -> None:
        if text:
            formatter.write_paragraph()
            with formatter.indentation():
                formatter.write_text(text)

    def _option_row(self, param: click.Option, ctx: click.Context,
                    lang: str) -> tuple[str, str] | None:
        """``(-o, --output FILE, its help [its default; range]``) in ``lang``: click's
        spelling of the option, the table's text, and click's notes in words of
        ``lang`` (a range such as ``x>=1`` is the same in both)."""
        record = param.get_help_record(ctx)
        if record is None:  # hidden
            return None
        extra = param.get_help_extra(ctx)
        notes = []
        if "envvars" in extra:
            notes.append(say(CLICK_WORDS, "envvars", lang, var=", ".join(extra["envvars"])))
        if "default" in extra:
            notes.append(say(CLICK_WORDS, "default", lang, default=extra["default"]))
        if "range" in extra:
            notes.append(extra["range"])
        if "required" in extra:
            notes.append(say(CLICK_WORDS, "required", lang))
        words = self.option_help(param, lang) or ""
        if notes:
            words = f"{words}  [{'; '.join(notes)}]" if words else f"[{'; '.join(notes)}]"
        return record[0], words


class HelpGroup(HelpCommand, click.Group):
    """A group of commands whose help, and the list of its commands, is said in the
    run's language; its subcommands are ``HelpCommand``s."""

    command_class = HelpCommand

    def format_subcommands(self, ctx: click.Context, formatter: click.HelpFormatter,
                          lang: str) -> None:
        """Each command's whole first sentence, wrapped, instead of cut off with '...' at
        the terminal's width."""
        rows = []
        for name in self.list_commands(ctx):
            cmd = self.get_command(ctx, name)
            if cmd is None or cmd.hidden:
                continue
            short = (cmd.short_help_in(lang) if isinstance(cmd, HelpCommand)
                     else cmd.get_short_help_str(limit=10_000))
            rows.append((name, short))
        if rows:
            with formatter.section(say(CLICK_WORDS, "commands", lang)):
                formatter.write_dl(rows)
