"""A teacher's edits made in LibreOffice Impress itself, through its UNO API, as typing does
(a cursor selects, the new text replaces it, Enter makes a paragraph, Ctrl+B makes it bold),
then saved as PowerPoint: for ``deckgen pull``'s tests.

    /usr/bin/python3 impress_edit.py IN.pptx OUT.pptx PORT PROFILE_DIR

Runs under the system Python, which has python3-uno (the test suite's Python does not): only
the standard library and ``uno`` here. The edits are made on the deck of the suite's own post
(tests/pull/posts/2024-09-02-edits.md); the test knows the change of the post each one makes.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

import uno  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]
from com.sun.star.text.ControlCharacter import PARAGRAPH_BREAK  # type: ignore[import-not-found]


def prop(name: str, value: object) -> PropertyValue:
    p = PropertyValue()
    p.Name = name
    p.Value = value
    return p


def connect(port: int, profile: str) -> tuple[object, subprocess.Popen[bytes]]:
    proc = subprocess.Popen(
        ["soffice", f"-env:UserInstallation=file://{os.path.abspath(profile)}", "--headless", "--invisible",
         "--norestore", "--nologo", f"--accept=socket,host=127.0.0.1,port={port};urp;"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    for _ in range(240):
        try:
            ctx = resolver.resolve(f"uno:socket,host=127.0.0.1,port={port};urp;StarOffice.ComponentContext")
            break
        except Exception:  # noqa: BLE001 (not listening yet)
            time.sleep(0.5)
    else:
        proc.kill()
        raise SystemExit("LibreOffice did not start")
    return ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx), proc


def paragraphs(text: object) -> list[object]:
    out = []
    en = text.createEnumeration()
    while en.hasMoreElements():
        out.append(en.nextElement())
    return out


def shape_with(page: object, words: str) -> object:
    for i in range(page.getCount()):
        shape = page.getByIndex(i)
        if hasattr(shape, "getString") and words in shape.getString():
            return shape
    raise LookupError(words)


def select(text: object, words: str) -> object:
    """A cursor holding ``words`` (in a paragraph without links: one character each)."""
    for para in paragraphs(text):
        found = para.getString()
        if words in found:
            cur = text.createTextCursorByRange(para.getStart())
            cur.goRight(found.index(words), False)
            cur.goRight(len(words), True)
            return cur
    raise LookupError(words)


def edit(doc: object) -> None:
    pages = doc.getDrawPages()
    # slide 2: the title retyped in part, a bullet reworded, a word made bold, a bullet added
    title = shape_with(pages.getByIndex(1), "Why pull").getText()
    select(title, "pull").setString("we pull")
    body = shape_with(pages.getByIndex(1), "night before class").getText()
    select(body, "night").setString("morning")
    select(body, "typo").setPropertyValue("CharWeight", 150.0)
    para = next(p for p in paragraphs(body) if "morning before class" in p.getString())
    cur = body.createTextCursorByRange(para.getEnd())
    body.insertControlCharacter(cur, PARAGRAPH_BREAK, False)
    body.insertString(cur, "A picture described", False)
    # slide 3: a table cell fixed
    page = pages.getByIndex(2)
    for i in range(page.getCount()):
        shape = page.getByIndex(i)
        if shape.getShapeType() == "com.sun.star.drawing.TableShape":
            cell = shape.Model.getCellByPosition(1, 2)
            select(cell.getText(), "84.0").setString("84.5")
    # slide 5: Chinese text
    chinese = shape_with(pages.getByIndex(4), "資料的收集").getText()
    select(chinese, "收集").setString("整理")
    # slide 11: notes typed where there were none
    notes = pages.getByIndex(10).getNotesPage()
    for i in range(notes.getCount()):
        shape = notes.getByIndex(i)
        if shape.getShapeType() == "com.sun.star.presentation.NotesShape":
            shape.getText().setString("Mention the record in .deckgen.")


def main(src: str, dst: str, port: str, profile: str) -> None:
    desktop, proc = connect(int(port), profile)
    try:
        doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(os.path.abspath(src)), "_blank", 0, (prop("Hidden", True),))
        edit(doc)
        doc.storeToURL(uno.systemPathToFileUrl(os.path.abspath(dst)), (prop("FilterName", "Impress MS PowerPoint 2007 XML"),))
        doc.close(True)
    finally:
        try:
            desktop.terminate()
        except Exception:  # noqa: BLE001 (the bridge goes with it)
            pass
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)


if __name__ == "__main__":
    main(*sys.argv[1:5])
