"""The finding-code table: one row per code, with nl/en text and an explanation.

Findings carry only a code and parameters; text is rendered at output time from this
table, so a manifest can be re-rendered in another language and every message has a
matching ``mediaaudit explain`` entry.  Codes are never renumbered or reused.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from mediaaudit.model import Severity
from mediaaudit.texts import TextTableError, problems

LANGS = ("nl", "en")


class CodeId(StrEnum):
    """Every finding code by name, so that mypy catches a misspelt code; the value is the
    code in the manifest.  A test checks it against the table."""

    EXTENSION_MISMATCH = "MA-ID-001"
    IDENTIFIED_BY_MIME_ONLY = "MA-ID-002"
    UNKNOWN_FORMAT = "MA-ID-003"
    NOT_MEDIA = "MA-ID-004"
    GENERIC_PRONOM_MATCH = "MA-ID-005"
    NOT_LISTED = "MA-FMT-001"
    ACCEPTABLE = "MA-FMT-002"
    CODEC_NOT_LISTED = "MA-FMT-003"
    CONDITION_NOT_MET = "MA-FMT-004"
    ANIMATED_GIF = "MA-FMT-005"
    NOT_FAST_START = "MA-FMT-006"
    VERY_LARGE_IMAGE = "MA-FMT-007"
    SVG_DOCTYPE = "MA-FMT-008"
    ENCRYPTED_TRACK = "MA-FMT-009"
    NO_CAPTIONS = "MA-ACC-001"
    NO_ALT_TEXT = "MA-ACC-002"
    CAPTION_FILE_EMPTY = "MA-ACC-003"
    CAPTIONS_DECLARED = "MA-ACC-004"
    AI_GENERATED = "MA-AI-001"
    CONTENT_CREDENTIALS_INVALID = "MA-AI-002"
    CONTENT_CREDENTIALS_UNVERIFIABLE = "MA-AI-003"
    EMPTY_FILE = "MA-IO-001"
    UNREADABLE = "MA-IO-002"
    CHANGED_DURING_SCAN = "MA-IO-003"
    DAMAGED = "MA-IO-004"
    TIMEOUT = "MA-IO-005"
    PROBE_FAILED = "MA-IO-006"
    DECOMPRESSION_BOMB = "MA-IO-007"
    NOT_A_REGULAR_FILE = "MA-IO-008"
    METADATA_DAMAGED = "MA-IO-009"
    ENGINE_CANNOT_READ = "MA-IO-010"
    LIBRARY_MESSAGE = "MA-IO-011"
    NO_ENGINE_READS = "MA-IO-012"
    ARCHIVE_REFUSED = "MA-ARC-001"
    ARCHIVE_UNSAFE_NAME = "MA-ARC-002"
    ARCHIVE_LINK = "MA-ARC-003"
    ARCHIVE_ENCRYPTED = "MA-ARC-004"
    ARCHIVE_NESTED = "MA-ARC-005"
    ARCHIVE_DUPLICATE = "MA-ARC-006"
    RIGHTS_UNKNOWN = "MA-LIC-001"
    RIGHTS_RESTRICTED = "MA-LIC-002"
    RIGHTS_CONFLICT = "MA-LIC-003"
    NON_COMMERCIAL = "MA-LIC-004"
    NO_DERIVATIVES = "MA-LIC-005"
    LICENCE_UNRECOGNISED = "MA-LIC-006"
    XMP_REJECTED = "MA-LIC-007"
    ATTRIBUTION_REQUIRED = "MA-LIC-008"
    LICENCE_VERSION_MISSING = "MA-LIC-009"
    SIDECAR_UNREADABLE = "MA-LIC-010"
    LICENCE_NOT_ALLOWED = "MA-LIC-011"
    ATTRIBUTION_IMPOSSIBLE = "MA-LIC-012"
    PUBLIC_DOMAIN_UNCLEAR = "MA-LIC-013"
    LICENCE_MISSING = "MA-LIC-014"
    LICENCE_CHOICE = "MA-LIC-015"
    PEOPLE_WITHOUT_RELEASE = "MA-PRT-001"
    RELEASE_NONE = "MA-PRT-002"
    GPS_POSITION = "MA-PRV-001"
    DEVICE_SERIAL = "MA-PRV-002"
    OWNER_NAME = "MA-PRV-003"


@dataclass(frozen=True)
class Code:
    """One finding code.  ``unaudited`` marks codes that mean 'could not be checked'."""

    code: str
    name: str
    severity: Severity
    message: Mapping[str, str]
    explanation: Mapping[str, str]
    unaudited: bool = False


def _c(
    code: str,
    name: str,
    severity: Severity,
    nl: str,
    en: str,
    expl_nl: str,
    expl_en: str,
    unaudited: bool = False,
) -> Code:
    return Code(
        code, name, severity, {"nl": nl, "en": en}, {"nl": expl_nl, "en": expl_en}, unaudited
    )


E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO

_TABLE: tuple[Code, ...] = (
    # --- ID: identification -------------------------------------------------------
    _c("MA-ID-001", "extension-mismatch", W,
       "De extensie '.{ext}' past niet bij de inhoud: dit is {format}.",
       "The extension '.{ext}' does not match the content: this is {format}.",
       "Wat: de bestandsnaam belooft een ander formaat dan de bytes bevatten. Waarom: "
       "platforms en archiefsystemen vertrouwen soms op de extensie; een verkeerde extensie "
       "kan tot weigering of verkeerde weergave leiden. Oplossen: hernoem het bestand naar de "
       "juiste extensie of exporteer het opnieuw.",
       "What: the file name promises a different format than its bytes hold. Why: platforms "
       "and archive systems sometimes trust the extension; a wrong one can cause rejection or "
       "wrong display. Fix: rename the file to the right extension or export it again."),
    _c("MA-ID-002", "identified-by-mime-only", E,
       "PRONOM herkent dit bestand niet; alleen libmagic noemt het {mime}.",
       "PRONOM does not recognise this file; only libmagic calls it {mime}.",
       "Wat: siegfried vond geen PRONOM-handtekening, maar libmagic herkende het type. Waarom: "
       "de NVF is gebaseerd op PRONOM-identificaties; zonder PUID is de beoordeling minder "
       "zeker. Oplossen: exporteer het bestand opnieuw met standaardsoftware.",
       "What: siegfried found no PRONOM signature, but libmagic recognised the type. Why: the "
       "NVF is keyed on PRONOM identifications; without a PUID the verdict is less certain. "
       "Fix: export the file again with standard software."),
    _c("MA-ID-003", "unknown-format", E,
       "Het formaat van dit bestand is niet te herkennen ({mime}).",
       "The format of this file cannot be identified ({mime}).",
       "Wat: geen enkele identificatie (PRONOM, libmagic) herkende een beeld-, video- of "
       "audioformaat. Waarom: een bestand dat niet te herkennen is, kan niet aan de norm "
       "getoetst worden en wordt dus nooit goedgekeurd. Oplossen: controleer of het bestand "
       "compleet en onbeschadigd is en exporteer het opnieuw als PNG, JPEG of MP4.",
       "What: no identifier (PRONOM, libmagic) recognised an image, video or audio format. "
       "Why: a file that cannot be identified cannot be checked against the norm, so it never "
       "passes. Fix: check that the file is complete and undamaged and export it again as "
       "PNG, JPEG or MP4."),
    _c("MA-ID-004", "not-media", E,
       "Dit is geen beeld-, video- of audiobestand maar {format}.",
       "This is not an image, video or audio file but {format}.",
       "Wat: het bestand is wel herkend, maar is geen media. Waarom: mediaaudit keurt alleen "
       "beeld, video en audio voor plaatsing op sociale media. Oplossen: haal het bestand uit "
       "de uploadmap of lever het juiste mediabestand aan.",
       "What: the file was identified, but it is not media. Why: mediaaudit approves only "
       "images, video and audio for posting on social media. Fix: remove the file from the "
       "upload folder or supply the right media file."),
    _c("MA-ID-005", "generic-pronom-match", W,
       "PRONOM herkent alleen {format}; libmagic noemt het {mime} en zo is het beoordeeld.",
       "PRONOM only recognises {format}; libmagic calls it {mime}, and it was judged as such.",
       "Wat: siegfried gaf een algemeen formaat (bijv. XML voor een SVG met DOCTYPE), "
       "libmagic een specifiek mediaformaat. Waarom: de beoordeling rust dan op libmagic, niet "
       "op een PRONOM-handtekening. Oplossen: meestal niets; een SVG met DOCTYPE wordt "
       "geweigerd (MA-FMT-008): exporteer zonder DOCTYPE (SVG 1.1 met version-attribuut), "
       "dan herkent PRONOM het ook.",
       "What: siegfried gave a generic format (e.g. XML for an SVG with a DOCTYPE), libmagic a "
       "specific media format. Why: the verdict then rests on libmagic, not a PRONOM "
       "signature. Fix: usually nothing; an SVG with a DOCTYPE is refused (MA-FMT-008): "
       "export it without the DOCTYPE (SVG 1.1 with a version attribute), and PRONOM "
       "recognises it too."),
    # --- FMT: format / profile ----------------------------------------------------
    _c("MA-FMT-001", "not-listed", E,
       "{format} staat niet in {profile}.",
       "{format} is not listed in {profile}.",
       "Wat: het formaat komt niet voor in de Norm Voorkeursformaten (NVF). Waarom: de "
       "Archiefwet vraagt duurzame formaten; wat niet in de norm staat, is niet getoetst op "
       "duurzaamheid. Oplossen: 'mediaaudit fix BESTAND --out MAP' maakt een afgeleide in PNG "
       "of JPEG (video: MP4 met H.264 en AAC; --master: TIFF of MKV met FFV1) met behoud "
       "van licentie, naamsvermelding, alt-tekst en ondertitels; of exporteer zelf opnieuw.",
       "What: the format does not appear in the Norm Voorkeursformaten (NVF). Why: the Dutch "
       "Archives Act asks for durable formats; what is not in the norm has not been assessed "
       "for durability. Fix: 'mediaaudit fix FILE --out DIR' makes a PNG or JPEG derivative "
       "(video: MP4 with H.264 and AAC; --master: TIFF or MKV with FFV1) that keeps licence, "
       "credit, alt text and captions; or export again yourself."),
    _c("MA-FMT-002", "acceptable", INFO,
       "{format} is acceptabel, maar niet het voorkeursformaat volgens {profile}.",
       "{format} is acceptable, but not a preferred format under {profile}.",
       "Wat: de NVF noemt dit formaat 'Acceptabel' (bijv. JPEG door lossy compressie, MP4 "
       "door royalty's). Waarom: acceptabel mag, maar voor archivering is een voorkeursformaat "
       "beter. Oplossen: niets verplicht; bewaar zo mogelijk ook een origineel in een "
       "voorkeursformaat (PNG, TIFF, MKV/FFV1).",
       "What: the NVF calls this format 'Acceptabel' (e.g. JPEG for its lossy compression, MP4 "
       "for royalties). Why: acceptable is allowed, but a preferred format is better for "
       "archiving. Fix: nothing required; where possible also keep an original in a preferred "
       "format (PNG, TIFF, MKV/FFV1)."),
    _c("MA-FMT-003", "codec-not-listed", E,
       "De {track}-codec {codec} staat niet in {profile}.",
       "The {track} codec {codec} is not listed in {profile}.",
       "Wat: de container is bekend, maar de codec van een spoor niet (bijv. HEVC, VP9, "
       "Opus). Waarom: de NVF beoordeelt video op container én codec; het slechtste deel "
       "bepaalt de status. Oplossen: 'mediaaudit fix BESTAND --out MAP' maakt een MP4 met H.264 en "
       "AAC (ondertitels en rechtenmetadata blijven behouden), of exporteer opnieuw.",
       "What: the container is known, but a track's codec is not (e.g. HEVC, VP9, Opus). Why: "
       "the NVF judges video by container and codec; the worst part decides. Fix: "
       "'mediaaudit fix FILE --out DIR' makes an MP4 with H.264 and AAC (captions and "
       "rights metadata kept), or export again."),
    _c("MA-FMT-004", "condition-not-met", INFO,
       "{format} is alleen voorkeur onder een voorwaarde die hier niet geldt: {condition}.",
       "{format} is preferred only under a condition not met here: {condition}.",
       "Wat: de norm stelt een voorwaarde aan de voorkeursstatus (Matroska is alleen voorkeur "
       "met de FFV1-codec). Waarom: zonder die voorwaarde is het formaat 'Acceptabel'. "
       "Oplossen: niets verplicht; gebruik FFV1 voor een archiefmaster.",
       "What: the norm attaches a condition to the preferred status (Matroska is preferred "
       "only with the FFV1 codec). Why: without it the format is 'Acceptabel'. Fix: nothing "
       "required; use FFV1 for an archival master."),
    _c("MA-FMT-005", "animated-gif", INFO,
       "Geanimeerde GIF met {frames} beelden.",
       "Animated GIF with {frames} frames.",
       "Wat: de GIF bevat een animatie. Waarom: platforms zetten animaties vaak om naar video; "
       "de NVF maakt geen onderscheid, maar de weergave kan afwijken. Oplossen: overweeg een "
       "MP4 (H.264) voor langere animaties.",
       "What: the GIF holds an animation. Why: platforms often convert animations to video; "
       "the NVF makes no distinction, but display may differ. Fix: consider an MP4 (H.264) "
       "for longer animations."),
    _c("MA-FMT-006", "not-fast-start", INFO,
       "De MP4 is niet 'fast start' (de index staat achteraan).",
       "The MP4 is not 'fast start' (its index is at the end).",
       "Wat: de moov-box staat na de mediadata. Waarom: afspelen via internet begint pas als "
       "het hele bestand binnen is. Oplossen: exporteer opnieuw met 'web optimized' / "
       "'faststart' (ffmpeg: -movflags +faststart).",
       "What: the moov box comes after the media data. Why: streaming playback cannot start "
       "until the whole file has arrived. Fix: export again with 'web optimised' / "
       "'faststart' (ffmpeg: -movflags +faststart)."),
    _c("MA-FMT-007", "very-large-image", INFO,
       "Zeer groot beeld: {width}×{height} pixels ({megapixels} MP).",
       "Very large image: {width}×{height} pixels ({megapixels} MP).",
       "Wat: het beeld is groter dan sociale media tonen. Waarom: platforms verkleinen het "
       "toch, en grote bestanden vertragen uploaden. Oplossen: verklein naar hooguit 4096 "
       "pixels aan de lange zijde voor plaatsing; bewaar het origineel.",
       "What: the image is larger than social media display. Why: platforms scale it down "
       "anyway, and large files slow uploads. Fix: scale to at most 4096 pixels on the long "
       "side for posting; keep the original."),
    _c("MA-FMT-008", "svg-doctype", E,
       "Deze SVG heeft een DOCTYPE-declaratie; SVG met een DOCTYPE wordt geweigerd.",
       "This SVG has a DOCTYPE declaration; SVG with a DOCTYPE is refused.",
       "Wat: het bestand begint met <!DOCTYPE …>: een DTD, soms met eigen entiteiten of een "
       "verwijzing naar een ander bestand. Waarom: browsers en SVG 2 gebruiken geen DTD, en "
       "een DOCTYPE is precies waarmee XML-bommen en het uitlezen van bestanden (XXE) werken; "
       "de programma's van platforms en archieven die het beeld verwerken, horen zulke XML "
       "niet tegen te komen. Daarom wordt een SVG met een DOCTYPE geweigerd, zoals XMP met "
       "een DOCTYPE niet wordt gelezen. Oplossen: sla het beeld opnieuw op als gewone of "
       "geoptimaliseerde SVG (Inkscape: 'Gewone SVG' of 'Geoptimaliseerde SVG') of verwijder "
       "de regel <!DOCTYPE …>.",
       "What: the file starts with <!DOCTYPE …>: a DTD, sometimes with entities of its own or "
       "a reference to another file. Why: browsers and SVG 2 use no DTD, and a DOCTYPE is "
       "exactly what XML bombs and file disclosure (XXE) work through; the software of "
       "platforms and archives that processes the image should not meet such XML. So an SVG "
       "with a DOCTYPE is refused, as XMP with a DOCTYPE is not read. Fix: save the image "
       "again as plain or optimised SVG (Inkscape: 'Plain SVG' or 'Optimized SVG') or remove "
       "the <!DOCTYPE …> line."),
    # --- ACC: accessibility (WCAG 2.1/2.2 AA) ----------------------------------------
    _c("MA-FMT-009", "encrypted-track", E,
       "Deze video is versleuteld (DRM): zonder sleutel kan niemand hem afspelen.",
       "This video is encrypted (DRM): nobody can play it without a key.",
       "Wat: een of meer sporen zijn met Common Encryption (cenc, cbcs) versleuteld, zoals "
       "bij gekochte of gestreamde films. Waarom: een platform of archief kan zo'n bestand "
       "niet tonen of bewaren zonder de sleutel, en de versleuteling wijst op materiaal van "
       "een ander. Oplossen: vraag de maker om het onversleutelde origineel.",
       "What: one or more tracks are encrypted with Common Encryption (cenc, cbcs), as in "
       "bought or streamed films. Why: a platform or archive cannot show or keep such a file "
       "without the key, and the encryption suggests someone else's material. Fix: ask the "
       "maker for the unencrypted original."),
    _c("MA-ACC-001", "no-captions", W,
       "Video zonder ondertiteling (geen teksttrack en geen .srt/.vtt ernaast).",
       "Video without captions (no text track and no .srt/.vtt beside it).",
       "Wat: er is geen ondertiteling gevonden. Waarom: WCAG 2.1/2.2 succescriterium 1.2.2 "
       "(niveau A) vraagt ondertiteling bij vooraf opgenomen video met geluid; het Besluit "
       "digitale toegankelijkheid overheid geldt ook voor overheidsberichten op sociale "
       "media. Oplossen: lever een ondertitelbestand mee (NAAM.nl.vtt of NAAM.srt), voeg een "
       "teksttrack toe, of leg ingebrande ondertiteling vast met captions = \"burned-in\" in "
       "een [[annotations]]-regel.",
       "What: no captions were found. Why: WCAG 2.1/2.2 success criterion 1.2.2 (level A) "
       "requires captions for pre-recorded video with audio; the Dutch accessibility decree "
       "for government bodies covers their social media posts too. Fix: supply a caption "
       "file (NAME.nl.vtt or NAME.srt), add a text track, or record burned-in captions with "
       "captions = \"burned-in\" in an [[annotations]] entry."),
    _c("MA-ACC-002", "no-alt-text", INFO,
       "Geen alternatieve tekst (alt-tekst) gevonden.",
       "No text alternative (alt text) found.",
       "Wat: het beeld heeft geen IPTC AltTextAccessibility en geen NAAM.alt.txt. Waarom: "
       "WCAG succescriterium 1.1.1 vraagt een tekstalternatief voor niet-tekstuele inhoud; "
       "platforms hebben er een veld voor. Oplossen: schrijf een korte beschrijving in het "
       "alt-tekstveld van het platform, of leg die vast in de metadata of in NAAM.alt.txt.",
       "What: the image has no IPTC AltTextAccessibility and no NAME.alt.txt. Why: WCAG "
       "success criterion 1.1.1 requires a text alternative for non-text content; platforms "
       "have a field for it. Fix: write a short description in the platform's alt text field, "
       "or record it in the metadata or in NAME.alt.txt."),
    _c("MA-ACC-003", "caption-file-empty", W,
       "Ondertitelbestand {file} bevat geen geldige ondertitels.",
       "Caption file {file} holds no valid cues.",
       "Wat: het .srt/.vtt-bestand naast de video heeft geen tijdcodes met tekst (of een "
       "WebVTT-bestand mist de WEBVTT-kop). Waarom: het platform toont dan geen ondertitels "
       "(WCAG 1.2.2). Oplossen: exporteer het ondertitelbestand opnieuw.",
       "What: the .srt/.vtt file beside the video has no timed cues (or a WebVTT file lacks "
       "its WEBVTT header). Why: the platform then shows no captions (WCAG 1.2.2). Fix: "
       "export the caption file again."),
    _c("MA-ACC-004", "captions-declared", INFO,
       "Ondertiteling volgens de configuratie: {how} (niet gecontroleerd).",
       "Captions as declared in the configuration: {how} (not verified).",
       "Wat: de configuratie verklaart dat de video ondertiteld is (bijv. ingebrand). Waarom: "
       "ingebrande tekst is niet automatisch te controleren. Oplossen: niets, mits de "
       "verklaring klopt.",
       "What: the configuration declares that the video is captioned (e.g. burned in). Why: "
       "burned-in text cannot be checked automatically. Fix: nothing, provided the "
       "declaration is true."),
    # --- AI: generated media / provenance -------------------------------------------
    _c("MA-AI-001", "ai-generated", W,
       "Gemaakt of bewerkt met AI ({value}): vermeld bij plaatsing dat dit AI-gegenereerd is.",
       "Made or altered with AI ({value}): label this post as AI-generated.",
       "Wat: de metadata (IPTC DigitalSourceType) zegt dat het beeld met generatieve AI is "
       "gemaakt of samengesteld. Waarom: artikel 50 van de Europese AI-verordening (van "
       "kracht vanaf augustus 2026) vraagt dat AI-gegenereerde of -gemanipuleerde beelden en "
       "video bij publicatie als zodanig worden gemarkeerd. Oplossen: zet het AI-label van "
       "het platform aan en vermeld het in de tekst.",
       "What: the metadata (IPTC DigitalSourceType) says the image was generated or composed "
       "with generative AI. Why: article 50 of the EU AI Act (in force from August 2026) "
       "requires AI-generated or AI-manipulated images and video to be disclosed as such when "
       "published. Fix: switch on the platform's AI label and say so in the text."),
    _c("MA-AI-002", "content-credentials-invalid", W,
       "Content Credentials (C2PA) zijn ongeldig: het bestand is na ondertekening gewijzigd "
       "({reason}).",
       "Content Credentials (C2PA) are invalid: the file was changed after signing ({reason}).",
       "Wat: het bestand draagt een C2PA-manifest, maar de handtekening of de hash klopt niet "
       "meer. Waarom: de herkomstgegevens zijn dan niet te vertrouwen; platforms tonen ze "
       "mogelijk als ongeldig. Oplossen: gebruik het originele, ondertekende bestand of "
       "onderteken opnieuw na het bewerken.",
       "What: the file carries a C2PA manifest, but its signature or hash no longer matches. "
       "Why: the provenance data can then not be trusted; platforms may show it as invalid. "
       "Fix: use the original signed file, or sign again after editing."),
    _c("MA-AI-003", "content-credentials-unverifiable", INFO,
       "Content Credentials (C2PA) zijn aanwezig maar niet te controleren ({reason}).",
       "Content Credentials (C2PA) are present but cannot be verified ({reason}).",
       "Wat: het bestand draagt een C2PA-manifest, maar de controle kon niet worden afgerond: "
       "een verlopen certificaat, een manifest op afstand dat niet is opgehaald, een "
       "identiteitsverklaring die het netwerk nodig heeft of oude JUMBF-blokken van voor C2PA. "
       "Dit betekent niet dat het bestand is gewijzigd. Waarom: de herkomst is dan niet "
       "bevestigd. Oplossen: niets nodig voor plaatsing; controleer de herkomst met de "
       "verificatiesite van de C2PA als die ertoe doet.",
       "What: the file carries a C2PA manifest, but it could not be verified: an expired "
       "certificate, a remote manifest that was not fetched, an identity assertion that needs "
       "the network, or pre-C2PA JUMBF blocks. It does not mean the file was changed. Why: "
       "the provenance is then not confirmed. Fix: nothing is needed for posting; check the "
       "provenance with a C2PA verify site if it matters."),
    # --- IO: unreadable / damaged -------------------------------------------------
    _c("MA-IO-001", "empty-file", E,
       "Het bestand is leeg (0 bytes).",
       "The file is empty (0 bytes).",
       "Wat: het bestand bevat geen gegevens. Waarom: meestal is een upload of kopie mislukt. "
       "Oplossen: kopieer of upload het bestand opnieuw.",
       "What: the file holds no data. Why: usually an upload or copy failed. Fix: copy or "
       "upload the file again."),
    _c("MA-IO-002", "unreadable", E,
       "Het bestand kon niet gelezen worden: {reason}.",
       "The file could not be read: {reason}.",
       "Wat: het besturingssysteem gaf een fout bij het lezen (rechten, netwerkshare). Waarom: "
       "een bestand dat niet gelezen kan worden, is niet gecontroleerd en wordt nooit "
       "goedgekeurd. Oplossen: controleer de rechten en de verbinding en scan opnieuw.",
       "What: the operating system returned an error while reading (permissions, network "
       "share). Why: a file that cannot be read has not been checked and never passes. Fix: "
       "check permissions and the connection, then scan again.", unaudited=True),
    _c("MA-IO-003", "changed-during-scan", E,
       "Het bestand veranderde of verdween tijdens de controle.",
       "The file changed or disappeared while it was being checked.",
       "Wat: grootte of wijzigingstijd veranderde tijdens het lezen, of het bestand is weg. "
       "Waarom: de uitslag zou over andere bytes gaan dan er nu staan. Oplossen: wacht tot "
       "het kopiëren klaar is en scan opnieuw.",
       "What: size or modification time changed while reading, or the file is gone. Why: the "
       "verdict would describe other bytes than those now present. Fix: wait until copying "
       "has finished and scan again.", unaudited=True),
    _c("MA-IO-004", "damaged", E,
       "Het bestand is beschadigd of afgebroken: {reason}.",
       "The file is damaged or truncated: {reason}.",
       "Wat: het formaat is herkend, maar de inhoud kan niet (volledig) gelezen worden. "
       "Waarom: een afgebroken bestand toont verkeerd of niet op een platform en is niet "
       "archiveerbaar. Oplossen: exporteer of kopieer het bestand opnieuw vanaf de bron.",
       "What: the format was recognised, but the content cannot be read (completely). Why: a "
       "truncated file displays wrongly or not at all on a platform and cannot be archived. "
       "Fix: export or copy the file again from its source."),
    _c("MA-IO-005", "timeout", E,
       "De controle duurde langer dan {seconds} s en is afgebroken.",
       "Checking took longer than {seconds} s and was stopped.",
       "Wat: het onderzoeken van dit bestand overschreed de tijdslimiet (--timeout). Waarom: "
       "een bestand dat een lezer laat vastlopen, is mogelijk misvormd of kwaadaardig en is "
       "niet gecontroleerd. Oplossen: exporteer het opnieuw; is het bestand echt groot en "
       "traag (bijv. een netwerkshare), verhoog dan --timeout.",
       "What: examining this file exceeded the time limit (--timeout). Why: a file that makes "
       "a reader hang may be malformed or malicious, and it has not been checked. Fix: export "
       "it again; if the file is genuinely large and slow (e.g. on a network share), raise "
       "--timeout.", unaudited=True),
    _c("MA-IO-006", "probe-failed", E,
       "Interne fout bij het onderzoeken van het bestand ({reason}).",
       "Internal error while examining the file ({reason}).",
       "Wat: een van de leesbibliotheken gaf een onverwachte fout. Waarom: het bestand is dan "
       "niet volledig gecontroleerd en wordt nooit goedgekeurd. Oplossen: meld het bestand "
       "aan de beheerder (zie SECURITY.md) en lever het zo nodig opnieuw aan.",
       "What: one of the reading libraries raised an unexpected error. Why: the file has then "
       "not been fully checked and never passes. Fix: report the file to the maintainers "
       "(see SECURITY.md) and supply it again if needed.", unaudited=True),
    _c("MA-IO-007", "decompression-bomb", E,
       "Het beeld claimt {pixels} pixels; dat is boven de veiligheidsgrens.",
       "The image claims {pixels} pixels, above the safety limit.",
       "Wat: de kop van het beeld vraagt om een enorme hoeveelheid geheugen. Waarom: zulke "
       "bestanden ('decompression bombs') kunnen systemen laten vastlopen. Oplossen: lever "
       "een beeld van normale afmetingen aan.",
       "What: the image header asks for an enormous amount of memory. Why: such files "
       "('decompression bombs') can bring systems down. Fix: supply an image of normal size."),
    _c("MA-IO-008", "not-a-regular-file", E,
       "Dit is geen gewoon bestand ({kind}).",
       "This is not a regular file ({kind}).",
       "Wat: een speciale invoer (pipe, apparaat, kapotte snelkoppeling). Waarom: er is niets "
       "te controleren of te plaatsen. Oplossen: verwijder het uit de uploadmap.",
       "What: a special entry (pipe, device, broken link). Why: there is nothing to check or "
       "post. Fix: remove it from the upload folder."),
    _c("MA-IO-009", "metadata-damaged", W,
       "Het {block}-metadatablok is beschadigd en is genegeerd ({reason}).",
       "The {block} metadata block is damaged and was ignored ({reason}).",
       "Wat: een metadatablok (EXIF, IPTC, PNG-tekst) kon niet gelezen worden. Waarom: wat "
       "erin staat (bijv. auteursrecht) telt dan niet mee, en beschadigde metadata wijst op "
       "een kapot of gemanipuleerd bestand. Oplossen: schrijf de metadata opnieuw met "
       "standaardsoftware of exporteer het bestand opnieuw.",
       "What: a metadata block (EXIF, IPTC, PNG text) could not be read. Why: what it holds "
       "(e.g. copyright) does not count, and damaged metadata suggests a broken or tampered "
       "file. Fix: write the metadata again with standard software or export the file again."),
    _c("MA-IO-010", "engine-cannot-read", INFO,
       "{engine} kan dit bestand niet lezen, {other} wel: het is niet beschadigd ({reason}).",
       "{engine} cannot read this file, {other} can: it is not damaged ({reason}).",
       "Wat: een van de programma's waarmee mediaaudit kijkt, kent deze variant van het "
       "formaat niet (bijv. 12-bits JPEG, een zeldzame BMP- of PCX-indeling); een ander "
       "programma leest het bestand wel helemaal. Waarom: dat is een beperking van het "
       "programma, geen schade aan het bestand; sommige platforms kunnen zo'n variant wel "
       "weigeren. Oplossen: niets nodig; wie zeker wil zijn, exporteert het opnieuw als "
       "gewone JPEG of PNG.",
       "What: one of the programs mediaaudit looks with does not know this variant of the "
       "format (e.g. 12-bit JPEG, a rare BMP or PCX layout); another program reads the whole "
       "file. Why: that is a limit of the program, not damage to the file; some platforms may "
       "still refuse such a variant. Fix: nothing needed; to be sure, export it again as an "
       "ordinary JPEG or PNG."),
    _c("MA-IO-011", "library-message", INFO,
       "Een decodeerbibliotheek meldde bij dit bestand: {details}",
       "A decoding library reported on this file: {details}",
       "Wat: een van de bibliotheken die het bestand lezen (libtiff, libjpeg, libav) schreef "
       "een waarschuwing. Waarom: die meldingen horen bij dit bestand en niet als ruis in de "
       "terminal; ze verklaren soms een andere bevinding (beschadigd) en zijn anders alleen "
       "ter informatie. Oplossen: niets nodig, tenzij een andere bevinding het bestand afkeurt.",
       "What: one of the libraries that read the file (libtiff, libjpeg, libav) wrote a "
       "warning. Why: such messages belong with this file, not as noise on the terminal; they "
       "sometimes explain another finding (damaged) and are otherwise for information only. "
       "Fix: nothing needed, unless another finding fails the file."),
    _c("MA-IO-012", "no-engine-reads", W,
       "Geen van de programma's hier kan deze variant tonen ({reason}); de opbouw van het "
       "bestand is wel compleet.",
       "No program here can show this variant ({reason}); the file's structure is complete.",
       "Wat: een geldige maar zeldzame variant van het formaat (bijv. TIFF met 10, 12 of 16 "
       "bits per kanaal of met drijvende komma, een BMP-kleurindeling) die Pillow en libav "
       "niet kennen; de opbouw klopt, er is geen teken van schade. Waarom: een platform dat "
       "dezelfde programma's gebruikt, kan het ook niet tonen. Oplossen: open het bestand "
       "in het programma waarmee het geplaatst wordt, of exporteer het als gewone JPEG, PNG "
       "of 8-bits TIFF.",
       "What: a valid but rare variant of the format (e.g. TIFF with 10, 12 or 16 bits per "
       "sample or floating point, a BMP colour layout) that Pillow and libav do not know; the "
       "structure is complete, with no sign of damage. Why: a platform built on the same "
       "programs cannot show it either. Fix: open it in the program that will post it, or "
       "export it as an ordinary JPEG, PNG or 8-bit TIFF."),
    # --- ARC: delivery archives (ZIP, tar) ----------------------------------------------
    _c("MA-ARC-001", "archive-refused", E,
       "Dit archief is niet uitgepakt: {reason}.",
       "This archive was not unpacked: {reason}.",
       "Wat: een ZIP- of tar-levering die groter, voller of sterker ingepakt is dan een "
       "levering van foto's en video's kan zijn (een 'zipbom'). Waarom: uitpakken zou de schijf "
       "vullen of de controle stilleggen; geen van de bestanden erin is dus gecontroleerd. "
       "Oplossen: vraag de afzender de bestanden los of in kleinere archieven te leveren.",
       "What: a ZIP or tar delivery larger, fuller or more compressed than a delivery of "
       "photos and video can be (a 'zip bomb'). Why: unpacking it would fill the disk or stall "
       "the audit, so none of its files was checked. Fix: ask the sender for the files "
       "themselves or in smaller archives."),
    _c("MA-ARC-002", "archive-unsafe-name", E,
       "Dit bestand in het archief heeft een onveilige naam en is niet uitgepakt.",
       "This file in the archive has an unsafe name and was not unpacked.",
       "Wat: de naam in het archief is absoluut (/…, C:…) of klimt uit de map (../). Waarom: "
       "uitpakken zou een bestand buiten de uploadmap schrijven ('zip slip'); zo'n archief is "
       "gemaakt om schade te doen of is kapot. Oplossen: vraag de afzender het bestand los of "
       "in een nieuw gemaakt archief te leveren.",
       "What: the name in the archive is absolute (/…, C:…) or climbs out of its folder (../). "
       "Why: unpacking it would write a file outside the upload folder ('zip slip'); such an "
       "archive was made to do harm or is broken. Fix: ask the sender for the file itself or "
       "a newly made archive."),
    _c("MA-ARC-003", "archive-link", E,
       "Dit is geen gewoon bestand in het archief ({kind}) en is niet uitgepakt.",
       "This is not a regular file in the archive ({kind}) and was not unpacked.",
       "Wat: een snelkoppeling, harde link, apparaat of pipe in een ZIP- of tar-archief. "
       "Waarom: zo'n ingang wijst naar iets buiten het archief en bevat geen beeld of video. "
       "Oplossen: vraag de afzender het bestand zelf te leveren.",
       "What: a symbolic or hard link, device or pipe in a ZIP or tar archive. Why: such an "
       "entry points outside the archive and holds no image or video. Fix: ask the sender "
       "for the file itself."),
    _c("MA-ARC-004", "archive-encrypted", E,
       "Dit bestand in het archief is versleuteld en kon niet gecontroleerd worden.",
       "This file in the archive is encrypted and could not be checked.",
       "Wat: het archief is met een wachtwoord beveiligd. Waarom: wat niet te lezen is, kan "
       "niet gecontroleerd of geplaatst worden. Oplossen: vraag de afzender om een levering "
       "zonder wachtwoord, of pak het archief zelf uit en zet de bestanden in de uploadmap.",
       "What: the archive is protected by a password. Why: what cannot be read cannot be "
       "checked or posted. Fix: ask the sender for a delivery without a password, or unpack "
       "it yourself and put the files in the upload folder.", unaudited=True),
    _c("MA-ARC-005", "archive-nested", E,
       "Dit archief zit {depth} lagen diep in de levering en is niet geopend.",
       "This archive lies {depth} levels deep in the delivery and was not opened.",
       "Wat: een archief in een archief in een archief. Waarom: één laag wordt geopend; "
       "dieper nesten is bij een echte levering niet nodig en is een bekende truc om "
       "controles te ontlopen. Oplossen: pak het binnenste archief uit en lever de bestanden "
       "zelf.",
       "What: an archive inside an archive inside an archive. Why: one level is opened; a "
       "real delivery needs no deeper nesting, and it is a known trick to dodge checks. "
       "Fix: unpack the inner archive and deliver its files themselves."),
    _c("MA-ARC-006", "archive-duplicate", E,
       "Het archief bevat een tweede bestand met deze naam; het is niet uitgepakt.",
       "The archive holds a second file of this name; it was not unpacked.",
       "Wat: twee ingangen in het archief hebben dezelfde naam (hoofdletters tellen niet). "
       "Waarom: bij uitpakken overschrijft de tweede de eerste, dus wat gecontroleerd wordt is "
       "niet wat een ander uitpakt. Oplossen: vraag de afzender om een archief met unieke namen.",
       "What: two entries in the archive have the same name (ignoring case). Why: unpacking "
       "lets the second overwrite the first, so what is checked is not what someone else "
       "unpacks. Fix: ask the sender for an archive with unique names."),
    # --- LIC: rights --------------------------------------------------------------
    _c("MA-LIC-001", "rights-unknown", E,
       "Geen informatie over auteursrecht of licentie gevonden.",
       "No copyright or licence information found.",
       "Wat: het bestand en zijn sidecars noemen geen licentie, maker of rechthebbende. "
       "Waarom: het Nationaal Archief vraagt alleen materiaal te plaatsen dat vrij is van "
       "rechten, open gelicenseerd is (Creative Commons) of waarvan het auteursrecht bij de "
       "organisatie ligt. Oplossen: voeg een licentie toe (XMP/IPTC in het bestand, een "
       "'NAAM.license'-bestand ernaast of een [[annotations]]-regel in mediaaudit.toml).",
       "What: the file and its sidecars name no licence, creator or rights holder. Why: the "
       "Nationaal Archief asks organisations to post only material that is free of rights, "
       "openly licensed (Creative Commons) or whose copyright lies with the organisation. "
       "Fix: add a licence (XMP/IPTC in the file, a 'NAME.license' file beside it or an "
       "[[annotations]] entry in mediaaudit.toml)."),
    _c("MA-LIC-002", "rights-restricted", E,
       "Auteursrecht voorbehouden door {holder}, zonder open licentie.",
       "Copyright reserved by {holder}, with no open licence.",
       "Wat: het bestand noemt een rechthebbende die niet de eigen organisatie is, en geen "
       "open licentie. Waarom: plaatsen zonder toestemming schendt het auteursrecht. "
       "Oplossen: regel een licentie of overdracht en leg die vast (sidecar of config), of "
       "gebruik ander materiaal.",
       "What: the file names a rights holder other than your organisation and no open "
       "licence. Why: posting without permission infringes copyright. Fix: arrange a licence "
       "or transfer and record it (sidecar or config), or use other material."),
    _c("MA-LIC-003", "rights-conflict", E,
       "Bronnen spreken elkaar tegen: {details}.",
       "Sources disagree: {details}.",
       "Wat: twee of meer metadatavelden noemen een andere licentie of rechthebbende. Waarom: "
       "bij tegenstrijdige rechteninformatie is niet vast te stellen of plaatsen mag. "
       "Oplossen: zoek uit welke bron klopt en corrigeer de metadata of leg het vast in een "
       "'.license'-sidecar.",
       "What: two or more metadata fields name a different licence or rights holder. Why: "
       "with conflicting rights information it cannot be decided whether posting is allowed. "
       "Fix: find out which source is right and correct the metadata, or record it in a "
       "'.license' sidecar."),
    _c("MA-LIC-004", "non-commercial", W,
       "De licentie {licence} staat geen commercieel gebruik toe.",
       "The licence {licence} does not allow commercial use.",
       "Wat: een NC-licentie (NietCommercieel). Waarom: overheidscommunicatie is meestal niet "
       "commercieel, maar plaatsing op een commercieel platform kan twijfel geven; je "
       "organisatie beslist. Oplossen: vraag zo nodig toestemming aan de maker.",
       "What: an NC (NonCommercial) licence. Why: government communication is usually not "
       "commercial, but posting on a commercial platform can raise doubt; your organisation "
       "decides. Fix: ask the creator for permission if needed."),
    _c("MA-LIC-005", "no-derivatives", W,
       "De licentie {licence} staat geen bewerkingen toe (ook niet bijsnijden).",
       "The licence {licence} does not allow derivatives (not even cropping).",
       "Wat: een ND-licentie (GeenAfgeleideWerken). Waarom: bijsnijden, ondertitelen of "
       "combineren is een bewerking. Oplossen: plaats het werk ongewijzigd of vraag "
       "toestemming.",
       "What: an ND (NoDerivatives) licence. Why: cropping, subtitling or combining is a "
       "derivative. Fix: post the work unchanged or ask permission."),
    _c("MA-LIC-006", "licence-unrecognised", E,
       "Licentietekst niet herkend: '{value}'.",
       "Licence text not recognised: '{value}'.",
       "Wat: een licentieveld bevat tekst die geen bekende Creative Commons-licentie of "
       "toegestane licentie is. Waarom: alleen herkende licenties kunnen goedgekeurd worden. "
       "Oplossen: gebruik de licentie-URL (bijv. https://creativecommons.org/licenses/by/4.0/) "
       "of voeg de licentie toe aan allowed_licences in mediaaudit.toml.",
       "What: a licence field holds text that is no known Creative Commons or allowed "
       "licence. Why: only recognised licences can pass. Fix: use the licence URL (e.g. "
       "https://creativecommons.org/licenses/by/4.0/) or add the licence to "
       "allowed_licences in mediaaudit.toml."),
    _c("MA-LIC-007", "xmp-rejected", W,
       "XMP-metadata geweigerd: {reason}.",
       "XMP metadata rejected: {reason}.",
       "Wat: het XMP-pakket is onleesbaar of onveilig (bijv. een DOCTYPE met entiteiten, "
       "een 'XML-bom'). Waarom: onveilige XML wordt nooit verwerkt; rechten daarin tellen dus "
       "niet mee. Oplossen: schrijf de metadata opnieuw met standaardsoftware.",
       "What: the XMP packet is unreadable or unsafe (e.g. a DOCTYPE with entities, an 'XML "
       "bomb'). Why: unsafe XML is never processed, so rights in it do not count. Fix: write "
       "the metadata again with standard software."),
    _c("MA-LIC-008", "attribution-required", INFO,
       "Vermeld bij plaatsing: {attribution}",
       "Credit when posting: {attribution}",
       "Wat: de licentie vraagt naamsvermelding. Waarom: zonder naamsvermelding wordt de "
       "licentie geschonden. Oplossen: neem deze tekst op bij het bericht.",
       "What: the licence requires attribution. Why: without attribution the licence is "
       "breached. Fix: include this text with the post."),
    _c("MA-LIC-009", "licence-version-missing", W,
       "Licentie zonder versie: {licence}.",
       "Licence without a version: {licence}.",
       "Wat: de licentie noemt geen versie (bijv. 'CC BY'). Waarom: de voorwaarden verschillen "
       "per versie. Oplossen: vul de versie aan (bijv. CC BY 4.0).",
       "What: the licence names no version (e.g. 'CC BY'). Why: the terms differ between "
       "versions. Fix: add the version (e.g. CC BY 4.0)."),
    _c("MA-LIC-010", "sidecar-unreadable", W,
       "Sidecar {sidecar} is onleesbaar en telt niet mee.",
       "Sidecar {sidecar} is unreadable and was ignored.",
       "Wat: het '.license'- of '.xmp'-bestand naast de media is geen geldige tekst. Waarom: "
       "rechten daarin tellen niet mee. Oplossen: schrijf de sidecar opnieuw (UTF-8, regels "
       "'SPDX-FileCopyrightText:' en 'SPDX-License-Identifier:').",
       "What: the '.license' or '.xmp' file beside the media is not valid text. Why: rights in "
       "it do not count. Fix: write the sidecar again (UTF-8, lines "
       "'SPDX-FileCopyrightText:' and 'SPDX-License-Identifier:')."),
    _c("MA-LIC-011", "licence-not-allowed", E,
       "De licentie {licence} staat niet in de lijst van toegestane licenties.",
       "The licence {licence} is not in the list of allowed licences.",
       "Wat: het bestand noemt een licentie (een eigen LicenseRef-… of een licentie die niet "
       "voor media bedoeld is) die de configuratie niet toestaat; in een SPDX-expressie met "
       "'AND' moet elk deel toegestaan zijn. Waarom: alleen vooraf goedgekeurde licenties "
       "(bijv. een gekochte stocklicentie) tellen. Oplossen: voeg de licentie toe aan "
       "allowed_licences in mediaaudit.toml als die echt is afgesloten.",
       "What: the file names a licence (a custom LicenseRef-… or one not meant for media) "
       "the configuration does not allow; in an SPDX expression with AND every part must be "
       "allowed. Why: only licences approved in advance (e.g. a bought stock licence) count. "
       "Fix: add it to allowed_licences in mediaaudit.toml if it really was obtained."),
    _c("MA-LIC-012", "attribution-impossible", W,
       "{licence} vraagt naamsvermelding, maar er is geen maker of bron bekend: "
       "naamsvermelding is zo niet mogelijk.",
       "{licence} requires attribution, but no author or credit is known: attribution is "
       "impossible as it stands.",
       "Wat: de licentie eist dat je de maker noemt, maar de metadata noemt geen maker, "
       "naamsvermelding (credit) of rechthebbende. Waarom: zonder naam schend je de licentie "
       "bij plaatsing. Oplossen: zoek de maker op bij de bron en leg die vast (XMP dc:creator "
       "of een .license-sidecar met SPDX-FileCopyrightText), of gebruik ander materiaal.",
       "What: the licence requires you to name the author, but the metadata names no "
       "creator, credit or holder. Why: posting without a name breaks the licence. Fix: find "
       "the author at the source and record it (XMP dc:creator or a .license sidecar with "
       "SPDX-FileCopyrightText), or use other material."),
    _c("MA-LIC-013", "public-domain-unclear", E,
       "Een verklaring over publiek domein ('{value}') noemt geen erkende verklaring of "
       "markering; de rechten zijn niet vast te stellen.",
       "A public-domain statement ('{value}') names no recognised dedication or mark; the "
       "rights cannot be established.",
       "Wat: de metadata zegt dat het beeld in het publiek domein is, maar noemt geen CC0 of "
       "Public Domain Mark en is te vaag om op te vertrouwen. Waarom: 'publiek domein' "
       "verschilt per land en wordt vaak ten onrechte gebruikt. Oplossen: controleer de bron; "
       "leg CC0-1.0 of CC-PDM-1.0 vast in een .license-sidecar als het klopt.",
       "What: the metadata says the image is in the public domain, but names neither CC0 nor "
       "the Public Domain Mark and is too vague to rely on. Why: 'public domain' differs per "
       "country and is often claimed wrongly. Fix: check the source; record CC0-1.0 or "
       "CC-PDM-1.0 in a .license sidecar if it is right."),
    _c("MA-LIC-014", "licence-missing", E,
       "Alleen een maker of bron is genoemd ({who}); er is geen licentie of toestemming "
       "vastgelegd.",
       "Only a creator or source is named ({who}); no licence or permission is recorded.",
       "Wat: de metadata noemt wie het beeld maakte of leverde, maar niet onder welke "
       "voorwaarden het gebruikt mag worden. Waarom: een naam is geen toestemming; zonder "
       "licentie is het auteursrecht voorbehouden. Oplossen: vraag de maker om een licentie "
       "en leg die vast (XMP, een .license-sidecar of een [[annotations]]-regel).",
       "What: the metadata names who made or supplied the image, but not on what terms it "
       "may be used. Why: a name is not permission; without a licence, copyright is "
       "reserved. Fix: ask the maker for a licence and record it (XMP, a .license sidecar "
       "or an [[annotations]] entry)."),
    _c("MA-LIC-015", "licence-choice", INFO,
       "De licentie-expressie '{expression}' biedt een keuze; beoordeeld is: {chosen}.",
       "The licence expression '{expression}' offers a choice; judged on: {chosen}.",
       "Wat: een SPDX-expressie met OR laat de gebruiker kiezen tussen licenties; mediaaudit "
       "koos een toegestane (bij voorkeur open) keuze. Waarom: bij plaatsing gelden de "
       "voorwaarden van de gekozen licentie. Oplossen: niets; vermeld bij plaatsing de "
       "gekozen licentie.",
       "What: an SPDX expression with OR lets the user choose between licences; mediaaudit "
       "took an allowed (preferably open) choice. Why: when posting, the terms of the chosen "
       "licence apply. Fix: nothing; name the chosen licence when posting."),
    # --- PRT: portrait rights ------------------------------------------------------
    _c("MA-PRT-001", "people-without-release", W,
       "Er staan personen op ({people}) zonder vastgelegde modeltoestemming.",
       "People are depicted ({people}) with no model release recorded.",
       "Wat: de metadata noemt afgebeelde personen, maar geen modelrelease (PLUS "
       "ModelReleaseStatus). Waarom: het portretrecht geeft personen zeggenschap over "
       "publicatie van hun beeltenis. Oplossen: leg de toestemming vast of gebruik een ander "
       "beeld.",
       "What: the metadata names people depicted, but no model release (PLUS "
       "ModelReleaseStatus). Why: portrait rights give people a say over publication of their "
       "likeness. Fix: record the consent or use another image."),
    _c("MA-PRT-002", "release-none", E,
       "Modeltoestemming expliciet 'geen' ({value}).",
       "Model release explicitly 'none' ({value}).",
       "Wat: de metadata zegt dat er geen modelrelease is. Waarom: zonder toestemming van "
       "herkenbare personen is plaatsen in strijd met hun portretrecht. Oplossen: vraag "
       "toestemming of gebruik een ander beeld.",
       "What: the metadata says there is no model release. Why: posting recognisable people "
       "without consent violates their portrait rights. Fix: obtain consent or use another "
       "image."),
    # --- PRV: privacy (AVG) --------------------------------------------------------
    _c("MA-PRV-001", "gps-position", W,
       "Het bestand bevat een GPS-positie ({where}).",
       "The file contains a GPS position ({where}).",
       "Wat: de opnamelocatie staat in de metadata. Waarom: de AVG vraagt dataminimalisatie; "
       "een locatie kan een woonadres of persoon verraden. Oplossen: 'mediaaudit fix "
       "BESTAND --out MAP --strip-location' (een kopie zonder locatie), 'exiftool -gps:all= "
       "-xmp:gps*= BESTAND' of 'Locatie verwijderen' bij het exporteren.",
       "What: the capture location is in the metadata. Why: the GDPR asks for data "
       "minimisation; a location can reveal a home address or a person. Fix: 'mediaaudit fix "
       "FILE --out DIR --strip-location' (a copy without location), 'exiftool -gps:all= "
       "-xmp:gps*= FILE' or 'remove location' on export."),
    _c("MA-PRV-002", "device-serial", W,
       "Het bestand bevat een serienummer van camera of telefoon ({value}).",
       "The file contains a camera or phone serial number ({value}).",
       "Wat: een serienummer van het toestel staat in de metadata. Waarom: het koppelt "
       "foto's aan een persoon of toestel (AVG). Oplossen: 'mediaaudit fix BESTAND "
       "--out MAP --strip-location' of 'exiftool -SerialNumber= -InternalSerialNumber= "
       "-LensSerialNumber= BESTAND'.",
       "What: a device serial number is in the metadata. Why: it links photos to a person or "
       "device (GDPR). Fix: 'mediaaudit fix FILE --out DIR --strip-location' or 'exiftool "
       "-SerialNumber= -InternalSerialNumber= -LensSerialNumber= FILE'."),
    _c("MA-PRV-003", "owner-name", W,
       "Het bestand bevat de naam van de eigenaar van het toestel ({value}).",
       "The file contains the device owner's name ({value}).",
       "Wat: de naam van de eigenaar van camera of telefoon staat in de metadata. Waarom: een "
       "persoonsgegeven dat niet nodig is voor plaatsing (AVG). Oplossen: 'mediaaudit "
       "fix BESTAND --out MAP --strip-location' of 'exiftool -OwnerName= -CameraOwnerName= "
       "BESTAND'.",
       "What: the camera or phone owner's name is in the metadata. Why: personal data not "
       "needed for posting (GDPR). Fix: 'mediaaudit fix FILE --out DIR --strip-location' or "
       "'exiftool -OwnerName= -CameraOwnerName= FILE'."),
)

CODES: Mapping[str, Code] = {c.code: c for c in _TABLE}


def get(code: str) -> Code:
    """The table row for ``code``; raises KeyError for an unknown code (a programming error)."""
    return CODES[code]


class _SafeDict(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


# --- engine texts inside messages -----------------------------------------------------
# Some parameters carry a text written by an engine or a library, in English ("JPEG ends
# before its end-of-image marker (cut at byte 1,234)", "Permission denied").  Decision:
# the finding's sentence is always in the user's language; every reason a structure
# walker gives is a ``Why`` member with a Dutch and an English form
# (``REASONS``: probe/structure/ builds its English text with ``reason()``, and a
# Dutch rendering recognises that text again, so stored and cached manifests are
# translated too); any other engine text is kept verbatim as a quoted technical detail
# (“…”), marked as such in Dutch, never mixed into a Dutch sentence as if it were one.

ENGINE_PARAMS = ("reason", "details", "condition", "kind")
"""Parameters whose value may be engine text in English."""


class Why(StrEnum):
    """Every structural reason by name, so that mypy catches a misspelt one where a walker
    names it; the value is the code the table knows it by.  ``check_reasons`` proves, when
    this module loads, that the enum and ``_REASONS`` name the same reasons."""

    JPEG_NO_EOI = "jpeg-no-eoi"
    JPEG_NO_EOI_DATA = "jpeg-no-eoi-data"
    JPEG_BROKEN = "jpeg-broken"
    JPEG_SEGMENT_PAST_END = "jpeg-segment-past-end"
    JPEG_HEADER_CUT = "jpeg-header-cut"
    PNG_NO_IEND = "png-no-iend"
    PNG_CHUNK_PAST_END = "png-chunk-past-end"
    PNG_BAD_CRC = "png-bad-crc"
    BMP_HEADER_CUT = "bmp-header-cut"
    BMP_DATA_PAST_END = "bmp-data-past-end"
    PNG_NO_IDAT = "png-no-idat"
    PNG_IDAT_SPLIT = "png-idat-split"
    PNG_IDAT_SHORT = "png-idat-short"
    PNG_IDAT_CORRUPT = "png-idat-corrupt"
    JP2_COLR_NO_ICC = "jp2-colr-no-icc"
    NO_SAMPLES = "no-samples"
    OGG_PAGE_LOST = "ogg-page-lost"
    PNG_PALETTE_INDEX = "png-palette-index"
    NAL_SPLIT = "nal-split"
    DECODER_SAYS = "decoder-says"
    PNG_BAD_FILTER = "png-bad-filter"
    GIF_NO_TRAILER = "gif-no-trailer"
    TIFF_DATA_PAST_END = "tiff-data-past-end"
    BOX_CLAIMS = "box-claims"
    NO_MOOV = "no-moov"
    SAMPLES_MISSING = "samples-missing"
    SEGMENT_CLAIMS = "segment-claims"
    RIFF_CLAIMS = "riff-claims"
    MXF_NO_FOOTER = "mxf-no-footer"
    MP3_EARLY = "mp3-early"
    FLAC_EARLY = "flac-early"
    OGG_NO_EOS = "ogg-no-eos"
    MEDIAINFO_TRUNCATED = "mediainfo-truncated"
    NO_TRACK = "no-track"
    ARCHIVE_MEMBERS = "archive-members"
    ARCHIVE_SIZE = "archive-size"
    ARCHIVE_RATIO = "archive-ratio"
    AUDIO_UNREADABLE = "audio-unreadable"
    AUDIO_UNREADABLE_NO_FRAMES = "audio-unreadable-no-frames"
    AUDIO_NO_FRAMES = "audio-no-frames"
    AUDIO_FRAME_HEADER_CUT = "audio-frame-header-cut"
    AUDIO_NO_FRAME_RUN = "audio-no-frame-run"
    AUDIO_FRAME_CUT = "audio-frame-cut"
    MP3_ID3_CUT = "mp3-id3-cut"
    FLAC_STREAMINFO_CUT = "flac-streaminfo-cut"
    FLAC_LAST_FRAME_CUT = "flac-last-frame-cut"
    OGG_BROKEN = "ogg-broken"
    OGG_HEADER_CUT = "ogg-header-cut"
    OGG_PAGE_PAST_END = "ogg-page-past-end"
    BOX_HEADER_CUT = "box-header-cut"
    BOX_BROKEN = "box-broken"
    NO_META = "no-meta"
    NO_META_NOR_MOOV = "no-meta-nor-moov"
    EBML_HEADER_CUT = "ebml-header-cut"
    EBML_NO_SEGMENT = "ebml-no-segment"
    EBML_ELEMENT_HEADER_CUT = "ebml-element-header-cut"
    EBML_ELEMENT_PAST_END = "ebml-element-past-end"
    EBML_ELEMENT_PAST_SEGMENT = "ebml-element-past-segment"
    JPEG_MPF_PAST_END = "jpeg-mpf-past-end"
    JP2_DAMAGED = "jp2-damaged"
    JP2_NO_CODESTREAM = "jp2-no-codestream"
    J2K_NO_EOC = "j2k-no-eoc"
    J2K_DAMAGED = "j2k-damaged"
    MXF_HEADER_CUT = "mxf-header-cut"
    MXF_FOOTER_PAST_END = "mxf-footer-past-end"
    MXF_FOOTER_NOT_THERE = "mxf-footer-not-there"
    MXF_NO_ESSENCE = "mxf-no-essence"
    MXF_FOOTER_CUT = "mxf-footer-cut"
    PNG_HEADER_CUT = "png-header-cut"
    PNG_BROKEN = "png-broken"
    APNG_NO_FRAMES = "apng-no-frames"
    RIFF_HEADER_CUT = "riff-header-cut"
    RIFF_CHUNK_PAST_END = "riff-chunk-past-end"
    SVG_NOT_XML = "svg-not-xml"
    TIFF_HEADER_CUT = "tiff-header-cut"
    TIFF_IFD_BEYOND_END = "tiff-ifd-beyond-end"
    TIFF_IFD_PAST_END = "tiff-ifd-past-end"
    TIFF_TAG_PAST_END = "tiff-tag-past-end"
    J2K_BOX_LENGTH = "j2k-box-length"
    J2K_NO_EOC_MARKER = "j2k-no-eoc-marker"
    J2K_TILE_PART_PAST_END = "j2k-tile-part-past-end"
    J2K_TILE_PARTS_MISSING = "j2k-tile-parts-missing"
    J2K_TILES_MISSING = "j2k-tiles-missing"
    J2K_TILE_PART_EMPTY = "j2k-tile-part-empty"
    J2K_NO_CODESTREAM_BOX = "j2k-no-codestream-box"
    J2K_NO_SOC = "j2k-no-soc"
    J2K_NO_IMAGE_HEADER = "j2k-no-image-header"
    J2K_NO_COD = "j2k-no-cod"
    J2K_NO_QCD = "j2k-no-qcd"
    J2K_NO_COLOUR_BOX = "j2k-no-colour-box"
    J2K_HEADER_CONTRADICTS = "j2k-header-contradicts"
    J2K_DEPTH_CONTRADICTS = "j2k-depth-contradicts"


@dataclass(frozen=True)
class Reason:
    """One structural reason: a code, its English form (what the structure walkers write into the
    manifest) and its Dutch form, with the same ``{fields}``."""

    code: Why
    en: str
    nl: str


_REASONS: tuple[Reason, ...] = (
    Reason(Why.JPEG_NO_EOI, "JPEG ends before its end-of-image marker (cut at byte {at})",
           "de JPEG houdt op vóór de eindmarkering van het beeld (afgebroken bij byte {at})"),
    Reason(Why.JPEG_NO_EOI_DATA,
           "JPEG ends before its end-of-image marker (cut at byte {at}, inside the image data)",
           "de JPEG houdt op vóór de eindmarkering van het beeld (afgebroken bij byte {at}, "
           "midden in de beeldgegevens)"),
    Reason(Why.JPEG_BROKEN, "JPEG segment structure is broken at byte {at}",
           "de opbouw van de JPEG-segmenten klopt niet bij byte {at}"),
    Reason(Why.JPEG_SEGMENT_PAST_END, "JPEG segment {name} runs past the end of the file",
           "JPEG-segment {name} loopt door tot voorbij het einde van het bestand"),
    Reason(Why.JPEG_HEADER_CUT, "JPEG ends inside a segment header (cut at byte {at})",
           "de JPEG houdt op midden in een segmentkop (afgebroken bij byte {at})"),
    Reason(Why.PNG_NO_IEND, "PNG ends without its IEND chunk",
           "de PNG houdt op zonder het afsluitende IEND-blok"),
    Reason(Why.PNG_CHUNK_PAST_END, "PNG chunk {name} runs past the end of the file",
           "PNG-blok {name} loopt door tot voorbij het einde van het bestand"),
    Reason(Why.PNG_BAD_CRC,
           "PNG chunk {name} at byte {at} fails its checksum (its bytes were changed)",
           "PNG-blok {name} op byte {at} klopt niet met zijn controlegetal (de bytes zijn "
           "veranderd)"),
    Reason(Why.BMP_HEADER_CUT, "BMP ends inside its header (cut at byte {at})",
           "de BMP houdt op midden in zijn kop (afgebroken bij byte {at})"),
    Reason(Why.BMP_DATA_PAST_END,
           "BMP pixel data needs {need} bytes, the file has {size}",
           "de BMP-beeldgegevens hebben {need} bytes nodig, het bestand heeft er {size}"),
    Reason(Why.PNG_NO_IDAT, "PNG has no image data (no IDAT chunk)",
           "de PNG bevat geen beeldgegevens (geen IDAT-blok)"),
    Reason(Why.PNG_IDAT_SPLIT, "PNG image data is split by chunk {name} at byte {at} (IDAT chunks "
           "must follow each other)",
           "de beeldgegevens van de PNG worden onderbroken door blok {name} op byte {at} "
           "(IDAT-blokken moeten direct op elkaar volgen)"),
    Reason(Why.PNG_IDAT_SHORT, "PNG image data ends after {got} of the {need} bytes its {w}×{h} "
           "image needs",
           "de beeldgegevens van de PNG houden op na {got} van de {need} bytes die het beeld "
           "van {w}×{h} nodig heeft"),
    Reason(Why.PNG_IDAT_CORRUPT, "PNG image data cannot be unpacked: {why}",
           "de beeldgegevens van de PNG zijn niet uit te pakken: {why}"),
    Reason(Why.JP2_COLR_NO_ICC,
           "JPEG 2000 colour specification box names an ICC profile but holds {got} bytes of it",
           "het kleurruimteblok van de JPEG 2000 noemt een ICC-profiel maar bevat er {got} "
           "bytes van"),
    Reason(Why.NO_SAMPLES, "{fmt} holds no media samples (its tracks are empty, as in an "
           "initialisation segment without its media segments)",
           "de {fmt} bevat geen mediagegevens (de sporen zijn leeg, zoals in een "
           "initialisatiesegment zonder de bijbehorende mediasegmenten)"),
    Reason(Why.OGG_PAGE_LOST, "Ogg page structure is broken at byte {at}: {skipped} bytes until "
           "the next page, and a page is missing",
           "de opbouw van de Ogg-pagina's klopt niet bij byte {at}: {skipped} bytes tot de "
           "volgende pagina, en er ontbreekt een pagina"),
    Reason(Why.PNG_PALETTE_INDEX, "PNG image uses colour {index} of a palette that has "
           "{colours} colours (numbered from 0)",
           "de PNG gebruikt kleur {index} van een palet met {colours} kleuren (genummerd "
           "vanaf 0)"),
    Reason(Why.DECODER_SAYS, "{engine}, decoding all of it, finds the coded data damaged: {why}",
           "{engine} decodeert alles en vindt fouten in de gecodeerde gegevens: “{why}”"),
    Reason(Why.NAL_SPLIT, "the video frame at byte {at} ({size} bytes) cannot be split into its "
           "NAL units: a length inside it is wrong",
           "het videobeeld op byte {at} ({size} bytes) is niet in zijn NAL-eenheden te "
           "splitsen: een lengte erin klopt niet"),
    Reason(Why.PNG_BAD_FILTER, "PNG image row {row} has an invalid filter type {value}",
           "beeldregel {row} van de PNG heeft een ongeldig filtertype {value}"),
    Reason(Why.GIF_NO_TRAILER, "GIF ends before its trailer byte (cut at byte {at})",
           "de GIF houdt op vóór de afsluitende byte (afgebroken bij byte {at})"),
    Reason(Why.TIFF_DATA_PAST_END,
           "TIFF {what} data runs past the end of the file (needs byte {need}, "
           "the file has {size})",
           "de TIFF-beeldgegevens ({what}) lopen door tot voorbij het einde van het bestand "
           "(nodig tot byte {need}, het bestand heeft er {size})"),
    Reason(Why.BOX_CLAIMS,
           "{fmt} box {name} claims {claimed} bytes, but the file ends after {left}",
           "{fmt}-box {name} zou {claimed} bytes bevatten, maar het bestand houdt op na {left}"),
    Reason(Why.NO_MOOV,
           "{fmt} has no moov box (the movie index is missing; the file is incomplete)",
           "{fmt} heeft geen moov-box (de index van de film ontbreekt; het bestand is "
           "onvolledig)"),
    Reason(Why.SAMPLES_MISSING, "{fmt} indexes {declared} bytes of samples, but its media data "
           "holds {media}",
           "{fmt} verwijst naar {declared} bytes aan mediagegevens, maar bevat er {media}"),
    Reason(Why.SEGMENT_CLAIMS,
           "{fmt} Segment claims {claimed} bytes, but the file ends after {left}",
           "{fmt}-segment zou {claimed} bytes bevatten, maar het bestand houdt op na {left}"),
    Reason(Why.RIFF_CLAIMS, "{fmt} claims {claimed} bytes (RIFF header), the file has {size}",
           "{fmt} zou {claimed} bytes bevatten (RIFF-kop), het bestand heeft er {size}"),
    Reason(Why.MXF_NO_FOOTER, "MXF has no footer partition (the file was not finished)",
           "de MXF heeft geen afsluitende partitie (het bestand is niet afgemaakt)"),
    Reason(Why.MP3_EARLY, "MP3 ends early: its header declares {declared} bytes of audio, "
           "the file has {size}",
           "de MP3 houdt te vroeg op: de kop meldt {declared} bytes audio, het bestand "
           "heeft er {size}"),
    Reason(Why.FLAC_EARLY, "FLAC ends early: its last frame ends at sample {got} of {total}",
           "de FLAC houdt te vroeg op: het laatste frame eindigt bij sample {got} van {total}"),
    Reason(Why.OGG_NO_EOS,
           "Ogg stream ends without its end-of-stream page (the file is incomplete)",
           "de Ogg-stroom houdt op zonder slotpagina (het bestand is onvolledig)"),
    # the walkers' other reasons, by format family
    Reason(Why.AUDIO_UNREADABLE, "{fmt} cannot be read: {why}",
           "de {fmt} is niet te lezen: {why}"),
    Reason(Why.AUDIO_UNREADABLE_NO_FRAMES, "{fmt} cannot be read: no audio frames found",
           "de {fmt} is niet te lezen: geen audioframes gevonden"),
    Reason(Why.AUDIO_NO_FRAMES, "{fmt} has no audio frames",
           "de {fmt} bevat geen audioframes"),
    Reason(Why.AUDIO_FRAME_HEADER_CUT, "{fmt} ends inside the frame header at byte {at}",
           "de {fmt} houdt op midden in de framekop op byte {at}"),
    Reason(Why.AUDIO_NO_FRAME_RUN, "{fmt} has no run of valid audio frames at byte {at}",
           "de {fmt} heeft op byte {at} geen reeks geldige audioframes"),
    Reason(Why.AUDIO_FRAME_CUT,
           "{fmt} ends inside an audio frame (frame at byte {at} needs {need} bytes, the audio "
           "ends after {left})",
           "de {fmt} houdt op midden in een audioframe (het frame op byte {at} heeft {need} "
           "bytes nodig, de audio houdt op na {left})"),
    Reason(Why.MP3_ID3_CUT, "MP3 ends inside its ID3 tag",
           "de MP3 houdt op midden in zijn ID3-tag"),
    Reason(Why.FLAC_STREAMINFO_CUT, "FLAC ends inside its STREAMINFO block (cut at byte {at})",
           "de FLAC houdt op midden in zijn STREAMINFO-blok (afgebroken bij byte {at})"),
    Reason(Why.FLAC_LAST_FRAME_CUT, "FLAC ends inside its last audio frame",
           "de FLAC houdt op midden in zijn laatste audioframe"),
    Reason(Why.OGG_BROKEN, "Ogg page structure is broken at byte {at}",
           "de opbouw van de Ogg-pagina's klopt niet bij byte {at}"),
    Reason(Why.OGG_HEADER_CUT, "Ogg ends inside a page header (cut at byte {at})",
           "de Ogg houdt op midden in een paginakop (afgebroken bij byte {at})"),
    Reason(Why.OGG_PAGE_PAST_END, "Ogg page at byte {at} runs past the end of the file",
           "de Ogg-pagina op byte {at} loopt door tot voorbij het einde van het bestand"),
    Reason(Why.BOX_HEADER_CUT, "{fmt} ends inside the header of box {name}",
           "de {fmt} houdt op midden in de kop van box {name}"),
    Reason(Why.BOX_BROKEN, "{fmt} box structure is broken at byte {at}",
           "de opbouw van de {fmt}-boxen klopt niet bij byte {at}"),
    Reason(Why.NO_META, "{fmt} has no meta box (the image description is missing)",
           "{fmt} heeft geen meta-box (de beschrijving van het beeld ontbreekt)"),
    Reason(Why.NO_META_NOR_MOOV, "{fmt} has neither a meta nor a moov box",
           "{fmt} heeft geen meta-box en ook geen moov-box"),
    Reason(Why.EBML_HEADER_CUT, "{fmt} ends inside its EBML header",
           "de {fmt} houdt op midden in zijn EBML-kop"),
    Reason(Why.EBML_NO_SEGMENT, "{fmt} has no Segment (cut at byte {at})",
           "de {fmt} heeft geen Segment (afgebroken bij byte {at})"),
    Reason(Why.EBML_ELEMENT_HEADER_CUT, "{fmt} ends inside an element header at byte {at}",
           "de {fmt} houdt op midden in een elementkop op byte {at}"),
    Reason(Why.EBML_ELEMENT_PAST_END, "{fmt} element {name} runs past the end of the file",
           "{fmt}-element {name} loopt door tot voorbij het einde van het bestand"),
    Reason(Why.EBML_ELEMENT_PAST_SEGMENT, "{fmt} element {name} runs past the end of its Segment",
           "{fmt}-element {name} loopt door tot voorbij het einde van zijn Segment"),
    Reason(Why.JPEG_MPF_PAST_END,
           "JPEG lists a second image (MPF) of {length} bytes at byte {at}, but the file ends "
           "after {size}",
           "de JPEG noemt een tweede beeld (MPF) van {length} bytes op byte {at}, maar het "
           "bestand houdt op na {size}"),
    Reason(Why.JP2_DAMAGED, "JPEG 2000 is damaged or incomplete: {why}",
           "de JPEG 2000 is beschadigd of onvolledig: {why}"),
    Reason(Why.JP2_NO_CODESTREAM, "JPEG 2000 has no codestream box",
           "de JPEG 2000 heeft geen codestream-box"),
    Reason(Why.J2K_NO_EOC, "JPEG 2000 codestream does not end with its end-of-codestream marker",
           "de codestream van de JPEG 2000 eindigt niet met zijn eindmarkering"),
    Reason(Why.J2K_DAMAGED, "JPEG 2000 codestream is damaged or incomplete: {why}",
           "de codestream van de JPEG 2000 is beschadigd of onvolledig: {why}"),
    Reason(Why.MXF_HEADER_CUT, "MXF ends inside its header partition (cut at byte {at})",
           "de MXF houdt op midden in de kop-partitie (afgebroken bij byte {at})"),
    Reason(Why.MXF_FOOTER_PAST_END,
           "MXF footer partition is at byte {at}, past the end of the file",
           "de afsluitende partitie van de MXF staat op byte {at}, voorbij het einde van het "
           "bestand"),
    Reason(Why.MXF_FOOTER_NOT_THERE, "MXF has no footer partition at byte {at}",
           "de MXF heeft geen afsluitende partitie op byte {at}"),
    Reason(Why.MXF_NO_ESSENCE, "MXF holds no essence: its essence elements are all empty",
           "de MXF bevat geen beeld of geluid: al zijn essence-elementen zijn leeg"),
    Reason(Why.MXF_FOOTER_CUT, "MXF ends inside its footer (cut at byte {at})",
           "de MXF houdt op midden in de afsluitende partitie (afgebroken bij byte {at})"),
    Reason(Why.PNG_HEADER_CUT, "PNG ends inside a chunk header (cut at byte {at})",
           "de PNG houdt op midden in een blokkop (afgebroken bij byte {at})"),
    Reason(Why.PNG_BROKEN, "PNG chunk structure is broken at byte {at}",
           "de opbouw van de PNG-blokken klopt niet bij byte {at}"),
    Reason(Why.APNG_NO_FRAMES, "animated PNG declares zero frames (acTL)",
           "de bewegende PNG meldt nul beelden (acTL)"),
    Reason(Why.RIFF_HEADER_CUT, "RIFF file ends inside its header (cut at byte {at})",
           "het RIFF-bestand houdt op midden in zijn kop (afgebroken bij byte {at})"),
    Reason(Why.RIFF_CHUNK_PAST_END, "{fmt} chunk {name} runs past the end of the file",
           "{fmt}-blok {name} loopt door tot voorbij het einde van het bestand"),
    Reason(Why.SVG_NOT_XML, "SVG is not well-formed XML ({why})",
           "de SVG is geen welgevormde XML ({why})"),
    Reason(Why.TIFF_HEADER_CUT, "TIFF ends inside its header (cut at byte {at})",
           "de TIFF houdt op midden in zijn kop (afgebroken bij byte {at})"),
    Reason(Why.TIFF_IFD_BEYOND_END, "TIFF directory at byte {at} lies past the end of the file",
           "de TIFF-directory op byte {at} ligt voorbij het einde van het bestand"),
    Reason(Why.TIFF_IFD_PAST_END, "TIFF directory at byte {at} runs past the end of the file",
           "de TIFF-directory op byte {at} loopt door tot voorbij het einde van het bestand"),
    Reason(Why.TIFF_TAG_PAST_END, "TIFF tag {tag} value runs past the end of the file",
           "de waarde van TIFF-tag {tag} loopt door tot voorbij het einde van het bestand"),
    # jpylyzer's structural tests, as the parts of "JPEG 2000 is damaged or incomplete: …"
    Reason(Why.J2K_BOX_LENGTH, "a box runs past the end of the file",
           "een box loopt door tot voorbij het einde van het bestand"),
    Reason(Why.J2K_NO_EOC_MARKER, "no end-of-codestream marker",
           "geen eindmarkering van de codestream"),
    Reason(Why.J2K_TILE_PART_PAST_END, "a tile-part runs past the end of the codestream",
           "een tegeldeel loopt door tot voorbij het einde van de codestream"),
    Reason(Why.J2K_TILE_PARTS_MISSING, "tile-parts are missing",
           "er ontbreken tegeldelen"),
    Reason(Why.J2K_TILES_MISSING, "tiles are missing",
           "er ontbreken tegels"),
    Reason(Why.J2K_TILE_PART_EMPTY, "a tile-part has no data",
           "een tegeldeel bevat geen gegevens"),
    Reason(Why.J2K_NO_CODESTREAM_BOX, "no codestream box",
           "geen codestream-box"),
    Reason(Why.J2K_NO_SOC, "the codestream does not start with SOC",
           "de codestream begint niet met SOC"),
    Reason(Why.J2K_NO_IMAGE_HEADER, "no image header box",
           "geen box met de beeldkop"),
    Reason(Why.J2K_NO_COD, "no COD marker",
           "geen COD-markering"),
    Reason(Why.J2K_NO_QCD, "no QCD marker",
           "geen QCD-markering"),
    Reason(Why.J2K_NO_COLOUR_BOX, "no colour specification box",
           "geen kleurruimteblok"),
    Reason(Why.J2K_HEADER_CONTRADICTS, "the image header contradicts the codestream",
           "de beeldkop spreekt de codestream tegen"),
    Reason(Why.J2K_DEPTH_CONTRADICTS, "the bit depth box contradicts the codestream",
           "het bitdiepteblok spreekt de codestream tegen"),
    Reason(Why.MEDIAINFO_TRUNCATED, "MediaInfo: truncated", "MediaInfo: afgebroken"),
    Reason(Why.NO_TRACK, "no audio or video track found", "geen audio- of videospoor gevonden"),
    Reason(Why.ARCHIVE_MEMBERS, "it holds more than {limit} files",
           "het bevat meer dan {limit} bestanden"),
    Reason(Why.ARCHIVE_SIZE, "its files would take more than {limit}",
           "de bestanden erin zouden meer dan {limit} innemen"),
    Reason(Why.ARCHIVE_RATIO, "unpacked it would be more than {ratio} times its own size",
           "uitgepakt zou het meer dan {ratio} keer zo groot zijn als het archief zelf"),
)


def check_reasons(rows: Sequence[Reason]) -> None:
    """Refuse a reason table that does not match ``Why`` both ways, names a reason twice,
    or whose Dutch and English texts fill different ``{fields}``: called on ``_REASONS``
    when this module loads, so a reason a walker can name but no report can say stops the
    import (a failed test) instead of reaching a user as an unknown reason."""
    found = problems("codes.REASONS", {str(r.code): {"en": r.en, "nl": r.nl} for r in rows},
                     [str(w) for w in Why])
    counted = Counter(str(r.code) for r in rows)
    found += [f"codes.REASONS: {code!r} has {n} rows" for code, n in counted.items() if n > 1]
    if found:
        raise TextTableError("; ".join(found))


check_reasons(_REASONS)
REASONS: Mapping[Why, Reason] = {r.code: r for r in _REASONS}

# Short engine values with a fixed meaning (``kind`` of MA-IO-008 and the like).
_VALUES: Mapping[str, Mapping[str, str]] = {
    "broken symlink": {"nl": "kapotte snelkoppeling"},
    "symlink loop": {"nl": "snelkoppeling in een kringloop"},
    "fifo": {"nl": "pipe"}, "named pipe": {"nl": "pipe"},
    "socket": {"nl": "socket"}, "device": {"nl": "apparaat"},
    "character device": {"nl": "apparaat"}, "block device": {"nl": "apparaat"},
    "directory": {"nl": "map"}, "folder": {"nl": "map"}, "symlink": {"nl": "snelkoppeling"},
    "special file": {"nl": "speciaal bestand"},
    "hard link": {"nl": "harde link"}, "special entry": {"nl": "speciale ingang"},
    # the evaluation's own words when Content Credentials gave no reason of their own
    "validation failed": {"nl": "de controle mislukte"},
    "not verified": {"nl": "niet geverifieerd"},
    "validation failed without a status code": {"nl": "de controle mislukte zonder statuscode"},
}


class UnknownReason(Exception):
    """A structure walker named a reason this table does not have.  Not a KeyError: the
    walkers' "no opinion" guard catches those, and a file whose damage could not be
    named would then have been reported intact; this reaches the probe's guard instead
    and the file is "could not audit" (MA-IO-006)."""


def reason(code: Why, **args: Any) -> str:
    """The English text of a structural reason (what is stored in the manifest).  Looked up
    at the call, not trusted from the enum: a table that lost a row still says so here."""
    found = REASONS.get(code)
    if found is None:
        raise UnknownReason(f"structure reason {str(code)!r} is not in codes.REASONS")
    return found.en.format(**args)


def _pattern(template: str) -> re.Pattern[str]:
    parts = re.split(r"\{(\w+)\}", template)
    rx = "".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>.+?)" for i, p in enumerate(parts))
    return re.compile(rx)


# The most specific template first: "… (cut at byte {at}, inside the image data)" must not
# be read as "… (cut at byte {at})" with a long {at}.
_PATTERNS = tuple((_pattern(r.en), r) for r in sorted(
    _REASONS, key=lambda r: -len(re.sub(r"\{\w+\}", "", r.en))))


def reason_code(text: str) -> Why | None:
    """The reason code of an English engine text, if it is one of ``REASONS``."""
    for rx, r in _PATTERNS:
        if rx.fullmatch(text):
            return r.code
    return None


def _dutch_number(v: str) -> str:
    """'2,650' → '2.650' (Dutch groups thousands with a dot)."""
    return v.replace(",", ".") if re.fullmatch(r"\d{1,3}(,\d{3})+", v) else v


def _said(text: str, lang: str, *, nested: bool) -> str | None:
    """A known reason's text in ``lang``, None for any other text.  With ``nested``, a
    field that is itself a list of known reasons ("JPEG 2000 is damaged or incomplete:
    tiles are missing; no COD marker") is said in ``lang`` too, part by part."""
    for rx, r in _PATTERNS:
        m = rx.fullmatch(text)
        if m:
            args = {k: _field(v, lang) if nested else _dutch_number(v)
                    for k, v in m.groupdict().items()}
            return getattr(r, lang, r.en).format(**args)
    return None


def _field(value: str, lang: str) -> str:
    parts = [_said(p, lang, nested=False) for p in value.split("; ")]
    if all(p is None for p in parts):
        return _dutch_number(value)
    return "; ".join(p or raw for p, raw in zip(parts, value.split("; "), strict=True))


def localise(text: str, lang: str) -> str:
    """An engine text in ``lang``: the translation of a known reason or value, else the
    text verbatim as a quoted technical detail (marked as such outside English)."""
    if lang == "en" or not text:
        return text
    said = _said(text, lang, nested=True)
    if said is not None:
        return said
    value = _VALUES.get(text.strip().lower(), {}).get(lang)
    if value is not None:
        return value
    return {"nl": "technische melding: “{t}”"}.get(lang, "“{t}”").format(t=text)


_FACES = re.compile(r"(\d+) face(?:s|\(s\))?")
_PEOPLE = {"model age given": {"nl": "leeftijd van het model opgegeven"}}
_FACE_WORDS = {"nl": ("gezicht", "gezichten"), "en": ("face", "faces")}


def _people(value: str, lang: str) -> str:
    """Who is depicted (MA-PRT-001): names as they are; the evaluation's own words ('2
    faces', 'model age given') in ``lang``, in the singular for one face."""
    m = _FACES.fullmatch(value)
    if m:
        n = int(m.group(1))
        one, many = _FACE_WORDS.get(lang, _FACE_WORDS["en"])
        return f"{n} {one if n == 1 else many}"
    return _PEOPLE.get(value, {}).get(lang, value)


def render(code: str, params: Mapping[str, Any], lang: str) -> str:
    """The message for a finding in ``lang``; a missing parameter is shown as ``{name}``.
    Engine texts in ``ENGINE_PARAMS`` are translated or quoted (see ``localise``)."""
    template = CODES[code].message.get(lang) or CODES[code].message["en"]
    shown = dict(params)
    for key in ENGINE_PARAMS:
        if isinstance(shown.get(key), str):
            shown[key] = localise(shown[key], lang)
    if isinstance(shown.get("people"), str):
        shown["people"] = _people(shown["people"], lang)
    return template.format_map(_SafeDict(shown))


def explain_parts(code: str, lang: str) -> list[tuple[str, str]]:
    """The explanation split into (heading, text) for What / Why / How to fix."""
    text = explain(code, lang)
    markers = {"nl": ("Wat:", "Waarom:", "Oplossen:"), "en": ("What:", "Why:", "Fix:")}
    heads = {"nl": ("Wat", "Waarom", "Oplossen"), "en": ("What", "Why", "How to fix")}
    ms, hs = markers.get(lang, markers["en"]), heads.get(lang, heads["en"])
    out: list[tuple[str, str]] = []
    rest = text
    for i, marker in enumerate(ms):
        if marker not in rest:
            continue
        before, rest = rest.split(marker, 1)
        if out:
            out[-1] = (out[-1][0], before.strip())
        out.append((hs[i], ""))
    if out:
        out[-1] = (out[-1][0], rest.strip())
        return out
    return [("", text.strip())]


def explain(code: str, lang: str) -> str:
    """What / why / how-to-fix text for ``explain``."""
    return CODES[code].explanation.get(lang) or CODES[code].explanation["en"]


def lookup(text: str) -> Code | None:
    """Find a code by id (any case) or by its short name."""
    key = text.strip().upper()
    if key in CODES:
        return CODES[key]
    for c in _TABLE:
        if c.name == text.strip().lower():
            return c
    return None
