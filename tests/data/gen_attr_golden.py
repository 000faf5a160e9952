#!/usr/bin/env python3
"""gen_attr_golden.py - extract attribute lists from the golden transcripts

Regenerates tests/data/attr_golden.h (C arrays for check_attr_dec/enc) and
the libFuzzer seeds in tests/fuzz/corpus/attr_dec/ from the stock Postfix
IPC captures. Run from the top of the tree:

    tests/data/gen_attr_golden.py /work/shared/golden

Every 'send' event that is not a descriptor-passing dummy byte and that
splits exactly into whole attr0 lists contributes each of its lists (plain
SMTP text after the TLS handshake does not, as it never ends in NUL).
Identical lists are kept once. The expected pairs are computed here, by a
decoder independent of the C one.

SPDX-License-Identifier: EPL-2.0
"""
import hashlib
import json
import os
import sys

CONVERSATIONS = ["ipc-smtp-tlsproxy-client", "ipc-smtp-scache",
                 "ipc-tlsproxy-tlsmgr"]
VERSIONS = ["", "v3.6.4", "v3.8.6", "v3.10.13", "v3.12-20260821"]


def split_lists(data):
    """Returns [(bytes, [(name, value)])] or None if data is not whole lists."""
    lists, pos = [], 0
    while pos < len(data):
        start, pairs = pos, []
        while True:
            end = data.find(b"\0", pos)
            if end < 0:
                return None
            name, pos = data[pos:end], end + 1
            if not name:
                break
            end = data.find(b"\0", pos)
            if end < 0:
                return None
            pairs.append((name, data[pos:end]))
            pos = end + 1
        lists.append((data[start:pos], pairs))
    return lists


def c_string(data):
    out = []
    for b in data:
        ch = chr(b)
        if 32 <= b < 127 and ch not in '"\\?':
            out.append(ch)
        else:
            out.append("\\%03o" % b)
    return '"' + "".join(out) + '"'


def c_wrapped(data, indent="\t    "):
    chunks = [data[i:i + 40] for i in range(0, len(data), 40)] or [b""]
    return ("\n" + indent).join(c_string(c) for c in chunks)


def collect(golden):
    seen, vectors = set(), []
    for version in VERSIONS:
        for conv in CONVERSATIONS:
            path = os.path.join(golden, version, conv + ".jsonl")
            if not os.path.exists(path):
                continue
            for line in open(path):
                ev = json.loads(line)
                if ev.get("dir") != "send" or ev.get("scm_rights"):
                    continue
                lists = split_lists(bytes.fromhex(ev["hex"]))
                for raw, pairs in lists or []:
                    if not pairs or raw in seen:
                        continue
                    seen.add(raw)
                    label = "%s/%s#%d" % (version or "v3.7.11", conv, ev["n"])
                    vectors.append((label, raw, pairs))
    return vectors


def write_header(vectors, path):
    with open(path, "w") as f:
        f.write("/*\n * attr_golden.h - attr0 lists from the golden "
                "captures (generated)\n *\n"
                " * Made by tests/data/gen_attr_golden.py; do not edit.\n"
                " *\n * SPDX-License-Identifier: EPL-2.0\n */\n"
                "#include <stddef.h>\n\n"
                "struct attr_golden {\n"
                "\tconst char *label;\n"
                "\tconst char *bytes; /* one whole list */\n"
                "\tsize_t len;\n"
                "\tsize_t count;\n"
                "\tconst char *const *pairs; /* name, value, ... */\n"
                "};\n\n")
        for i, (_, _, pairs) in enumerate(vectors):
            f.write("static const char *const attr_golden_pairs_%d[] = {\n"
                    % i)
            for name, value in pairs:
                f.write("\t%s,\n\t    %s,\n" % (c_string(name),
                                               c_wrapped(value)))
            f.write("};\n\n")
        f.write("static const struct attr_golden attr_golden[] = {\n")
        for i, (label, raw, pairs) in enumerate(vectors):
            f.write("\t{\"%s\",\n\t    %s,\n\t    %d, %d, "
                    "attr_golden_pairs_%d},\n"
                    % (label, c_wrapped(raw), len(raw), len(pairs), i))
        f.write("};\n\n#define ATTR_GOLDEN_COUNT "
                "(sizeof(attr_golden) / sizeof(attr_golden[0]))\n")


def write_corpus(vectors, directory):
    os.makedirs(directory, exist_ok=True)
    for _, raw, _ in vectors:
        name = hashlib.sha1(raw).hexdigest()[:16]
        with open(os.path.join(directory, name), "wb") as f:
            f.write(raw)


def main():
    golden = sys.argv[1] if len(sys.argv) > 1 else "/work/shared/golden"
    vectors = collect(golden)
    write_header(vectors, "tests/data/attr_golden.h")
    write_corpus(vectors, "tests/fuzz/corpus/attr_dec")
    print("%d lists" % len(vectors))


if __name__ == "__main__":
    main()
