"""Who is who: the normalised keys that make the same person from two files one contact.

A person is matched by profile URL, else by email, else by name and organisation.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal
from urllib.parse import unquote

import polars as pl

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


# --- whole columns at once -----------------------------------------------------------------
#
# An import keys tens of thousands of values. Printable ASCII (nearly every value) is keyed
# by Polars string expressions that give what the functions above give; any other value
# (accents, other scripts, control characters, percent-escapes in a URL) is keyed by the
# functions themselves, once per distinct value, so the two can never disagree.

# Every character ``str.strip`` and ``str.split`` treat as whitespace (U+001C..U+001F too,
# which Polars' own whitespace stripping leaves): all of them lie below U+3001.
WHITESPACE = "".join(ch for ch in map(chr, range(0x3001)) if ch.isspace())
_PRINTABLE_ASCII = r"^[ -~]*$"
_SUFFIX_RUN = r"(?: (?:" + "|".join(sorted(_COMPANY_SUFFIXES)) + r"))+$"


def stripped(column: str) -> pl.Expr:
    """``str.strip`` of each value of ``column``, blanks as null."""
    text = pl.col(column).str.strip_chars(WHITESPACE)
    return pl.when(text != "").then(text).alias(column)


def with_keys(frame: pl.DataFrame, keys: Mapping[str, tuple[str, KeyKind]]) -> pl.DataFrame:
    """``frame`` with a key column for each ``name: (column, kind)`` of ``keys``, where a
    kind is "name", "company", "email" or "url": each value's ``name_key`` and so on.

    Two passes over ``frame`` whatever the number of keys: one collects the values the
    expressions do not cover, one adds every key.
    """
    kinds = {name: _KINDS[kind] for name, (_, kind) in keys.items()}
    sources = {name: pl.col(column).cast(pl.String) for name, (column, _) in keys.items()}
    others = (
        frame.lazy()
        .select(
            source.filter(~source.str.contains(kinds[name].simple)).unique().implode().alias(name)
            for name, source in sources.items()
        )
        .collect()
    )
    columns = []
    for name, source in sources.items():
        kind = kinds[name]
        hard = others[name][0].to_list()
        known = (
            source.replace_strict(hard, [kind.slow(v) for v in hard], default=None,
                                  return_dtype=pl.String)
            if hard
            else pl.lit(None, pl.String)
        )  # fmt: skip
        columns.append(
            pl.when(source.str.contains(kind.simple)).then(kind.fast(source)).otherwise(known)
            .alias(name)
        )  # fmt: skip
    return frame.lazy().with_columns(columns).collect()


def _folded(text: pl.Expr) -> pl.Expr:
    # fold on ASCII: no apostrophes, lower case, each run of non-word characters (and "_",
    # which fold turns into a space afterwards) one space, stripped; name_key collapses
    # the spaces "_" left, so a run of anything but [a-z0-9] is one space.
    return (
        text.str.replace_all(r"['`]", "")
        .str.to_lowercase()
        .str.replace_all(r"[^a-z0-9]+", " ")
        .str.strip_chars(" ")
    )


def _ascii_company_key(text: pl.Expr) -> pl.Expr:
    # Suffixes go from the end while a word is left (the first word has no space before
    # it, so it stays), then a leading "the" when a word follows it.
    words = _folded(text).str.replace(_SUFFIX_RUN, "").str.replace(r"^the ", "")
    return pl.when(words != "").then(words)


def _ascii_email_key(text: pl.Expr) -> pl.Expr:
    value = text.str.strip_chars(" ").str.to_lowercase().str.strip_prefix("mailto:")
    is_address = value.str.contains(r"^[^@]+@[^@]*\.[^@]*$") & ~value.str.starts_with("urn:")
    return pl.when(is_address).then(value)


def _ascii_url_key(text: pl.Expr) -> pl.Expr:
    # The URL without scheme, query or fragment; its host (no user or port) and path (no
    # trailing slash). Repeated parts are worked out once (common subexpressions).
    rest = (
        text.str.strip_chars(" ")
        .str.to_lowercase()
        .str.replace(r"^.*?://", "")
        .str.replace(r"[?#].*", "")
        .str.splitn("/", 2)
    )
    host = rest.struct.field("field_0").str.replace(r".*@", "").str.replace(r":.*", "")
    host = (
        pl.when(host.str.ends_with("linkedin.com"))
        .then(pl.lit("linkedin.com"))
        .otherwise(host.str.strip_prefix("www."))
    )
    path = rest.struct.field("field_1").str.strip_chars_end("/")
    return pl.when((host != "") & (path != "")).then(pl.concat_str(host, pl.lit("/"), path))


KeyKind = Literal["name", "company", "email", "url"]


@dataclass(frozen=True, slots=True)
class _Kind:
    slow: Callable[[str], str | None]  # the key function itself
    fast: Callable[[pl.Expr], pl.Expr]  # the same for values matching ``simple``
    simple: str


_KINDS: dict[str, _Kind] = {
    "name": _Kind(name_key, _folded, _PRINTABLE_ASCII),
    "company": _Kind(company_key, _ascii_company_key, _PRINTABLE_ASCII),
    "email": _Kind(email_key, _ascii_email_key, _PRINTABLE_ASCII),
    "url": _Kind(url_key, _ascii_url_key, r"^[ -$&-~]*$"),  # no "%": escapes decode to any text
}


_URL_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")
_URL_IGNORED = re.compile(r"[\x00-\x20\x7f]")  # browsers skip these inside a scheme
_WEB_SCHEMES = frozenset({"http", "https"})


def is_web_url(url: str) -> bool:
    """True for an http(s) address or one with no scheme (``linkedin.com/in/ada``): the app
    shows profile URLs as links, so a ``javascript:`` one must never be stored."""
    found = _URL_SCHEME.match(_URL_IGNORED.sub("", url).lower())
    return found is None or found[1] in _WEB_SCHEMES
