"""Settings carry a version; an app that finds older settings upgrades their keys once, at start.

Without it a renamed key would silently reset a user's choices (their name, their last project) after an
update; with it each upgrade step says what it moves, and runs exactly once per user.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings

from workstation.ui.recent_menu import RECENT_KEY

VERSION_KEY = "settings_version"
SETTINGS_VERSION = 2


def _recent_from_last_project(settings: QSettings) -> None:
    """Version 1 remembered only `last_project`; version 2 lists recent projects, the last one first."""
    last = settings.value("last_project", "", str)
    if last and not settings.contains(RECENT_KEY):
        settings.setValue(RECENT_KEY, [last])


UPGRADES = {2: _recent_from_last_project}
"""The step that brings settings of version n-1 to version n."""


def upgrade_settings(settings: QSettings | None = None) -> int:
    """Run the steps the stored settings have not had (fresh settings need none); returns the version before."""
    settings = settings or QSettings()
    fresh = not settings.allKeys()
    found = int(str(settings.value(VERSION_KEY, SETTINGS_VERSION if fresh else 1)))
    for version in range(found + 1, SETTINGS_VERSION + 1):
        UPGRADES[version](settings)
    settings.setValue(VERSION_KEY, SETTINGS_VERSION)
    return found
