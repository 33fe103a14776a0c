#!/usr/bin/env python3
"""Writes tests/fuzz/dicts/<target>.dict (libFuzzer dictionaries) for the JSON-based targets:
JSON's own tokens, numbers at the edges of what the parsers convert (huge, negative, fractional,
2^53, 2^63), and every key and string value found in the target's seed corpus.
Run from anywhere: python3 tests/fuzz/make_dicts.py"""
import json, os, pathlib

here = pathlib.Path(__file__).resolve().parent
common = ['{', '}', '[', ']', ':', ',', '"', 'null', 'true', 'false', '0', '-1', '1.5', '3.0',
          '1e300', '-1e300', '1e400', '9007199254740993', '9223372036854775808',
          '18446744073709551616', '"\\u0000"', '"\\ud800"', '//', '/*', '*/']
json_targets = {'bert_config', 'experiment', 'tokenizer_config', 'summary', 'metrics_log',
                'safetensors_index', 'safetensors', 'resume_info'}

def words(value, out):
    if isinstance(value, dict):
        for k, v in value.items():
            out.add(k)
            words(v, out)
    elif isinstance(value, list):
        for v in value:
            words(v, out)
    elif isinstance(value, str) and len(value) < 40:
        out.add(value)

def documents(path):
    data = path.read_bytes()
    if path.suffix == '.safetensors' and len(data) >= 8:  # the JSON header
        n = int.from_bytes(data[:8], 'little')
        data = data[8:8 + n]
    text = data.decode('utf-8', 'replace')
    try:
        yield json.loads(text)
        return
    except ValueError:
        pass
    try:  # JSON with // comment lines (the presets)
        yield json.loads('\n'.join(l for l in text.splitlines() if not l.lstrip().startswith('//')))
        return
    except ValueError:
        pass
    for line in text.splitlines():  # JSON Lines
        try:
            yield json.loads(line)
        except ValueError:
            continue

(here / 'dicts').mkdir(exist_ok=True)
for target in sorted(json_targets):
    found = set()
    for seed in sorted((here / 'seeds' / target).glob('*')):
        for doc in documents(seed):
            words(doc, found)
    entries = common + sorted('"%s"' % w for w in found if '"' not in w and '\\' not in w)
    with open(here / 'dicts' / (target + '.dict'), 'w') as f:
        for e in entries:
            f.write('"%s"\n' % ''.join('\\x%02x' % b if b < 32 or b > 126 or b in (34, 92) else chr(b)
                                        for b in e.encode()))
    print(target, len(entries))
