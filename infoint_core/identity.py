"""Who is who: the normalised keys that make the same person from two files one contact.

A person is matched by profile URL, else by email, else by name and organisation.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from urllib.parse import unquote

_NON_WORD = re.compile(r"[^\w]+")
_APOSTROPHES = re.compile(r"['’ʼ`´]")
_SPACES = re.compile(r"\s+")

# Legal-form suffixes that do not tell two organisations apart.
_COMPANY_SUFFIXES = frozenset(
    {
        "inc", "incorporated", "ltd", "limited", "llc", "llp", "lp", "plc", "corp",
        "corporation", "co", "company", "gmbh", "ag", "sa", "sas", "bv", "nv", "pty",
        "srl", "spa", "ab", "as", "oy", "kk", "group", "holdings",
    }
)  # fmt: skip


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower case, accents and apostrophes removed, other punctuation to spaces:
    "Renée O'Neil-Smith" → "renee oneil smith"."""
    plain = _APOSTROPHES.sub("", text)
    if not plain.isascii():
        decomposed = unicodedata.normalize("NFKD", plain)
        plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NON_WORD.sub(" ", plain.casefold()).replace("_", " ").strip()


@lru_cache(maxsize=65536)
def name_key(name: str) -> str:
    """The key of a person's name: folded, spaces collapsed."""
    return _SPACES.sub(" ", fold(name))


@lru_cache(maxsize=65536)
def company_key(company: str | None) -> str | None:
    """The key of an organisation: folded, legal-form suffixes (Inc., Ltd, GmbH…) dropped."""
    if not company:
        return None
    words = fold(company).split()
    while len(words) > 1 and words[-1] in _COMPANY_SUFFIXES:
        words.pop()
    if len(words) > 1 and words[0] == "the":
        words.pop(0)
    return " ".join(words) or None


def email_key(email: str | None) -> str | None:
    """The key of an email address, or ``None`` for what is not one (LinkedIn ``urn:li:``)."""
    if not email:
        return None
    value = email.strip().casefold()
    if value.startswith("mailto:"):
        value = value[len("mailto:") :]
    if value.startswith("urn:") or value.count("@") != 1:
        return None
    local, domain = value.split("@")
    return value if local and "." in domain else None


@lru_cache(maxsize=65536)
def url_key(url: str | None) -> str | None:
    """The key of a profile URL: no scheme, ``www.`` or country prefix, query, fragment or
    trailing slash; percent-encoding decoded; lower case.

    ``HTTPS://www.LinkedIn.com/in/Ren%C3%A9e/`` and ``linkedin.com/in/renée`` share a key.
    """
    if not url:
        return None
    text = url.strip().casefold()
    _, sep, rest = text.partition("://")
    text = rest if sep else text
    text = text.split("?", 1)[0].split("#", 1)[0]
    host, _, path = text.partition("/")
    host = host.rpartition("@")[2].partition(":")[0]
    if host.endswith("linkedin.com"):
        host = "linkedin.com"
    elif host.startswith("www."):
        host = host[4:]
    if "%" in path:
        path = unquote(path).casefold()
    path = path.rstrip("/")
    if not host or not path:
        return None
    return unicodedata.normalize("NFC", f"{host}/{path}")


_SLUG_TAIL = re.compile(r"(-[0-9a-f]{5,}|-\d+)+$")


def name_from_url(url: str | None) -> str | None:
    """A readable stand-in name from a profile URL, for a person a file names no other
    way: ``linkedin.com/in/ada-lovelace-1a2b3c`` → "Ada Lovelace"."""
    key = url_key(url)
    if not key:
        return None
    slug = _SLUG_TAIL.sub("", key.rsplit("/", 1)[-1])
    words = [w for w in slug.replace("_", "-").split("-") if w]
    return " ".join(w.capitalize() for w in words) or None
