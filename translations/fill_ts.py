#!/usr/bin/python3
"""Fills a Qt .ts file from a JSON catalog (source text -> translation; a list for plural forms).

Workflow when user-visible strings change:
    /usr/lib/qt6/bin/lupdate -I . -no-obsolete -locations none app/gui widgets \
        -ts translations/retort_de.ts translations/retort_zh_CN.ts
    # add the new strings to translations/catalog_de.json and catalog_zh_CN.json, then
    /usr/bin/python3 translations/fill_ts.py translations/retort_de.ts translations/catalog_de.json
    /usr/bin/python3 translations/fill_ts.py translations/retort_zh_CN.ts translations/catalog_zh_CN.json
Exits non-zero and lists the strings that have no translation.
"""
import sys, re, json
import xml.etree.ElementTree as ET
path, catalog = sys.argv[1], json.load(open(sys.argv[2]))
tree = ET.parse(path)
missing = []
for msg in tree.iter("message"):
    src = msg.find("source").text
    tr = msg.find("translation")
    if src not in catalog:
        missing.append(src); continue
    val = catalog[src]
    if msg.get("numerus") == "yes":
        for c in list(tr): tr.remove(c)
        tr.text = None
        for form in (val if isinstance(val, list) else [val]):
            nf = ET.SubElement(tr, "numerusform"); nf.text = form
    else:
        tr.text = val
    if "type" in tr.attrib: del tr.attrib["type"]
tree.write(path, encoding="utf-8", xml_declaration=True)
# keep the DOCTYPE line lupdate wrote
s = open(path, encoding="utf-8").read()
if "<!DOCTYPE TS>" not in s:
    s = s.replace("?>\n", "?>\n<!DOCTYPE TS>\n", 1)
open(path, "w", encoding="utf-8").write(s)
if missing: print("MISSING", path, missing); sys.exit(1)
