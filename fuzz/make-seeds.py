#!/usr/bin/env python3
"""Writes the committed seed corpora of the fuzz targets (fuzz/corpus/<target>).

Usage: fuzz/make-seeds.py [--cli build/release/fupin-ledger]

Seeds come from the fixtures (fixtures/contract-vectors.json, the
campaign-small events), from a ledger this script builds in a temporary
directory with the release CLI (records, entity states, projection states,
checkpoints and notes as the store holds them, served answers, evidence
bundles), and from notes and add-checkpoint requests signed here with the
fuzz targets' fixed keys (Ed25519 seeds of 32 bytes 0x11 for the log and
0x22 for the witness). Every seed file is <selector byte><bytes>, except the
http_request seeds, which are raw requests. Rerunning rewrites the seeds
(the ledger's system key is new each time, so its bytes differ).
"""
import argparse
import base64
import hashlib
import json
import os
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time
import urllib.request

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(ROOT, "fuzz", "corpus")
FIXTURE_EVENTS = os.path.join(ROOT, "fixtures", "campaign-small", "events.jsonl")
ADMIN_PUBLIC_KEY = "ZUwm8t3iFBjzYZQHWgqTE2zOMxCIoH8cEkon3FK+MPE="
# Fixture events in the ledger the store seeds are taken from: few enough
# that the projections' states and the bundles stay under the 64 KiB
# max_len of the fuzz runs.
LEDGER_SEED_EVENTS = 300
# The bundles' ledger: as many events as the http_request target holds.
BUNDLE_SEED_EVENTS = 4000
LOG_NAME = "fuzz.example/log"
WITNESS_NAME = "fuzz.example/witness"
EM_DASH = "\u2014"


def write(target, name, data, selector=None):
    directory = os.path.join(CORPUS, target)
    os.makedirs(directory, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    if selector is not None:
        data = bytes([selector]) + data
    with open(os.path.join(directory, name), "wb") as f:
        f.write(data)


def fixture_lines():
    with open(FIXTURE_EVENTS, encoding="utf-8") as f:
        return [line.rstrip("\n") for line in f]


# --- RFC 6962 / C2SP helpers -------------------------------------------------

def leaf_hash(data):
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left, right):
    return hashlib.sha256(b"\x01" + left + right).digest()


def mth(leaves):
    if not leaves:
        return hashlib.sha256(b"").digest()
    if len(leaves) == 1:
        return leaf_hash(leaves[0])
    k = 1
    while k * 2 < len(leaves):
        k *= 2
    return node_hash(mth(leaves[:k]), mth(leaves[k:]))


def subproof(m, leaves, complete):
    """RFC 6962 §2.1.2 SUBPROOF(m, D[n], b)."""
    n = len(leaves)
    if m == n:
        return [] if complete else [mth(leaves)]
    k = 1
    while k * 2 < n:
        k *= 2
    if m <= k:
        return subproof(m, leaves[:k], complete) + [mth(leaves[k:])]
    return subproof(m - k, leaves[k:], False) + [mth(leaves[:k])]


def key_id(name, key_type, public_key):
    return struct.unpack(">I", hashlib.sha256(name.encode() + b"\n" + bytes([key_type]) +
                                              public_key).digest()[:4])[0]


def ed25519(seed_byte):
    key = Ed25519PrivateKey.from_private_bytes(bytes([seed_byte]) * 32)
    public = key.public_key().public_bytes_raw()
    return key, public


def checkpoint_text(origin, size, root):
    return f"{origin}\n{size}\n{base64.b64encode(root).decode()}\n"


def log_signature_line(text):
    key, public = ed25519(0x11)
    kid = key_id(LOG_NAME, 0x01, public)
    sig = key.sign(text.encode())
    return f"{EM_DASH} {LOG_NAME} {base64.b64encode(struct.pack('>I', kid) + sig).decode()}\n"


def cosignature_line(text, timestamp):
    key, public = ed25519(0x22)
    kid = key_id(WITNESS_NAME, 0x04, public)
    message = f"cosignature/v1\ntime {timestamp}\n{text}".encode()
    sig = struct.pack(">Q", timestamp) + key.sign(message)
    return f"{EM_DASH} {WITNESS_NAME} {base64.b64encode(struct.pack('>I', kid) + sig).decode()}\n"


def vkey(name, key_type, public):
    kid = key_id(name, key_type, public)
    return f"{name}+{kid:08x}+{base64.b64encode(bytes([key_type]) + public).decode()}"


# --- Targets -----------------------------------------------------------------

def canonical_json_seeds(vectors, lines):
    n = 0
    for case in vectors["canonical"]:
        for selector in (0, 4):
            write("canonical_json", f"vector-{n}-{selector}",
                  json.dumps(case["input"], ensure_ascii=False), selector)
        write("canonical_json", f"canonical-{n}", case["canonical_utf8"], 0)
        n += 1
    write("canonical_json", "signed-event", json.dumps(vectors["events"][0]["signed"]), 4)
    write("canonical_json", "record", json.dumps(vectors["records"][0]["record"]), 0)
    write("canonical_json", "checkpoint", json.dumps(vectors["checkpoint"]), 4)
    for i in (0, 140, 3000):
        write("canonical_json", f"fixture-{i}", lines[i], 0)
    edges = {
        "negative-zero": ("-0", 0), "fraction": ("[1.5,-0.0,1e400]", 1),
        "exponent": ("1E+2", 1), "max-safe": ("[9007199254740991,-9007199254740991]", 0),
        "beyond-safe": ("9007199254740992", 0), "huge": ("18446744073709551616", 0),
        "surrogates": ('["\\ud83d\\ude00","\\ud800"]', 0), "escapes": ('"\\b\\f\\n\\r\\t\\u0000\\/"', 0),
        "duplicate": ('{"a":1,"\\u0061":2}', 4), "deep": ("[" * 5 + "]" * 5, 2),
        "utf16-order": ('{"\ue000":1,"\U0001f600":2,"a":3}', 4), "literals": ("[true,false,null]", 0),
        "whitespace": (' { "a" : [ 1 , 2 ] } ', 4), "overlong": (b'"\xc0\xaf"', 0),
        "config": ('{"threshold":1.30,"window_days":7}', 5),
    }
    for name, (text, selector) in edges.items():
        write("canonical_json", name, text, selector)


def event_seeds(vectors, lines):
    by_type = {}
    for line in lines:
        event_type = json.loads(line)["type"]
        by_type.setdefault(event_type, []).append(line)
    for event_type, events in sorted(by_type.items()):
        for i, line in enumerate(events[:2]):
            # All roles; then the first lookup absent (definitions pass).
            write("event", f"{event_type}-{i}-exists", line, 0x7F)
            write("event", f"{event_type}-{i}-new", line, 0xFF)
    write("event", "contract-vector", json.dumps(vectors["events"][0]["signed"]), 0x7F)
    sig = base64.b64encode(b"\x00" * 64).decode()
    base = {"id": "0b5e2f4c-3d1a-4e8b-9c7d-2a1b3c4d5e6f", "v": 1, "key": "system",
            "occurred_at": "2020-09-05T10:15:00+08:00", "sig": sig}
    raised = dict(base, type="flag.raised", body={
        "flag_id": "FL-0001", "rule": "FP-01", "severity": "alert",
        "subject": "outlet:C-430102-0001", "region": "430102", "evidence": [41, 42],
        "summary": "同一买家单日多次购买", "details": {"count": 3}})
    resolved = dict(base, type="flag.resolved", body={
        "flag_id": "FL-0001", "resolution": "dismissed", "note": "核实无误"})
    write("event", "flag.raised-exists", json.dumps(raised, ensure_ascii=False), 0x7F)
    write("event", "flag.raised-new", json.dumps(raised, ensure_ascii=False), 0xFF)
    write("event", "flag.resolved-exists", json.dumps(resolved, ensure_ascii=False), 0x7F)


def signed_note_seeds(vectors):
    leaves = [bytes([i]) for i in range(8)]
    text = checkpoint_text(LOG_NAME, 8, mth(leaves))
    note = text + "\n" + log_signature_line(text)
    write("signed_note", "log-signed", note, 0)
    write("signed_note", "cosigned", note + cosignature_line(text, 1599264000), 0)
    write("signed_note", "empty-tree",
          checkpoint_text(LOG_NAME, 0, hashlib.sha256(b"").digest()) + "\n" +
          log_signature_line(checkpoint_text(LOG_NAME, 0, hashlib.sha256(b"").digest())), 0)
    _, log_public = ed25519(0x11)
    _, witness_public = ed25519(0x22)
    write("signed_note", "vkey-log", vkey(LOG_NAME, 0x01, log_public), 1)
    write("signed_note", "vkey-witness", vkey(WITNESS_NAME, 0x04, witness_public), 1)
    write("signed_note", "checkpoint-text", text, 2)
    write("signed_note", "origin-only", LOG_NAME, 2)
    policy = {"witness_quorum": 1, "witnesses": [
        {"name": WITNESS_NAME, "vkey": vkey(WITNESS_NAME, 0x04, witness_public),
         "url": "http://127.0.0.1:9000"}]}
    write("signed_note", "policy", json.dumps(policy), 3)


def witness_seeds():
    leaves = [bytes([i]) for i in range(16)]
    text8 = checkpoint_text(LOG_NAME, 8, mth(leaves[:8]))
    # Selector bit 0: the target signs; bit 1: size 8 already cosigned.
    write("witness_add_checkpoint", "first", "old 0\n\n" + text8, 1)
    write("witness_add_checkpoint", "first-presigned",
          "old 0\n\n" + text8 + "\n" + log_signature_line(text8), 0)
    write("witness_add_checkpoint", "same-again", "old 8\n\n" + text8, 3)
    for size in (9, 12, 13, 16):
        text = checkpoint_text(LOG_NAME, size, mth(leaves[:size]))
        proof = "".join(base64.b64encode(h).decode() + "\n"
                        for h in subproof(8, leaves[:size], True))
        write("witness_add_checkpoint", f"grow-8-{size}", f"old 8\n{proof}\n{text}", 3)
    write("witness_add_checkpoint", "stale-old", "old 0\n\n" + text8, 3)
    write("witness_add_checkpoint", "unknown-origin",
          "old 0\n\n" + checkpoint_text("other.example/log", 1, leaf_hash(b"\x00")), 1)


def http_seeds(lines):
    def request(method, target, token=None, body=None, headers=()):
        out = f"{method} {target} HTTP/1.1\r\nHost: ledger.example\r\n"
        if token:
            out += f"Authorization: Bearer fuzz-{token}-token\r\n"
        for header in headers:
            out += header + "\r\n"
        if body is not None:
            data = body.encode()
            out += f"Content-Type: application/json\r\nContent-Length: {len(data)}\r\n\r\n"
            return out.encode() + data
        return (out + "\r\n").encode()

    gets = {
        "healthz": ("/healthz", None), "checkpoint": ("/v1/checkpoint", "public"),
        "c2sp-checkpoint": ("/checkpoint", None), "checkpoint-at": ("/v1/checkpoints/2", "public"),
        "inclusion": ("/v1/proof/inclusion?seq=5&tree_size=2001", "public"),
        "consistency": ("/v1/proof/consistency?first=2&second=2001", "public"),
        "events": ("/v1/events?from=0&limit=3", "auditor"), "event": ("/v1/events/7", "auditor"),
        "stream": ("/v1/streams/region%3A430000", "auditor"),
        "stats": ("/v1/stats?campaign=HN-2020-09&level=prefecture", "public"),
        "stats-csv": ("/v1/stats?campaign=HN-2020-09&format=csv&region=430100", "public"),
        "targets": ("/v1/targets?campaign=HN-2020-09", "public"),
        "flags": ("/v1/flags?status=open&limit=5", "auditor"), "flag": ("/v1/flags/FL-1", "auditor"),
        "trail": ("/v1/trail/region/430100?limit=5", "auditor"),
        "products": ("/v1/products?county=431226&status=certified&limit=2", "auditor"),
        "product": ("/v1/products/P-430426-0002", "auditor"),
        "suppliers": ("/v1/suppliers?limit=2", "auditor"), "outlets": ("/v1/outlets?kind=counter", "auditor"),
        "outlet": ("/v1/outlets/ZN-ccb-430400", "auditor"),
        "household": ("/v1/households/H430224-1630FD01", "supervisor"),
        "sales": ("/v1/sales?outlet=ZN-ccb-430400&limit=2", "auditor"),
        "sales-time": ("/v1/sales?product=P-430426-0002&from_time=2020-09-01T00:00:00%2B08:00"
                       "&to_time=2020-09-02T00:00:00Z", "auditor"),
        "reports": ("/v1/reports?campaign=HN-2020-09", "auditor"),
        "report-template": ("/v1/reports/template?campaign=HN-2020-09&region=430100", "supervisor"),
        "integrity": ("/v1/integrity", "auditor"), "access-log": ("/v1/access-log?limit=2", "admin"),
        "metrics": ("/metrics", "auditor"), "mirror": ("/v1/mirror/status", "auditor"),
        "web": ("/", None), "asset": ("/assets/app.js", None),
        "no-token": ("/v1/events", None), "bad-token": ("/v1/events?limit=1", "nobody"),
        "as-of": ("/v1/stats?campaign=HN-2020-09&as_of=3000", "public"),
    }
    for name, (target, token) in gets.items():
        write("http_request", f"get-{name}", request("GET", target, token))
    write("http_request", "post-duplicate", request("POST", "/v1/events", None, lines[0]))
    write("http_request", "post-batch",
          request("POST", "/v1/events", None,
                  '{"events":[' + ",".join(lines[100:103]) + "]}"))
    write("http_request", "post-expected-version",
          request("POST", "/v1/events", None, lines[3000], ["If-Match: \"3\""]))
    write("http_request", "post-not-json", request("POST", "/v1/events", None, "{\"id\":"))
    write("http_request", "etag", request("GET", "/v1/events/7", "auditor", None,
                                          ["If-None-Match: \"x\"", "Accept-Encoding: gzip"]))
    write("http_request", "gzip", request("GET", "/v1/stats?campaign=HN-2020-09", "public", None,
                                          ["Accept-Encoding: gzip, deflate;q=0.5"]))
    write("http_request", "method-not-allowed", request("DELETE", "/v1/events", "admin"))
    write("http_request", "head", request("HEAD", "/healthz"))
    write("http_request", "pipelined",
          request("GET", "/healthz") + request("GET", "/v1/checkpoint", "public") +
          request("GET", "/v1/events/3", "auditor", None, ["Connection: close"]))
    chunked = (b"POST /v1/events HTTP/1.1\r\nHost: l\r\nTransfer-Encoding: chunked\r\n"
               b"Content-Type: application/json\r\n\r\n" +
               f"{len(lines[1].encode()):x}\r\n".encode() + lines[1].encode() + b"\r\n0\r\n\r\n")
    write("http_request", "post-chunked", chunked)
    write("http_request", "expect-continue",
          request("POST", "/v1/events", None, lines[2], ["Expect: 100-continue"]))
    write("http_request", "http10", b"GET /healthz HTTP/1.0\r\n\r\n")
    write("http_request", "report-parse-csv",
          request("POST", "/v1/reports/parse?campaign=HN-2020-09&region=430100", "supervisor",
                  "a,b\n1,2\n", ["Content-Type: text/csv"]))


class Server:
    """The release CLI serving a data directory on an ephemeral port."""

    def __init__(self, cli, data, config):
        self.process = subprocess.Popen([cli, "serve", "--data", data, "--listen", "127.0.0.1:0",
                                         "--config", config, "--json"],
                                        stdout=subprocess.PIPE, text=True)
        ready = json.loads(self.process.stdout.readline())
        self.url = ready["listening"]

    def get(self, target, token="fuzz-auditor-token"):
        req = urllib.request.Request(self.url + target,
                                     headers={"Authorization": "Bearer " + token})
        with urllib.request.urlopen(req) as reply:
            return reply.read()

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=120)


def ldb_scan(db, family):
    out = subprocess.run(["ldb", f"--db={db}", f"--column_family={family}", "--hex", "scan"],
                         capture_output=True, text=True, check=True).stdout
    pairs = []
    for line in out.splitlines():
        if " : " not in line or not line.startswith("0x"):
            continue
        key, value = line.split(" : ", 1)
        pairs.append((bytes.fromhex(key[2:]), bytes.fromhex(value[2:])))
    return pairs


def ledger_seeds(cli, lines, vectors):
    work = tempfile.mkdtemp(prefix="fupin-fuzz-seeds-")
    try:
        data = os.path.join(work, "ledger")
        subprocess.run([cli, "init", "--data", data, "--admin-public-key", ADMIN_PUBLIC_KEY,
                        "--origin", "fuzz.example/seeds", "--json"], check=True,
                       stdout=subprocess.DEVNULL)
        config = os.path.join(work, "config.json")
        with open(config, "w") as f:
            json.dump({"tokens": [{"id": "auditor", "role": "auditor", "regions": ["430000"],
                                   "sha256": hashlib.sha256(b"fuzz-auditor-token").hexdigest()}]},
                      f)
        server = Server(cli, data, config)
        try:
            events = "\n".join(lines[:LEDGER_SEED_EVENTS]) + "\n"
            subprocess.run([cli, "submit", "--url", server.url, "--json"], input=events,
                           text=True, check=True, stdout=subprocess.DEVNULL)
            time.sleep(2)  # the projections fold and save when idle
            served = json.loads(server.get("/v1/events?from=2&limit=3"))
            for i, record in enumerate(served["records"]):
                write("store_codecs", f"served-record-{i}", json.dumps(record, ensure_ascii=False), 4)
            write("store_codecs", "served-checkpoint", server.get("/v1/checkpoint"), 3)
            proof = json.loads(server.get("/v1/proof/inclusion?seq=5&tree_size=" +
                                          str(served["records"][0]["seq"] + 100)))
            write("store_codecs", "hex-path", json.dumps(proof.get("path", [])), 4)
        finally:
            server.stop()
        db = os.path.join(data, "db")
        records = ldb_scan(db, "records")
        for i in (0, 1, 2, 150, 250):
            write("store_codecs", f"stored-record-{i}", records[i][1], 0)
        states = ldb_scan(db, "state")
        seen = set()
        for key, value in states:
            if key[0] not in seen:
                seen.add(key[0])
                write("store_codecs", f"entity-state-kind-{key[0]}", value, 1)
        checkpoints = ldb_scan(db, "checkpoints")
        for i, (_, value) in enumerate(checkpoints[:2] + checkpoints[-1:]):
            write("store_codecs", f"checkpoint-{i}", value, 2)
        for i, (_, value) in enumerate(ldb_scan(db, "streams")[:2]):
            write("store_codecs", f"stream-value-{i}", value, 7)
        for i, (_, value) in enumerate(ldb_scan(db, "event_ids")[:1]):
            write("store_codecs", f"event-id-value-{i}", value, 7)
        for key, value in ldb_scan(db, "projections"):
            name = key.decode(errors="replace").replace("/", "-")
            if key.endswith(b"/head"):
                write("store_codecs", f"projection-{name}", value, 8)
            elif key.endswith(b"/state") and len(value) < 60000:
                write("store_codecs", f"projection-{name}", value, 9)
                # StateBlob: u32 layout, u32 version, u64 position, 32-byte
                # hash, u64 length, then the projection's own state.
                inner = value[4 + 4 + 8 + 32 + 8:]
                if key.startswith(b"statistics"):
                    write("store_codecs", f"projection-state-{name}", inner, 10)
                elif key.startswith(b"entities"):
                    write("store_codecs", f"projection-state-{name}", inner, 11)
                elif key.startswith(b"rules"):
                    # The runner's state: the engine's, then the flag book's.
                    size = struct.unpack("<Q", inner[:8])[0]
                    write("store_codecs", f"rule-engine-state", inner[8:8 + size], 12)
        for i, (_, value) in enumerate(ldb_scan(db, "notes")[-2:]):
            write("signed_note", f"ledger-note-{i}", value, 0)
        write("store_codecs", "hex", vectors["checkpoint"]["root_hash"], 5)
        write("store_codecs", "base64", vectors["checkpoint"]["sig"], 6)
        write("store_codecs", "base64-short", "YQ==", 6)
        write("store_codecs", "contract-checkpoint", json.dumps(vectors["checkpoint"]), 2)

    finally:
        shutil.rmtree(work, ignore_errors=True)


def bundle_seeds(cli, lines):
    """Bundles of entities with short trails, from a ledger of the events
    the http_request target holds (each bundle under 60 KB)."""
    work = tempfile.mkdtemp(prefix="fupin-fuzz-bundles-")
    try:
        data = os.path.join(work, "ledger")
        subprocess.run([cli, "init", "--data", data, "--admin-public-key", ADMIN_PUBLIC_KEY,
                        "--json"], check=True, stdout=subprocess.DEVNULL)
        config = os.path.join(work, "config.json")
        with open(config, "w") as f:
            json.dump({"tokens": [{"id": "supervisor", "role": "supervisor", "regions": ["430000"],
                                   "sha256": hashlib.sha256(b"fuzz-supervisor-token").hexdigest()}]},
                      f)
        server = Server(cli, data, config)
        try:
            events = "\n".join(lines[:BUNDLE_SEED_EVENTS]) + "\n"
            subprocess.run([cli, "submit", "--url", server.url, "--json"], input=events,
                           text=True, check=True, stdout=subprocess.DEVNULL)
            # The official form as the server hands it out, posted back.
            form = server.get("/v1/reports/template?campaign=HN-2020-09&region=430100",
                              "fuzz-supervisor-token")
            head = ("POST /v1/reports/parse?campaign=HN-2020-09&region=430100 HTTP/1.1\r\n"
                    "Host: l\r\nAuthorization: Bearer fuzz-supervisor-token\r\n"
                    "Content-Type: application/vnd.openxmlformats-officedocument."
                    f"spreadsheetml.sheet\r\nContent-Length: {len(form)}\r\n\r\n")
            write("http_request", "report-parse-xlsx", head.encode() + form)
        finally:
            server.stop()
        made = 0
        for entity in ("region/430000", "supplier/SUP-430224-001", "campaign/HN-2020-09",
                       "household/H430224-1630FD01", "product/P-431226-0003",
                       "outlet/C-430182-0001", "key/admin"):
            out = os.path.join(work, "bundle.json")
            done = subprocess.run([cli, "replay", "bundle", "--data", data, "--out", out, entity],
                                  capture_output=True)
            if done.returncode != 0 or os.path.getsize(out) > 60000:
                continue
            with open(out, "rb") as f:
                bundle = f.read()
            name = entity.replace("/", "-")
            write("bundle_verify", f"{name}", bundle, 0)
            write("bundle_verify", f"{name}-anchor", bundle, 1)
            write("bundle_verify", f"{name}-policy", bundle, 2)
            made += 1
        if made == 0:
            print("make-seeds: no bundle under 60 KB", file=sys.stderr)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cli", default=os.path.join(ROOT, "build", "release", "fupin-ledger"))
    args = parser.parse_args()
    with open(os.path.join(ROOT, "fixtures", "contract-vectors.json"), encoding="utf-8") as f:
        vectors = json.load(f)
    lines = fixture_lines()
    for target in os.listdir(CORPUS) if os.path.isdir(CORPUS) else []:
        shutil.rmtree(os.path.join(CORPUS, target))
    canonical_json_seeds(vectors, lines)
    event_seeds(vectors, lines)
    signed_note_seeds(vectors)
    witness_seeds()
    http_seeds(lines)
    ledger_seeds(args.cli, lines, vectors)
    bundle_seeds(args.cli, lines)
    for target in sorted(os.listdir(CORPUS)):
        files = os.listdir(os.path.join(CORPUS, target))
        print(f"make-seeds: {target}: {len(files)} seeds")


if __name__ == "__main__":
    main()
