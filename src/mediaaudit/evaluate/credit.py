"""The credit line a poster pastes under an image whose licence demands attribution.  Pure.

Creative Commons asks for title, author, source and licence (TASL).  A poster needs the
author and the licence most, and a credit line that names nobody, names a licence
remnant ('JDX, licence: /GFDL-1.3') or puts '©' before a photographer while someone
else holds the rights is worse than none.  Order of names, as CC and IPTC intend them:
``cc:attributionName`` (the licensor's own wording), then the creator (dc:creator,
IPTC By-line, EXIF Artist), then the credit (photoshop:Credit, IPTC Credit), then the
holder.
"""

from __future__ import annotations

from collections.abc import Sequence

from mediaaudit.evaluate.names import clean_name, co_holders, same_name
from mediaaudit.licence import Licence
from mediaaudit.model import MetaFact


def _names(facts: Sequence[MetaFact], *fields: str) -> list[str]:
    out: list[str] = []
    for f in facts:
        if f.field in fields:
            name = clean_name(f.value)
            if name and not any(same_name(name, o) for o in out):
                out.append(name)
    return out


def _owned(name: str, holder: str | None) -> str:
    """``name`` with '©' before it when the person named is the holder (the mark says who
    holds the rights, and is dropped only where someone else does)."""
    if holder and same_name(holder, name) and not name.startswith("©"):
        return f"© {name}"
    return name


def credit_line(lic: Licence, facts: Sequence[MetaFact], holder: str | None) -> str | None:
    """'Anna de Vries / ANP, CC BY 4.0 (https://…)'; None when nobody can be named."""
    attribution = _names(facts, "attribution_name")
    creators = _names(facts, "creator")
    credits = _names(facts, "credit")
    if attribution:
        who = _owned(attribution[0], holder)  # the licensor's own wording, used as given
    elif creators:
        author = ", ".join(creators[:3])
        # the holder 'Myleen Hollero / Wikimedia Foundation' adds only the foundation
        others = [" / ".join(rest) for n in (*credits, holder) if n
                  for rest in [[h for h in co_holders(n)
                                if not any(same_name(h, c) for c in creators)]] if rest]
        # no '©' before a creator when someone else holds the rights
        who = f"{author} / {others[0]}" if others else f"© {author}"
    elif credits:
        who = _owned(credits[0], holder)
        if holder and not same_name(holder, credits[0]):
            who += f" / © {holder}"
    elif holder:
        who = f"© {holder}"
    else:
        return None
    text = f"{who}, {lic.label}"
    return f"{text} ({lic.url})" if lic.url else text
