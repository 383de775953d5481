"""One lookup for every table of words mediaaudit says in Dutch and in English.

The command line, ``fix``, ``archive``, the watch log and the reports each keep their
own table of sentences; each used to look a key up with an English fallback of its own.
``Texts`` is that table once, and it is checked when the module that builds it is
loaded: every entry has both languages, and both fill the same placeholders.  A Dutch
sentence that lacks the ``{path}`` its English one shows, or that asks for a parameter
the caller never gives (a KeyError for Dutch users only), stops the import instead of
reaching a user.  ``say`` is the one lookup; ``Phrase`` is a sentence decided long
before the run's language is known (a refusal, a reason a file was not fixed).

Keys are typed: a table of ``Texts[Key]``, where ``Key`` is a ``Literal`` of its keys,
lets mypy reject a misspelt key at every call site, and ``keys=get_args(Key)`` makes
the load-time check prove that the table and the type list the same keys.  Pure: no
I/O.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from string import Formatter
from types import MappingProxyType
from typing import Any, ClassVar, Final, Generic, TypeGuard, TypeVar

LANGS: Final = ("nl", "en")
# The language of a text asked for in a language no table has (a crafted manifest's
# ``lang`` is "x"): English, as the JSON manifest's field names are.
FALLBACK: Final = "en"
# A duration the user typed ("2.5" seconds) is handed over as text; Dutch writes the
# decimal comma ("2,5 s"), so these parameters take the language's decimal sign.
DURATIONS: Final = ("every", "seconds")

K = TypeVar("K", bound=str)


class TextTableError(ValueError):
    """A table of texts that would say something wrong in one language: raised while
    its module is imported, so the mistake is a failed test, never a user's traceback."""


def placeholders(template: str) -> frozenset[str]:
    """The parameters a template fills: ``{path}`` and ``{root!r}`` are ``path`` and
    ``root``; ``{{`` is a brace, not a parameter."""
    return frozenset(name.split(".")[0].split("[")[0]
                     for _, name, _, _ in Formatter().parse(template) if name is not None)


def problems(name: str, rows: Mapping[K, Mapping[str, str]],
             keys: Iterable[str] | None = None) -> list[str]:
    """Everything wrong with a table of ``{key: {lang: text}}``, one line each: a key
    without one of ``LANGS`` (or with a language no run speaks), languages that fill
    different placeholders, and with ``keys`` the keys its type names but it lacks, or
    has but its type does not name."""
    found: list[str] = []
    for key, by_lang in rows.items():
        missing = [lang for lang in LANGS if lang not in by_lang]
        extra = sorted(set(by_lang) - set(LANGS))
        if missing or extra:
            found.append(f"{name}[{key!r}]: "
                         + "; ".join([f"no {lang!r} text" for lang in missing]
                                     + [f"unknown language {lang!r}" for lang in extra]))
            continue
        fills = {lang: placeholders(by_lang[lang]) for lang in LANGS}
        for lang in LANGS:
            for other in LANGS:
                lacks = sorted(fills[other] - fills[lang])
                if lacks:
                    found.append(f"{name}[{key!r}]: the {lang!r} text lacks "
                                 + ", ".join("{" + p + "}" for p in lacks)
                                 + f" that the {other!r} text fills")
    if keys is not None:
        declared = set(keys)
        if absent := sorted(declared - set(rows)):
            found.append(f"{name}: no text for the keys {absent}")
        if undeclared := sorted(set(rows) - declared):
            found.append(f"{name}: keys its key type does not name: {undeclared}")
    return found


def _frozen(rows: Mapping[K, Mapping[str, str]]) -> Mapping[K, Mapping[str, str]]:
    return MappingProxyType({k: MappingProxyType(dict(v)) for k, v in rows.items()})


@dataclass(frozen=True, eq=False)
class Texts(Mapping[K, Mapping[str, str]], Generic[K]):
    """A read-only table ``{key: {"nl": text, "en": text}}``, checked when it is built
    (``problems``); ``name`` says which table a failed check is about.  It is a
    ``Mapping``, so ``key in table`` and ``table.items()`` read it as the dict it was."""

    name: str
    rows: Mapping[K, Mapping[str, str]]
    keys_of_type: tuple[str, ...] | None = field(default=None, kw_only=True)

    def __post_init__(self) -> None:
        found = problems(self.name, self.rows, self.keys_of_type)
        if found:
            raise TextTableError("\n".join(found))
        object.__setattr__(self, "rows", _frozen(self.rows))

    @classmethod
    def by_language(cls, name: str, tables: Mapping[str, Mapping[K, str]],
                    *, keys: tuple[str, ...] | None = None) -> Texts[K]:
        """A table written one language at a time (``{"nl": {key: text}, "en": …}``),
        turned key by key: a key only one language has fails the check as above."""
        rows: dict[K, dict[str, str]] = {}
        for lang, texts in tables.items():
            for key, words in texts.items():
                rows.setdefault(key, {})[lang] = words
        return cls(name, rows, keys_of_type=keys)

    def __getitem__(self, key: K) -> Mapping[str, str]:
        return self.rows[key]

    def __iter__(self) -> Iterator[K]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def knows(self, key: str) -> TypeGuard[K]:
        """Whether ``key`` (a string from elsewhere: a manifest, an exception) is one of
        this table's keys; mypy then takes it as one."""
        return key in self.rows

    def singular(self, key: K) -> K:
        """The key's ``_one`` form where the table has one (the sentence for a count of
        one: "het bestand is afgekeurd", never "1 van de 1 bestanden zijn"), else the
        key itself."""
        one = key + "_one"
        return one if self.knows(one) else key

    def template(self, key: K, lang: str) -> str:
        """The text of ``key`` in ``lang``, not filled in (English for a language the
        table does not have)."""
        by_lang = self.rows[key]
        return by_lang.get(lang, by_lang[FALLBACK])

    def in_language(self, lang: str) -> Mapping[K, str]:
        """Every text of the table in ``lang``, not filled in."""
        return MappingProxyType({k: self.template(k, lang) for k in self.rows})


def say(table: Texts[K], key: K, lang: str, **params: Any) -> str:
    """``table[key]`` in ``lang`` (English for a language it does not have), filled
    with ``params``: a ``Phrase`` among them is said in the same language, and a
    duration typed as text takes the language's decimal sign (``DURATIONS``)."""
    shown = {k: v.render(lang) if isinstance(v, Phrase) else v for k, v in params.items()}
    if lang == "nl":
        for k in DURATIONS:
            if isinstance(shown.get(k), str):
                shown[k] = shown[k].replace(".", ",")
    return table.template(key, lang).format(**shown)


@dataclass(frozen=True)
class Phrase(Generic[K]):
    """A sentence in neither language yet: a key of the subclass's ``TABLE`` and its
    parameters (which may be phrases themselves).  The core decides it; it becomes
    words where it is shown, in the run's language, and a record can keep the key as
    well as the sentence."""

    TABLE: ClassVar[Texts[Any]]
    key: K
    params: Mapping[str, Any] = field(default_factory=dict)

    def render(self, lang: str) -> str:
        return say(self.TABLE, self.key, lang, **self.params)


# What the system says about a file it cannot use, in Dutch (its own text is English):
# one home for every command and the watch service.
OS_REASONS = {
    errno.ENOENT: "de map of het bestand bestaat niet",
    errno.EACCES: "geen toegang (rechten)",
    errno.EPERM: "niet toegestaan",
    errno.EISDIR: "dat is een map",
    errno.ENOTDIR: "een deel van het pad is geen map",
    errno.ENOSPC: "de schijf is vol",
    errno.EROFS: "alleen-lezen bestandssysteem",
    errno.EDQUOT: "het quotum is op",
    errno.EEXIST: "bestaat al",
    errno.ENAMETOOLONG: "de naam is te lang",
    errno.EIO: "lees- of schrijffout van het apparaat",
}


NOT_REGULAR = "not a regular file"


def os_reason(reason: str, lang: str) -> str:
    """A reason the system gave (``strerror``) in the run's language: the usual ones in
    Dutch; any other quoted as the system's technical text (“…”)."""
    if lang != "nl":
        return reason
    for num, words in OS_REASONS.items():
        if reason == os.strerror(num):
            return words
    if reason.startswith(NOT_REGULAR):  # digest.NotRegular: '… (fifo)' keeps its kind
        return "geen gewoon bestand" + reason[len(NOT_REGULAR):]
    return f"“{reason}”"
