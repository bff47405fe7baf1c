"""What a real screen reader reads: walk the app's AT-SPI tree before and after F12.

The tests walk the same tree in process through ``QAccessible``; this walks it from outside,
over D-Bus, as Orca does. It starts the app (a throw-away demo store, signed in as the demo
handler, the records list filled and a screening open on its first question), reads every
object AT-SPI serves for it, presses F12 (a real key press into the app), reads again, and
prints per language: objects, unnamed controls, and objects whose name, description or text
holds a sensitive word (``app.ui.common.a11y.SENSITIVE_WORDS``); F12 again must bring back
what was there. Exit code 1 when any
unnamed control or any sensitive word after F12 is found, 2 when it cannot run.

It needs an X display with the AT-SPI bus, and the system Python's GObject bindings for
AT-SPI (the app itself runs in the project's virtual environment). On Debian or Ubuntu::

    sudo apt-get install xvfb at-spi2-core python3-gi gir1.2-atspi-2.0 libxcb-cursor0
    dbus-run-session -- xvfb-run -a /usr/bin/python3 tools/atspi_walk.py

(``--python`` names the app's interpreter, ``.venv/bin/python`` by default; ``--language``
one language instead of both; ``--json`` the counts as JSON.) The app side is the same file
run with ``--serve``.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# AT-SPI roles a person operates: each needs a name (role names as AT-SPI spells them).
CONTROL_ROLES = {
    "push button",
    "check box",
    "radio button",
    "combo box",
    "text",
    "password text",
    "spin button",
    "slider",
    "page tab",
    "page tab list",
    "menu item",
    "list",
    "table",
    "tree",
    "progress bar",
    "link",
}


# -- the app side (the project's interpreter) ---------------------------------------------------
def serve(language: str) -> int:
    """Show the app with something to hide; answer "f12" and "quit" lines on stdin."""
    os.environ.setdefault("QT_LINUX_ACCESSIBILITY_ALWAYS_ON", "1")
    sys.path.insert(0, str(ROOT))
    from PySide6.QtCore import QSocketNotifier, Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from app.accounts.demo import DEMO_USERS, create_demo_store
    from app.accounts.session import unlock
    from app.i18n import set_language
    from app.settings import Settings
    from app.ui.app import create_application
    from app.ui.common import window_class
    from app.ui.common.a11y import SENSITIVE_WORDS
    from app.ui.main_window import MainWindow

    folder = tempfile.TemporaryDirectory(prefix="vagafraga-atspi-")
    os.environ["VAGAFRAGA_CONFIG_DIR"] = str(Path(folder.name) / "config")
    application = create_application([sys.argv[0]])
    set_language(language)
    location = create_demo_store(Path(folder.name) / "data", records=40)
    login = unlock(location, "demo-h01", DEMO_USERS["demo-h01"][0])
    window = MainWindow(login.store, Settings(), login=login)
    window.resize(1100, 720)
    window.show()
    wizard = window.wizard
    wizard.start_from(wizard.start_page.values() | {"benefit": "maintenance_support"})
    wizard.act(lambda s: s.set_can_talk_freely(True))
    wizard.act(lambda s: s.begin_asking())
    wizard.act(lambda s: s.start_questions())
    window.records_page.refresh()

    def command() -> None:
        line = sys.stdin.readline().strip()
        if line == "f12":
            target = QApplication.focusWidget() or window
            QTest.keyClick(target, Qt.Key.Key_F12)
            shown = QApplication.activeWindow() or window
            reply = {"discreet": window.discreet.active, "class": window_class.current(shown)}
        else:
            application.quit()
            return
        print(json.dumps(reply), flush=True)

    notifier = QSocketNotifier(sys.stdin.fileno(), QSocketNotifier.Type.Read)
    notifier.activated.connect(command)
    ready = {
        "pid": os.getpid(),
        "words": list(SENSITIVE_WORDS),
        "class": window_class.current(window),
    }
    from PySide6.QtCore import QTimer

    QTimer.singleShot(1500, lambda: print(json.dumps(ready), flush=True))  # records loaded
    code = application.exec()
    login.close()
    folder.cleanup()
    return int(code)


# -- the screen reader's side (a Python with AT-SPI's GObject bindings) --------------------------
def _atspi() -> Any:
    gi = importlib.import_module("gi")
    gi.require_version("Atspi", "2.0")
    return importlib.import_module("gi.repository.Atspi")


def _find_app(atspi: Any, pid: int, timeout: float = 20.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        desktop = atspi.get_desktop(0)
        for index in range(desktop.get_child_count()):
            app = desktop.get_child_at_index(index)
            if app is not None and app.get_process_id() == pid:
                return app
        time.sleep(0.3)
    raise RuntimeError(f"the app (process {pid}) did not appear on the AT-SPI bus")


def _texts(atspi: Any, node: Any) -> list[str]:
    texts = [node.get_name() or "", node.get_description() or ""]
    if "Text" in node.get_interfaces():
        texts.append(atspi.Text.get_text(node, 0, atspi.Text.get_character_count(node)) or "")
    return texts


def walk(atspi: Any, app: Any, words: list[str]) -> dict[str, Any]:
    """Counts for every object under ``app`` (hidden ones too: a walk reads them)."""
    app.clear_cache()
    objects, unnamed, hits = 0, [], []
    stack = [(app, app.get_name() or "")]
    while stack:
        node, path = stack.pop()
        objects += 1
        role = node.get_role_name()
        texts = _texts(atspi, node)
        showing = node.get_state_set().contains(atspi.StateType.SHOWING)
        if role in CONTROL_ROLES and showing and not texts[0].strip():
            parent = node.get_parent()
            if parent is None or parent.get_role_name() != "combo box":
                unnamed.append(f"{path}/{role}")
        joined = " ".join(texts).casefold()
        found = [w for w in words if re.search(rf"(?<!\w){re.escape(w)}", joined)]
        if found:
            hits.append(f"{found} {path}/{role}:{texts[0][:40]!r}")
        for index in range(node.get_child_count()):
            child = node.get_child_at_index(index)
            if child is not None:
                stack.append((child, f"{path}/{role}"))
    return {"objects": objects, "unnamed": unnamed, "sensitive": hits}


def run(python: str, language: str) -> dict[str, Any]:
    atspi = _atspi()
    env = os.environ | {"QT_QPA_PLATFORM": "xcb", "QT_LINUX_ACCESSIBILITY_ALWAYS_ON": "1"}
    app_side = subprocess.Popen(
        [python, __file__, "--serve", "--language", language],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
        cwd=ROOT,
    )
    assert app_side.stdin is not None
    assert app_side.stdout is not None
    try:
        ready = json.loads(app_side.stdout.readline() or "null")
        if ready is None:
            raise RuntimeError("the app did not start (its own message is above)")
        app = _find_app(atspi, ready["pid"])
        before = walk(atspi, app, ready["words"])
        before["window class"] = ready["class"]
        app_side.stdin.write("f12\n")
        app_side.stdin.flush()
        reply = json.loads(app_side.stdout.readline() or "null")
        if not reply or not reply["discreet"]:
            raise RuntimeError("F12 did not turn discreet mode on")
        time.sleep(1.0)  # let the bridge send its changes
        after = walk(atspi, app, ready["words"])
        after["application name"] = app.get_name()
        after["window class"] = reply["class"]
        app_side.stdin.write("f12\n")
        app_side.stdin.flush()
        reply = json.loads(app_side.stdout.readline() or "null")
        if not reply or reply["discreet"]:
            raise RuntimeError("F12 again did not turn discreet mode off")
        time.sleep(1.0)
        back = walk(atspi, app, ready["words"])
        back["window class"] = reply["class"]
        return {"language": language, "before": before, "after F12": after, "F12 again": back}
    finally:
        if app_side.poll() is None:
            app_side.stdin.write("quit\n")
            app_side.stdin.flush()
        try:
            app_side.wait(timeout=20)
        except subprocess.TimeoutExpired:
            app_side.kill()


def report(result: dict[str, Any]) -> str:
    lines = [f"[{result['language']}]"]
    for moment in ("before", "after F12", "F12 again"):
        counts = result[moment]
        lines.append(
            f"  {moment}: {counts['objects']} objects, {len(counts['unnamed'])} unnamed controls, "
            f"{len(counts['sensitive'])} with a sensitive word"
        )
        lines.append(f"    window class (X11 WM_CLASS): {counts['window class']}")
        if moment == "after F12":
            lines.append(f"    application name: {counts['application name']!r}")
            lines += [f"    sensitive: {hit}" for hit in counts["sensitive"]]
        lines += [f"    unnamed: {path}" for path in counts["unnamed"]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--language", choices=("sv", "en"))
    parser.add_argument("--python", default=str(ROOT / ".venv" / "bin" / "python"))
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    if args.serve:
        return serve(args.language or "sv")
    if not os.environ.get("DISPLAY"):
        print(
            "atspi_walk: no X display: run it under xvfb-run (see its docstring)", file=sys.stderr
        )
        return 2
    try:
        results = [
            run(args.python, language)
            for language in [args.language or "sv", "en"][: 1 if args.language else 2]
        ]
    except (ImportError, ValueError) as error:
        print(f"atspi_walk: AT-SPI's Python bindings are missing ({error})", file=sys.stderr)
        return 2
    except RuntimeError as error:
        print(f"atspi_walk: {error}", file=sys.stderr)
        return 2
    print(
        json.dumps(results, indent=2, ensure_ascii=False)
        if args.json
        else "\n".join(map(report, results))
    )
    bad = any(
        r["F12 again"]["objects"] != r["before"]["objects"]
        or r["before"]["unnamed"]
        or r["after F12"]["unnamed"]
        or r["after F12"]["sensitive"]
        for r in results
    )
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
