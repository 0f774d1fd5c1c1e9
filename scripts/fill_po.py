"""Fill zh_Hans msgstrs from a Python file defining T (msgid → msgstr) and PLURAL (singular msgid
→ msgstr): clears fuzzy marks and previous msgids, drops obsolete entries, reports what is left."""

from __future__ import annotations

import runpy
import sys

import polib

PO = "edugov/locale/zh_Hans/LC_MESSAGES/django.po"


def main(source: str) -> int:
    data = runpy.run_path(source)
    table, plural = data.get("T", {}), data.get("PLURAL", {})
    po = polib.pofile(PO)
    for e in list(po):
        if e.obsolete:
            po.remove(e)
            continue
        if e.msgid_plural and e.msgid in plural:
            e.msgstr_plural = {0: plural[e.msgid]}
        elif e.msgid in table:
            e.msgstr = table[e.msgid]
        else:
            continue
        if "fuzzy" in e.flags:
            e.flags.remove("fuzzy")
        e.previous_msgid = e.previous_msgid_plural = None
    po.save(PO)
    left = [e.msgid for e in po if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)]
    for msgid in left:
        print("untranslated:", msgid)
    return 1 if left else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
