"""Menus and their actions for the main window: project files, import and export.

Each action is a thin wrapper: ask for paths, run the core function in the
background, report the result in the status bar.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, QSettings, SignalInstance
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QInputDialog, QLabel, QMessageBox, QToolBar

from workstation.core.errors import UserError
from workstation.core.progress import Cancelled
from workstation.formats.exporting import (
    EXPORTERS,
    ExportOptions,
    export,
    suggested_export_name,
    with_export_extension,
)
from workstation.store.failures import explain_failure
from workstation.store.layer_names import layer_names
from workstation.store.project import create_project
from workstation.ui.background import BackgroundTask
from workstation.ui.recent_menu import RecentMenu
from workstation.ui.server_login import ask_server_url

if TYPE_CHECKING:
    from workstation.ui.main_window import MainWindow

ONE_LAYER_FORMATS = ("spacy", "prodigy", "conll", "brat")
PROJECT_FILTER = "Workstation projects (*.sqlite);;All files (*)"
EXPORT_FOLDER_KEY = "export/folder"
IMPORT_FILTER = "Articles and data (*.txt *.md *.markdown *.jsonl *.ndjson *.csv);;All files (*)"


def build_menus(window: MainWindow) -> tuple[dict[str, QAction], dict[str, QAction]]:
    """The File and Export menus; returns the actions others use (the toolbar, tests): File's by name, Export's
    by format."""
    menu = window.menuBar().addMenu("&File")

    def add(text: str, handler: Callable[[], Any], shortcut: QKeySequence | str | None = None) -> QAction:
        action = QAction(text, window)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(handler)
        menu.addAction(action)
        return action

    add("&New Project…", lambda: new_project(window), QKeySequence.StandardKey.New)
    named = {"open": add("&Open Project…", lambda: choose_project(window), QKeySequence.StandardKey.Open)}
    named["open_server"] = add("Open &Server Project…", lambda: choose_server_project(window))
    named["recent"] = menu.addMenu(RecentMenu(window))
    menu.addSeparator()
    named["import_files"] = add("&Import Files…", lambda: import_files(window), "Ctrl+I")
    add("Import &Folder…", lambda: import_folder(window))
    menu.addSeparator()
    named["preferences"] = add("&Preferences…", lambda: window.show_preferences(), "Ctrl+,")
    menu.addSeparator()
    add("&Quit", window.close, QKeySequence.StandardKey.Quit)
    exports = window.menuBar().addMenu("&Export")
    export_actions = {}
    for fmt, (_, title, _) in EXPORTERS.items():
        action = QAction(f"{title}…", window)
        action.triggered.connect(lambda _checked=False, f=fmt: choose_export(window, f))
        exports.addAction(action)
        export_actions[fmt] = action
    return named, export_actions


def build_toolbar(window: MainWindow) -> None:
    """The actions used all day, and the layer chooser; each button's tooltip names its shortcut. The chooser
    has a toolbar of its own on the left: a narrow window moves the last buttons of the last toolbar into the
    overflow menu, and which layer is shown must never be hidden there."""
    bar = window.addToolBar("Main")
    bar.setObjectName("main-toolbar")
    annotate = window.annotation.actions
    stack = window.annotation.stack
    undo = _StackButton(window, "Undo", annotate["undo"], stack.canUndoChanged, stack.undoTextChanged)
    redo = _StackButton(window, "Redo", annotate["redo"], stack.canRedoChanged, stack.redoTextChanged)
    file = window.file_actions
    for action in (file["open"], file["import_files"], None, undo, redo, None,
                   annotate["previous"], annotate["next"], annotate["done"], None, file["preferences"]):
        if action is None:
            bar.addSeparator()
            continue
        bar.addAction(action)
        if isinstance(action, _StackButton):
            bar.widgetForAction(action).installEventFilter(action)
        else:
            action.setToolTip(_tip(action.text(), action))
    layers = QToolBar("Layer", window, objectName="layer-toolbar")
    layers.addWidget(QLabel(" Layer: "))
    layers.addWidget(window.layer_choice)
    window.insertToolBar(bar, layers)


def _tip(text: str, action: QAction) -> str:
    return _with_keys(text, action.shortcut().toString(QKeySequence.SequenceFormat.NativeText))


def _with_keys(text: str, keys: str) -> str:
    text = text.replace("&", "").rstrip("…")
    return f"{text} ({keys})" if keys else text


class _StackButton(QAction):
    """A toolbar twin of the undo stack's own Undo or Redo that keeps a short label (what it would undo goes in
    the tooltip): the stack's action renames itself after every edit, which laid the toolbar out again and
    repainted the whole window on each key press. The tooltip is written when it is about to be shown: setting
    it after every edit told the toolbar's button each time, a few tenths of a millisecond per key press."""

    def __init__(self, window: MainWindow, label: str, twin: QAction, enabled: SignalInstance,
                 renamed: SignalInstance):
        self.label, self.keys, self.next = label, twin.shortcut().toString(QKeySequence.SequenceFormat.NativeText), ""
        super().__init__(label, window, enabled=twin.isEnabled(), toolTip=_with_keys(twin.text(), self.keys))
        self.triggered.connect(twin.trigger)
        enabled.connect(self.setEnabled)
        renamed.connect(self.name_next)

    def name_next(self, text: str) -> None:
        self.next = text

    def tip(self) -> str:
        return _with_keys(f"{self.label} {self.next}".strip(), self.keys)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """The button showing this action is about to show its tooltip: it names the next step first."""
        if event.type() == QEvent.Type.ToolTip and self.toolTip() != self.tip():
            self.setToolTip(self.tip())
        return False


def new_project(window: MainWindow) -> None:
    name, _ = QFileDialog.getSaveFileName(window, "New project", "", PROJECT_FILTER)
    if not name:
        return
    path = Path(name if name.endswith(".sqlite") else f"{name}.sqlite")
    try:
        window.set_project(create_project(path))
    except UserError as error:
        window.show_error("Cannot create the project", error)


def choose_project(window: MainWindow) -> None:
    name, _ = QFileDialog.getOpenFileName(window, "Open project", "", PROJECT_FILTER)
    if name:
        window.open_project(Path(name))


def choose_server_project(window: MainWindow) -> None:
    url = ask_server_url(window)
    if url:
        window.open_project(url)


def run_import(window: MainWindow, paths: list[Path]) -> BackgroundTask | None:
    """Import in a worker thread; the list refreshes when it is done. Returns the task (tests wait on it).
    The import machinery loads here, at the first import, not while the window starts."""
    from workstation.formats.importing import import_paths

    project = window.project
    if project is None or not paths:
        return None
    task = BackgroundTask(window, "Importing…", lambda progress, cancel: import_paths(
        project, paths, progress=progress, cancel=cancel))
    task.done.connect(lambda report: (window.workspace.reloaded.emit(),
                                      window.statusBar().showMessage(report.summary())))
    task.error.connect(lambda error: report_failure(window, "Import failed", error))
    task.start()
    return task


def import_files(window: MainWindow) -> None:
    names, _ = QFileDialog.getOpenFileNames(window, "Import files", "", IMPORT_FILTER)
    run_import(window, [Path(name) for name in names])


def import_folder(window: MainWindow) -> None:
    name = QFileDialog.getExistingDirectory(window, "Import a folder")
    if name:
        run_import(window, [Path(name)])


def choose_layer(window: MainWindow, names: list[str]) -> str | None | bool:
    """The layer for token-level exports: the only one, or the user's pick; False when cancelled."""
    if len(names) <= 1:
        return None
    name, ok = QInputDialog.getItem(window, "Export", "Layer to export:", names, 0, False)
    return name if ok else False


def choose_export(window: MainWindow, fmt: str) -> None:
    """The save dialog opens in the last export folder with `<project>-<layer>.<ext>` filled in; a name typed
    without an extension gets the format's."""
    project = window.project
    if project is None:
        return
    _, title, file_filter = EXPORTERS[fmt]
    with project.session() as session:
        names = layer_names(session)
    layer = choose_layer(window, names) if fmt in ONE_LAYER_FORMATS else None
    if layer is False:
        return
    folder = QSettings().value(EXPORT_FOLDER_KEY, str(project.path.parent), str)
    if fmt == "brat":
        name = QFileDialog.getExistingDirectory(window, f"Export {title} into", folder)
        if name:
            QSettings().setValue(EXPORT_FOLDER_KEY, name)
            run_export(window, fmt, Path(name), ExportOptions(layer=layer))
        return
    only = layer or (names[0] if len(names) == 1 else None)
    suggested = Path(folder) / suggested_export_name(project.path, only, fmt)
    name, _ = QFileDialog.getSaveFileName(window, f"Export {title}", str(suggested), file_filter)
    if not name:
        return
    out = with_export_extension(Path(name), fmt)
    if out != Path(name) and out.exists() and not _replace_confirmed(window, out):
        return
    QSettings().setValue(EXPORT_FOLDER_KEY, str(out.parent))
    run_export(window, fmt, out, ExportOptions(layer=layer))


def _replace_confirmed(window: MainWindow, out: Path) -> bool:
    """The dialog asked about the name as typed; the file with the extension added may exist too."""
    answer = QMessageBox.question(window, "Export", f"{out.name} already exists. Replace it?")
    return answer == QMessageBox.StandardButton.Yes


def run_export(window: MainWindow, fmt: str, out: Path, options: ExportOptions) -> BackgroundTask | None:
    """Export in a worker thread with progress and cancel; returns the task (tests wait on it)."""
    project = window.project
    if project is None:
        return None
    task = BackgroundTask(window, "Exporting…", lambda progress, cancel: export(
        project, fmt, out, options, progress=progress, cancel=cancel))
    task.done.connect(lambda report: window.statusBar().showMessage(
        "; ".join([report.summary(out), *report.messages])))
    task.error.connect(lambda error: report_failure(window, "Export failed", error))
    task.start()
    return task


def _project_path(window: MainWindow) -> Path | None:
    return None if window.project is None else window.project.path


def report_failure(window: MainWindow, title: str, error: Exception) -> None:
    """User mistakes, cancellations and what a disk or a damaged file did get a plain message; anything else is
    a bug and re-raised (to the crash dialog)."""
    explained = None if isinstance(error, UserError) else explain_failure(error, _project_path(window))
    if isinstance(error, Cancelled):
        window.statusBar().showMessage("Cancelled; nothing was changed")
    elif isinstance(error, UserError):
        window.show_error(title, error)
    elif explained is not None:
        window.show_error(title, explained)
    else:
        box = QMessageBox(QMessageBox.Icon.Critical, title, f"Unexpected error: {error!r}", parent=window)
        box.open()
        raise error
