"""The supervisor's dialogs for work packages: cut them, and merge what comes back.

Both are thin: the choice of documents, the split and the merge are the
functions the `package` and `merge` commands call. A merge is checked first
(a dry run whose summary the supervisor reads) and only then committed.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
)

from workstation.core.errors import UserError
from workstation.core.progress import Cancelled
from workstation.editing.annotations import merge_actors
from workstation.review.merge import ActorOffer, MergeReport, merge_packages
from workstation.review.packages import DocumentChoice, choose_documents, cut_packages, split_documents
from workstation.store.models import STATUSES
from workstation.ui.background import BackgroundTask

if TYPE_CHECKING:
    from workstation.ui.main_window import MainWindow

PACKAGE_FILTER = "Work packages (*.sqlite);;All files (*)"


def _names(text: str) -> list[str]:
    return [name.strip() for name in text.replace(";", ",").split(",") if name.strip()]


class PackageDialog(QDialog):
    """Who gets which documents; the plan is shown live, the packages are written in the background."""

    def __init__(self, window: MainWindow):
        super().__init__(window)
        self.window_ = window
        self.setWindowTitle("Cut work packages")
        self.annotators = QLineEdit(placeholderText="alice, bob")
        self.query = QLineEdit(placeholderText="all documents")
        self.status = QComboBox()
        self.status.addItem("any status", None)
        for status in STATUSES:
            self.status.addItem(status.replace("_", " "), status)
        self.sample = QSpinBox(minimum=0, maximum=1_000_000, specialValueText="all")
        self.seed = QSpinBox(minimum=0, maximum=1_000_000)
        self.overlap = QSpinBox(minimum=0, maximum=1_000_000, suffix=" document(s)")
        self.folder = QLineEdit(str(Path.home() if window.project.server else window.project.path.parent))
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder)
        folder_row.addWidget(browse)
        self.plan_label = QLabel(wordWrap=True)
        form = QFormLayout()
        form.addRow("Annotators:", self.annotators)
        form.addRow("Search:", self.query)
        form.addRow("Status:", self.status)
        form.addRow("Random sample:", self.sample)
        form.addRow("Seed:", self.seed)
        form.addRow("Shared by all:", self.overlap)
        form.addRow("Into folder:", folder_row)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.cut_button = self.buttons.addButton("Cut packages", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.cut)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.plan_label)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(560)
        for field in (self.annotators, self.query):
            field.textChanged.connect(self.update_plan)
        for spin in (self.sample, self.seed, self.overlap):
            spin.valueChanged.connect(self.update_plan)
        self.status.currentIndexChanged.connect(self.update_plan)
        self.task: BackgroundTask | None = None
        self.update_plan()

    def _browse(self) -> None:
        name = QFileDialog.getExistingDirectory(self, "Write the packages into", self.folder.text())
        if name:
            self.folder.setText(name)

    def plan(self) -> dict[str, list[str]]:
        annotators = _names(self.annotators.text())
        if not annotators:
            raise UserError("name at least one annotator")
        choice = DocumentChoice(status=self.status.currentData(), query=self.query.text(),
                                sample=self.sample.value() or None, seed=self.seed.value())
        with self.window_.project.session() as session:
            ids = choose_documents(session, choice, annotators)
        return split_documents(ids, annotators, self.overlap.value(), self.seed.value())

    def update_plan(self) -> None:
        try:
            plan = self.plan()
        except UserError as error:
            self.plan_label.setText(f"<span style='color:#b00020'>{error}</span>")
            self.cut_button.setEnabled(False)
            return
        everyone = set.intersection(*(set(docs) for docs in plan.values()))
        shared = f" ({len(everyone)} shared by all)" if len(plan) > 1 else ""
        total = len(set().union(*plan.values()))
        self.plan_label.setText(f"{total} document(s): " + ", ".join(f"{name} {len(docs)}"
                                                                   for name, docs in plan.items()) + shared)
        self.cut_button.setEnabled(True)

    def cut(self) -> BackgroundTask | None:
        """Write the packages in the background; tests wait on the returned task."""
        try:
            plan = self.plan()
        except UserError as error:
            self.window_.show_error("Cannot cut the packages", error)
            return None
        project, folder = self.window_.project, Path(self.folder.text())
        self.task = BackgroundTask(self, "Cutting work packages…", lambda progress, cancel: cut_packages(
            project, plan, folder, progress, cancel))
        self.task.done.connect(self._written)
        self.task.error.connect(lambda error: self.window_.show_error("Cannot cut the packages", error))
        self.task.start()
        return self.task

    def _written(self, written: list) -> None:
        self.window_.workspace.reloaded.emit()
        self.window_.statusBar().showMessage("Wrote " + ", ".join(f"{path.name} ({info.documents} documents)"
                                                                 for info, path in written))
        self.accept()


class MergeDialog(QDialog):
    """Choose returned packages, read what merging them would do, then merge (and pick actor merges)."""

    def __init__(self, window: MainWindow):
        super().__init__(window)
        self.window_ = window
        self.setWindowTitle("Merge work packages")
        self.files = QListWidget()
        add = QPushButton("Add packages…")
        add.clicked.connect(self._add_files)
        self.summary = QPlainTextEdit(readOnly=True, placeholderText="Add packages, then Check.")
        self.offers = QListWidget()
        self.offers.setToolTip("Actors created offline that share a name with another actor; tick to merge them")
        self.check_button = QPushButton("Check")
        self.check_button.clicked.connect(self.check)
        self.merge_button = QPushButton("Merge", enabled=False)
        self.merge_button.clicked.connect(self.merge)
        close = QPushButton("Close")
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        for widget in (add, self.check_button, self.merge_button):
            buttons.addWidget(widget)
        buttons.addStretch()
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"Into the project: {window.project.location}", wordWrap=True))
        layout.addWidget(QLabel("Packages:"))
        layout.addWidget(self.files, 1)
        layout.addWidget(QLabel("What the merge does:"))
        layout.addWidget(self.summary, 2)
        layout.addWidget(QLabel("Actors created offline that may be known already (tick to merge):"))
        layout.addWidget(self.offers, 1)
        layout.addLayout(buttons)
        self.resize(760, 560)
        self.task: BackgroundTask | None = None

    def _add_files(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(self, "Returned work packages", "", PACKAGE_FILTER)
        self.add_paths([Path(name) for name in names])

    def add_paths(self, paths: list[Path]) -> None:
        known = set(self.paths())
        for path in paths:
            if path not in known:
                self.files.addItem(str(path))
        self.merge_button.setEnabled(False)

    def paths(self) -> list[Path]:
        return [Path(self.files.item(row).text()) for row in range(self.files.count())]

    def _run(self, commit: bool) -> BackgroundTask:
        project, paths = self.window_.project, self.paths()
        self.check_button.setEnabled(False)
        self.merge_button.setEnabled(False)
        self.task = BackgroundTask(self, "Merging…" if commit else "Checking packages…", lambda progress, cancel:
                                   merge_packages(project, paths, commit=commit, progress=progress, cancel=cancel))
        self.task.done.connect(self._merged if commit else self._checked)
        self.task.error.connect(self._failed)
        self.task.start()
        return self.task

    def check(self) -> BackgroundTask:
        """A dry run: the summary of what merging would change; tests wait on the returned task."""
        return self._run(commit=False)

    def merge(self) -> BackgroundTask:
        return self._run(commit=True)

    def _checked(self, report: MergeReport) -> None:
        self.summary.setPlainText(report.summary())
        self.offers.clear()
        for offer in report.offers:
            item = QListWidgetItem(f"{offer.new_name} (new) → {offer.existing_name}   [shared name: "
                                   f"{offer.shared_name}]")
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            item.setData(Qt.ItemDataRole.UserRole, offer)
            self.offers.addItem(item)
        self.check_button.setEnabled(True)
        self.merge_button.setEnabled(bool(self.paths()))

    def chosen_offers(self) -> list[ActorOffer]:
        return [self.offers.item(row).data(Qt.ItemDataRole.UserRole) for row in range(self.offers.count())
                if self.offers.item(row).checkState() == Qt.CheckState.Checked]

    def _merged(self, report: MergeReport) -> None:
        """Ticked actor merges go on the undo stack, one step each, after the package merge is committed."""
        annotation = self.window_.annotation
        for offer in self.chosen_offers():
            with self.window_.project.session() as session:
                command = merge_actors(session, offer.new_id, offer.existing_id)
            annotation.push(command)
        self.summary.setPlainText(report.summary())
        self.check_button.setEnabled(True)
        self.window_.workspace.reloaded.emit()
        self.window_.statusBar().showMessage(report.summary().splitlines()[0])

    def _failed(self, error: Exception) -> None:
        self.check_button.setEnabled(True)
        self.summary.setPlainText("Cancelled; nothing was changed." if isinstance(error, Cancelled)
                                  else f"Nothing was changed.\n{error}")
        if not isinstance(error, (UserError, Cancelled)):
            raise error
