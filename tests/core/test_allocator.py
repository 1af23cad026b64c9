"""Polars' allocator settings, made by importing infoint_core before Polars."""

from __future__ import annotations

import os
import subprocess
import sys

from infoint_core import ALLOCATOR_ENV, ALLOCATOR_SETTINGS

_SHOW = "import os, infoint_core, polars; print(os.environ[infoint_core.ALLOCATOR_ENV])"


def _settings_seen(env: dict[str, str]) -> str:
    done = subprocess.run(
        [sys.executable, "-c", _SHOW], env=env, capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def test_polars_gets_the_settings_when_infoint_core_comes_first() -> None:
    env = {k: v for k, v in os.environ.items() if k != ALLOCATOR_ENV}
    # Polars adds them after its own; jemalloc takes the last value of each option.
    assert _settings_seen(env).endswith(ALLOCATOR_SETTINGS)


def test_a_setting_already_in_the_environment_is_kept() -> None:
    env = {**os.environ, ALLOCATOR_ENV: "dirty_decay_ms:2000"}
    assert _settings_seen(env).endswith(",dirty_decay_ms:2000")
