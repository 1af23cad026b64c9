"""Identity keys: one person, however a file spells their profile, email or name."""

from __future__ import annotations

from urllib.parse import quote

from hypothesis import given
from hypothesis import strategies as st

from infoint_core.identity import company_key, email_key, name_from_url, name_key, url_key

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
