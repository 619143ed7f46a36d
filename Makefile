# `make run`: create .venv, install, start the GUI (first run: a sample project with one article).
# `make test`: create/update .venv with dev extras and run the whole suite offscreen.
# `make lint`: ruff, the import-linter contracts (layers, no Qt outside ui) and mypy.
# `make test-packaging`: build the wheel and use it from a fresh venv (slow, so not in `make test`).
# `make package`: the frozen one-folder bundle in dist/workstation/, then its smoke test.
# `make install-desktop`: menu entry, icons, file type and AppStream data for this user (Linux).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DATA_HOME ?= $(or $(XDG_DATA_HOME),$(HOME)/.local/share)
GUI_COMMAND ?= $(abspath $(VENV))/bin/workstation-gui
ICON_SIZES := 16 24 32 48 64 128 256
APP_ID := org.workstation.Workstation

.PHONY: run test lint test-packaging package install-desktop bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

run: $(STAMP)
	$(PY) main.py

test: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports --no-cache
	$(VENV)/bin/mypy

test-packaging: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -m packaging

package: $(STAMP)
	$(PY) -m PyInstaller --noconfirm --clean --log-level WARN --distpath dist --workpath build/pyinstaller \
		packaging/workstation.spec
	du -sh dist/workstation
	$(PY) packaging/smoke.py dist/workstation/workstation

install-desktop:
	install -Dm644 packaging/$(APP_ID).metainfo.xml $(DATA_HOME)/metainfo/$(APP_ID).metainfo.xml
	install -Dm644 packaging/workstation-mime.xml $(DATA_HOME)/mime/packages/workstation.xml
	install -Dm644 resources/icons/workstation.svg $(DATA_HOME)/icons/hicolor/scalable/apps/workstation.svg
	for size in $(ICON_SIZES); do \
		install -Dm644 resources/icons/workstation-$$size.png \
			$(DATA_HOME)/icons/hicolor/$${size}x$${size}/apps/workstation.png; done
	mkdir -p $(DATA_HOME)/applications
	sed 's|^Exec=workstation-gui|Exec=$(GUI_COMMAND)|; s|^TryExec=workstation-gui|TryExec=$(GUI_COMMAND)|' \
		packaging/$(APP_ID).desktop > $(DATA_HOME)/applications/$(APP_ID).desktop
	-update-mime-database $(DATA_HOME)/mime 2>/dev/null
	-update-desktop-database $(DATA_HOME)/applications 2>/dev/null
	@echo "installed for $(USER) under $(DATA_HOME); the menu entry runs $(GUI_COMMAND)"

bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m benchmarks.run

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis .import_linter_cache .mypy_cache .ruff_cache build dist
