"""Identity keys: one person, however a file spells their profile, email or name."""

from __future__ import annotations

from urllib.parse import quote

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from infoint_core.identity import (
    WHITESPACE,
    company_key,
    email_key,
    name_from_url,
    name_key,
    stripped,
    url_key,
    with_keys,
)

slugs = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-éüñ", min_size=1, max_size=30)


@given(
    slug=slugs,
    scheme=st.sampled_from(["https://", "http://", "HTTPS://", ""]),
    host=st.sampled_from(
        ["www.linkedin.com", "linkedin.com", "uk.linkedin.com", "WWW.LinkedIn.com"]
    ),
    slash=st.sampled_from(["", "/"]),
    upper=st.booleans(),
    encode=st.booleans(),
    query=st.sampled_from(["", "?trk=public_profile", "#about"]),
)
def test_every_spelling_of_a_profile_url_has_one_key(
    slug, scheme, host, slash, upper, encode, query
) -> None:
    path = quote(slug) if encode else slug
    written = f"{scheme}{host}/in/{path.upper() if upper else path}{slash}{query}"
    assert url_key(written) == url_key(f"https://www.linkedin.com/in/{slug}")
    assert url_key(written) == f"linkedin.com/in/{slug}".casefold()


def test_different_profiles_have_different_keys() -> None:
    assert url_key("linkedin.com/in/sam-lee-1") != url_key("linkedin.com/in/sam-lee-2")


def test_blank_urls_have_no_key() -> None:
    assert url_key("") is None and url_key("   ") is None and url_key(None) is None


@given(local=st.from_regex(r"[a-z0-9._%+-]{1,20}", fullmatch=True), upper=st.booleans())
def test_email_keys_fold_case_and_space(local: str, upper: bool) -> None:
    email = f"{local}@Example.ORG"
    written = f"  {email.upper() if upper else email} "
    assert email_key(written) == f"{local}@example.org"


def test_linkedin_member_urns_and_junk_are_not_emails() -> None:
    assert email_key("urn:li:member:123456") is None
    assert email_key("n/a") is None
    assert email_key("ada@localhost") is None
    assert email_key("mailto:Ada@Example.org") == "ada@example.org"


@given(st.sampled_from(["Renée O'Neil", "renee oneil", "RENÉE  O’NEIL", " Renee ONeil. "]))
def test_names_fold_case_accents_and_punctuation(written: str) -> None:
    assert name_key(written) == "renee oneil"


def test_company_suffixes_do_not_tell_organisations_apart() -> None:
    assert company_key("Analytical Engines Ltd.") == company_key("analytical engines")
    assert company_key("The Acme Corporation") == company_key("ACME Corp")
    assert company_key("Acme Inc") != company_key("Acme Bank")
    assert company_key(None) is None


def test_a_profile_url_gives_a_stand_in_name() -> None:
    assert name_from_url("https://www.linkedin.com/in/ada-lovelace-1a2b3c4d/") == "Ada Lovelace"
    assert name_from_url("linkedin.com/in/grace-hopper-42") == "Grace Hopper"
    assert name_from_url(None) is None and name_from_url("") is None


# The column functions must give exactly the keys of the functions above, whatever the
# text: printable ASCII takes the vectorised path, anything else the functions themselves.
_TRICKY = "aAzZ09 _-.'`’´@:/?#%&+,;\t\x1c\u00a0éÉßİ\u0301ﬁ"
texts = st.one_of(
    st.none(),
    st.text(alphabet=_TRICKY, max_size=25),
    st.text(max_size=15),
    st.builds(
        lambda pre, word, suffix: f"{pre}{word}{suffix}",
        st.sampled_from(["", "the ", "The ", " ", "https://", "HTTP://u@www.", "mailto:"]),
        st.text(alphabet="abcXYZ09 -_.@/", max_size=12),
        st.sampled_from(["", " Inc", " ltd.", " Co Inc", " GmbH ", "/", "?x=1", "#a", ".org"]),
    ),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(texts, max_size=12))
def test_column_keys_are_the_keys_of_each_value(values: list[str | None]) -> None:
    kinds = {"name": name_key, "company": company_key, "email": email_key, "url": url_key}
    keyed = with_keys(
        pl.DataFrame({"v": values}, schema={"v": pl.String}),
        {kind: ("v", kind) for kind in kinds},
    )
    for kind, one in kinds.items():
        assert keyed[kind].to_list() == [None if v is None else one(v) for v in values], kind


@settings(max_examples=200, deadline=None)
@given(st.lists(texts, max_size=12))
def test_stripping_a_column_is_str_strip(values: list[str | None]) -> None:
    expected = [v.strip() or None if v is not None else None for v in values]
    column = pl.DataFrame({"v": values}, schema={"v": pl.String}).select(stripped("v"))
    assert column["v"].to_list() == expected


def test_whitespace_is_every_character_str_strip_removes() -> None:
    assert "".join(ch for ch in map(chr, range(0x110000)) if ch.isspace()) == WHITESPACE
