"""Everything Qt: the main window, its panels and dialogs, and the background helper; nothing below imports it."""
