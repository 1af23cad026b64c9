"""Sign-in: the configuration, and how a signed-in user maps to a role and a workspace."""

from __future__ import annotations

from pathlib import Path

import pytest

from infoint_core.access import (
    DEFAULT_USERS_DIR,
    AccessConfig,
    AccessError,
    Role,
    access_config,
    viewer_for,
    workspace_for,
)

ISSUER = "https://login.uni.example"
CONFIG = AccessConfig(sign_in=True, advisers=frozenset({"adviser@uni.example"}))


def claims(sub: str, email: str | None = None, **more: object) -> dict[str, object]:
    return {"iss": ISSUER, "sub": sub, "email": email, "is_logged_in": True, **more}


@pytest.mark.parametrize("section", [None, {}, {"sign_in": False}])
def test_without_configuration_nobody_signs_in(section) -> None:
    assert access_config(section) == AccessConfig()
    assert not access_config(section).sign_in


def test_the_configuration_is_read_with_advisers_in_lower_case() -> None:
    config = access_config(
        {
            "sign_in": True,
            "advisers": [" Adviser@Uni.Example "],
            "users_dir": "/srv/infoint/users",
            "provider": "uni",
        }
    )
    assert config == AccessConfig(
        sign_in=True,
        advisers=frozenset({"adviser@uni.example"}),
        users_dir=Path("/srv/infoint/users"),
        provider="uni",
    )
    assert access_config({"sign_in": True}).users_dir == DEFAULT_USERS_DIR


@pytest.mark.parametrize(
    ("section", "message"),
    [
        ({"sign_in": True, "advisors": ["a@uni.example"]}, "Unknown setting .*: advisors"),
        ({"sign_in": "yes"}, "sign_in must be true or false"),
        ({"sign_in": True, "advisers": "a@uni.example"}, "advisers must be a list"),
        ({"sign_in": True, "advisers": [1]}, "advisers must be a list"),
        ({"sign_in": True, "users_dir": " "}, "users_dir must be a folder path"),
        ({"sign_in": True, "provider": 3}, "provider must be the name"),
    ],
)
def test_a_mistyped_configuration_stops_rather_than_opening_up(section, message) -> None:
    with pytest.raises(AccessError, match=message):
        access_config(section)


def test_a_student_gets_a_workspace_of_their_own_under_the_users_folder() -> None:
    viewer = viewer_for(CONFIG, claims("student-a", "ada@uni.example", name="Ada"))
    assert viewer.role is Role.STUDENT
    assert viewer.name == "Ada"
    assert viewer.workspace == workspace_for(DEFAULT_USERS_DIR, ISSUER, "student-a")
    assert viewer.workspace.parent == DEFAULT_USERS_DIR
    assert viewer.workspace.suffix == ".duckdb"


def test_the_workspace_follows_issuer_and_subject_not_the_email_or_name() -> None:
    first = viewer_for(CONFIG, claims("student-a", "ada@uni.example", name="Ada"))
    renamed = viewer_for(CONFIG, claims("student-a", "ada.l@uni.example", name="Ada L."))
    assert first.workspace == renamed.workspace
    other_subject = viewer_for(CONFIG, claims("student-b", "ada@uni.example"))
    other_issuer = viewer_for(CONFIG, {**claims("student-a"), "iss": "https://evil.example"})
    paths = {first.workspace, other_subject.workspace, other_issuer.workspace}
    assert len(paths) == 3


def test_the_workspace_file_name_names_nobody() -> None:
    path = workspace_for(Path("users"), ISSUER, "ada@uni.example")
    assert "ada" not in path.name
    assert "uni" not in path.name
    assert path == workspace_for(Path("users"), ISSUER, "ada@uni.example")


def test_a_listed_adviser_gets_no_workspace() -> None:
    viewer = viewer_for(CONFIG, claims("adviser-1", "ADVISER@uni.example"))
    assert viewer.role is Role.ADVISER
    assert viewer.workspace is None


def test_an_adviser_email_the_provider_has_not_verified_is_a_student() -> None:
    viewer = viewer_for(CONFIG, claims("someone", "adviser@uni.example", email_verified=False))
    assert viewer.role is Role.STUDENT
    assert viewer.workspace is not None


def test_a_user_is_greeted_by_name_else_email_else_subject() -> None:
    assert viewer_for(CONFIG, claims("s1", "bo@uni.example")).name == "bo@uni.example"
    assert viewer_for(CONFIG, claims("s1")).name == "s1"


@pytest.mark.parametrize(
    "bad", [{"sub": "s1"}, {"iss": ISSUER}, {"iss": ISSUER, "sub": ""}, {"iss": 1, "sub": "s"}]
)
def test_claims_without_issuer_and_subject_are_refused(bad) -> None:
    with pytest.raises(AccessError, match="no issuer or subject"):
        viewer_for(CONFIG, bad)
