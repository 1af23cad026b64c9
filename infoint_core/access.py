"""Who may see what in a shared deployment with sign-in.

By default infoint is a single-user app on one workspace and nobody signs in. An operator
switches sign-in on in the ``[infoint]`` section of ``.streamlit/secrets.toml``; then every
visitor signs in with the organisation's OpenID Connect provider, each student works in a
workspace file of their own, and advisers reach only the Cohort pages, which read uploaded
shares and never a workspace.

Everything here is decided from that configuration and from the claims of the signed-in
user's ID token (which Streamlit keeps in a cookie signed with the operator's secret), never
from anything else the browser sends: no URL path or query parameter can name a workspace.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from infoint_core.errors import InfointError

DEFAULT_USERS_DIR = Path("data") / "users"
_KEYS = {"sign_in", "advisers", "users_dir", "provider"}


class AccessError(InfointError):
    """The sign-in configuration, or the identity of a signed-in user, cannot be used."""


class Role(StrEnum):
    """What a signed-in user is to infoint: it decides which pages they get."""

    STUDENT = "student"
    ADVISER = "adviser"


@dataclass(frozen=True)
class AccessConfig:
    """The ``[infoint]`` section of the secrets: off unless ``sign_in = true``."""

    sign_in: bool = False
    advisers: frozenset[str] = frozenset()  # e-mail addresses, lower case
    users_dir: Path = DEFAULT_USERS_DIR
    provider: str | None = None  # a named ``[auth.NAME]`` section, else plain ``[auth]``


@dataclass(frozen=True)
class Viewer:
    """A signed-in user: their role, a name to greet them by, and their workspace file
    (students only; an adviser has none, so nothing can open one for them)."""

    role: Role
    name: str
    workspace: Path | None


def access_config(section: Mapping[str, Any] | None) -> AccessConfig:
    """Read the ``[infoint]`` section (None or empty: the single-user default).

    Raises AccessError for an unknown key or a value of the wrong type: a typo such as
    ``advisors`` must stop the app rather than quietly leave the advisers out.
    """
    if not section:
        return AccessConfig()
    if unknown := sorted(set(section) - _KEYS):
        raise AccessError(f"Unknown setting in [infoint]: {', '.join(unknown)}")
    sign_in = section.get("sign_in", False)
    advisers = section.get("advisers", [])
    users_dir = section.get("users_dir", str(DEFAULT_USERS_DIR))
    provider = section.get("provider")
    if not isinstance(sign_in, bool):
        raise AccessError("[infoint] sign_in must be true or false")
    if not isinstance(advisers, list | tuple) or not all(isinstance(a, str) for a in advisers):
        raise AccessError("[infoint] advisers must be a list of e-mail addresses")
    if not isinstance(users_dir, str) or not users_dir.strip():
        raise AccessError("[infoint] users_dir must be a folder path")
    if provider is not None and not isinstance(provider, str):
        raise AccessError("[infoint] provider must be the name of an [auth.NAME] section")
    return AccessConfig(
        sign_in=sign_in,
        advisers=frozenset(_email(a) for a in advisers),
        users_dir=Path(users_dir),
        provider=provider or None,
    )


def viewer_for(config: AccessConfig, claims: Mapping[str, Any]) -> Viewer:
    """The signed-in user described by their ID token's ``claims``.

    An adviser is a user whose e-mail is listed in ``advisers`` (and not marked unverified
    by the provider); everyone else who can sign in is a student with their own workspace.
    Raises AccessError when the claims lack the issuer or the subject.
    """
    issuer, subject = claims.get("iss"), claims.get("sub")
    if not isinstance(issuer, str) or not isinstance(subject, str) or not issuer or not subject:
        raise AccessError("The sign-in did not say who you are (no issuer or subject)")
    email = claims.get("email")
    email = _email(email) if isinstance(email, str) else None
    name = str(claims.get("name") or email or subject)
    if email in config.advisers and claims.get("email_verified") is not False:
        return Viewer(Role.ADVISER, name, None)
    return Viewer(Role.STUDENT, name, workspace_for(config.users_dir, issuer, subject))


def workspace_for(users_dir: Path, issuer: str, subject: str) -> Path:
    """The workspace file of the user ``subject`` at ``issuer``.

    Issuer and subject together are the one identity OpenID Connect promises never to
    reassign (an e-mail address can change hands); the file name is their hash, so it
    stays put for life and names nobody on disk.
    """
    digest = hashlib.sha256(f"{issuer}\n{subject}".encode()).hexdigest()
    return users_dir / f"{digest[:32]}.duckdb"


def _email(address: str) -> str:
    return address.strip().lower()
