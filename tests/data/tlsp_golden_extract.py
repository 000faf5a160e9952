#!/usr/bin/env python3
# tlsp_golden_extract.py - copy the tlsproxy golden bytes that the unit tests
# and the fuzz seeds need out of the shared golden transcripts.
#
# Usage: tests/data/tlsp_golden_extract.py [GOLDEN_DIR]   (default
# /work/shared/golden). Run from the top of the source tree. Writes raw
# files (exact bytes, no framing) to tests/data/ and the request seeds to
# tests/fuzz/corpus/tlsp_request/. Re-running it must not change them.
#
# Per version, from ipc-smtp-tlsproxy-client.jsonl: connection 1's request
# write (header list + body list), its TLS_SESS_STATE reply (full
# handshake) and connection 2's reply (resumed session); from
# ipc-postscreen-tlsproxy-server.jsonl: postscreen's request write.
# From the 3.7.11 set also the announcement and the status reply.
#
# SPDX-License-Identifier: EPL-2.0
import json
import os
import sys

VERSIONS = {
    "3.6.4": "v3.6.4",
    "3.7.11": ".",
    "3.8.6": "v3.8.6",
    "3.10.13": "v3.10.13",
    "3.12-20260821": "v3.12-20260821",
}


def sends(path, conv):
    """Returns {'client': [bytes...], 'server': [bytes...]} of one conv."""
    out = {"client": [], "server": []}
    with open(path) as f:
        for line in f:
            ev = json.loads(line)
            if ev["conv"] == conv and ev["dir"] == "send":
                out[ev["side"]].append(bytes.fromhex(ev["hex"]))
    return out


def write(path, data):
    with open(path, "wb") as f:
        f.write(data)


def main():
    golden = sys.argv[1] if len(sys.argv) > 1 else "/work/shared/golden"
    seeds = "tests/fuzz/corpus/tlsp_request"
    os.makedirs(seeds, exist_ok=True)
    for ver, sub in VERSIONS.items():
        client = os.path.join(golden, sub, "ipc-smtp-tlsproxy-client.jsonl")
        server = os.path.join(golden, sub,
                              "ipc-postscreen-tlsproxy-server.jsonl")
        c1, c2 = sends(client, 1), sends(client, 2)
        s1 = sends(server, 1)
        files = {
            "client-request": c1["client"][0],
            "sess-state-full": c1["server"][2],
            "sess-state-resumed": c2["server"][2],
            "server-request": s1["client"][0],
        }
        for what, data in files.items():
            write("tests/data/tlsp-%s-%s.bin" % (ver, what), data)
        for what in ("client-request", "server-request"):
            write("%s/%s-%s" % (seeds, ver, what), files[what])
        if ver == "3.7.11":
            write("tests/data/tlsp-3.7.11-announce.bin", c1["server"][0])
            write("tests/data/tlsp-3.7.11-status.bin", c1["server"][1])


main()
