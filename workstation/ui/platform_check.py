"""Say plainly what is missing before Qt aborts with "could not load the Qt platform plugin"."""

from __future__ import annotations

import ctypes.util
import os
import sys

XCB_PACKAGES = {
    "xcb-cursor": "libxcb-cursor0", "xcb-icccm": "libxcb-icccm4", "xcb-keysyms": "libxcb-keysyms1",
    "xcb-image": "libxcb-image0", "xcb-render-util": "libxcb-render-util0", "xkbcommon-x11": "libxkbcommon-x11-0",
    "xcb-xinerama": "libxcb-xinerama0", "xcb-shape": "libxcb-shape0",
}


def display_problem() -> str | None:
    """A message when a window cannot be shown on Linux, else None."""
    if not sys.platform.startswith("linux"):
        return None
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if platform and not platform.startswith("xcb"):
        return None
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        return ("no display found (DISPLAY is not set): run Workstation on a desktop, under `xvfb-run`, "
                "or with QT_QPA_PLATFORM=offscreen")
    if os.environ.get("WAYLAND_DISPLAY") and not platform:
        return None
    missing = [package for library, package in XCB_PACKAGES.items() if ctypes.util.find_library(library) is None]
    if missing:
        return ("Qt's X11 (xcb) platform needs Debian packages that are not installed; run:\n"
                f"  sudo apt-get install {' '.join(missing)}")
    return None
