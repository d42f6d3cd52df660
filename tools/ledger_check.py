#!/usr/bin/env python3
"""Independent checker for attest auditor bundles.

Written from docs/ledger-format.md alone, with the Python 3 standard
library only. It checks the MANIFEST's file list and hashes, every entry
bundle and LeafV1, the payload commitments, that every removed payload is
accounted for by a redaction or purge, the tree root against `checkpoint`
and every `checkpoints/<size>`, the stored tiles and the proofs/.

It does NOT verify Ed25519 signatures (the standard library has no
Ed25519), hence neither the key chain, trusted checkpoints nor time
windows: run `attest verify` for those. This tool confirms that the
bundle's content is what the signatures vouch for.

Usage: ledger_check.py BUNDLE_DIR
Exit status: 0 no problem found, 1 tamper evidence, 2 usage or I/O error.
"""
import base64
import hashlib
import os
import re
import struct
import sys

W = 256  # entries per bundle, hashes per tile
REDACTED, NOT_EXPORTED = 0xFFFFFFFF, 0xFFFFFFFE
REASONS = {b"gdpr_erasure", b"retention_expiry", b"legal_order",
           b"collection_error"}
DECIMAL = r"0|[1-9][0-9]*"


class Bad(Exception):
    """A malformed structure: Bad(message[, finding code])."""


def sha256(*parts):
    h = hashlib.sha256()
    for p in parts:
        h.update(p)
    return h.digest()


def node_hash(left, right):
    return sha256(b"\x01", left, right)


def b64(s):
    """Strict base64 (docs, conventions): padded, one spelling only."""
    try:
        data = base64.b64decode(s, validate=True)
    except ValueError:
        raise Bad("not base64: %r" % s[:40])
    if base64.b64encode(data).decode() != s:
        raise Bad("not canonical base64: %r" % s[:40])
    return data


def decimal(s):
    if not re.fullmatch(DECIMAL, s) or int(s) >= 1 << 64:
        raise Bad("not a decimal number: %r" % s[:40])
    return int(s)


class Reader:
    """A cursor over untrusted bytes (docs §2): every read is checked."""

    def __init__(self, data, what):
        self.data, self.off, self.what = data, 0, what

    def take(self, n, field):
        if len(self.data) - self.off < n:
            raise Bad("%s: %s: truncated" % (self.what, field))
        self.off += n
        return self.data[self.off - n:self.off]

    def uint(self, n, field):
        return int.from_bytes(self.take(n, field), "big")

    def opaque(self, width, lo, hi, field):
        n = self.uint(width, field)
        if not lo <= n <= hi:
            raise Bad("%s: %s: length %d not in [%d, %d]"
                      % (self.what, field, n, lo, hi))
        return self.take(n, field)

    def end(self):
        if self.off != len(self.data):
            raise Bad("%s: trailing bytes" % self.what)


def parse_leaf(data):
    """LeafV1 (docs §2) with its body (§2.1), as a dict."""
    r = Reader(data, "leaf")
    if len(data) > 65535 or r.uint(1, "version") != 1:
        raise Bad("leaf: too long or version is not 1")
    leaf = {"kind": r.uint(1, "kind")}
    if not 1 <= leaf["kind"] <= 7:
        raise Bad("leaf: unknown kind %d" % leaf["kind"])
    leaf["index"] = r.uint(8, "index")
    leaf["logged_at_ms"] = r.uint(8, "logged_at_ms")
    r.uint(8, "observed_at_ms")
    r.opaque(1, 1, 255, "tenant")
    r.opaque(1, 1, 255, "source")
    r.opaque(2, 0, 65535, "controls")
    r.opaque(1, 0, 255, "media_type")
    leaf["payload_len"] = r.uint(8, "payload_len")
    leaf["commitment"] = r.take(32, "payload_commitment")
    body = Reader(r.opaque(2, 0, 65535, "body"), "body")
    r.end()
    kind = leaf["kind"]
    if kind == 2:  # redaction
        leaf["target"] = body.uint(8, "target")
        if body.opaque(1, 1, 255, "reason") not in REASONS:
            raise Bad("body: unknown redaction reason")
        body.opaque(1, 0, 255, "request_ref")
        body.opaque(1, 0, 255, "approver_ref")
    elif kind == 3:  # retention_purge
        leaf["from"], leaf["to"] = body.uint(8, "from"), body.uint(8, "to")
        body.uint(8, "cutoff_ms")
        body.opaque(1, 1, 255, "policy")
        if leaf["from"] > leaf["to"]:
            raise Bad("body: from after to")
    elif kind == 4:  # key_event
        body.opaque(2, 1, 65535, "new_vkey")
        body.opaque(2, 0, 65535, "old_vkey")
    elif kind == 5:  # anchor_receipt
        body.take(16, "size and received_at_ms")
        body.opaque(1, 1, 255, "kind")
    body.end()  # evidence, annotation and change bodies are empty
    return leaf


class Tree:
    """The RFC 6962 tree as a stack of full-subtree roots (docs §1)."""

    def __init__(self):
        self.size, self.stack = 0, []

    def append(self, h):
        n = self.size
        while n & 1:
            h, n = node_hash(self.stack.pop(), h), n >> 1
        self.stack.append(h)
        self.size += 1

    def root(self):
        r = self.stack[-1] if self.stack else sha256(b"")
        for s in reversed(self.stack[:-1]):
            r = node_hash(s, r)
        return r


def mth(hashes):
    """Root of a power-of-two number of hashes (one full tile)."""
    while len(hashes) > 1:
        hashes = [node_hash(a, b) for a, b in zip(hashes[::2], hashes[1::2])]
    return hashes[0]


def tile_path(prefix, n, width=W):
    """docs §6: 'x'-prefixed groups of three digits, '.p/<W>' if partial."""
    path = "%03d" % (n % 1000)
    while n >= 1000:
        n //= 1000
        path = "x%03d/%s" % (n % 1000, path)
    return "%s/%s%s" % (prefix, path, ".p/%d" % width if width < W else "")


def note_text(data, what):
    """The text of a signed note (docs §4.2); signatures: form only."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise Bad("%s: not UTF-8" % what)
    cut = text.rfind("\n\n")
    if re.search("[\x00-\x09\x0b-\x1f]", text) or cut < 0 or \
            not text.endswith("\n") or cut + 2 == len(text):
        raise Bad("%s: not a signed note" % what)
    for line in text[cut + 2:-1].split("\n"):
        if not re.fullmatch("\u2014 [^ +]+ [A-Za-z0-9+/]+=*", line):
            raise Bad("%s: malformed signature line" % what)
    return text[:cut + 1]


def checkpoint(data, what):
    """(origin, size, root) of a signed checkpoint (docs §4.3)."""
    lines = note_text(data, what).split("\n")[:-1]
    if len(lines) != 3 or not lines[0] or "\x7f" in lines[0]:
        raise Bad("%s: not exactly origin, size and root" % what)
    root = b64(lines[2])
    if len(root) != 32:
        raise Bad("%s: root is not 32 bytes" % what)
    return lines[0], decimal(lines[1]), root


class Check:
    def __init__(self, bundle):
        self.dir, self.findings, self.listed, self.seen = bundle, [], {}, set()
        self.cps, self.proofs = {}, {}  # size -> [(file, root)]; idx -> ...

    def tamper(self, code, msg, index=None):
        self.findings.append((code, index, msg))

    def load(self, rel):
        """rel's bytes, checked against the MANIFEST once; None if absent."""
        path = os.path.join(self.dir, rel)
        first = rel in self.listed and rel not in self.seen
        self.seen.add(rel)
        if os.path.islink(path) or not os.path.isfile(path):
            if first:
                self.tamper("file_missing", "%s: listed, missing" % rel)
            return None
        with open(path, "rb") as f:
            data = f.read()
        if first and (len(data), hashlib.sha256(data).digest()) != \
                self.listed[rel]:
            self.tamper("file_mismatch", "%s: differs from the MANIFEST" % rel)
        return data

    def manifest(self):
        """docs §7.1 and §8.1."""
        data = self.load("MANIFEST")
        if data is None:
            raise Bad("MANIFEST: missing; no file can be checked",
                      "file_missing")
        lines = note_text(data, "MANIFEST").split("\n")[:-1]
        m = re.fullmatch(r"attest\.dev/bundle@v1\norigin ([^\n]+)\nsize (\S+)"
                         r"\nperiod (\S+) (\S+)\nfrom \S+ to \S+",
                         "\n".join(lines[:5]))
        if not m:
            raise Bad("MANIFEST: header lines malformed")
        self.origin = m.group(1)
        self.size, self.first, self.end = map(decimal, m.group(2, 3, 4))
        if not self.first <= self.end <= self.size:
            raise Bad("MANIFEST: period not within [0, size]")
        prev = b""
        for line in lines[5:]:
            f = re.fullmatch(r"file ([0-9a-f]{64}) (\S+) "
                             r"([^\x00-\x20\x7f\\]+)", line)
            path = f.group(3) if f else ""
            if not f or len(path) > 4096 or path.encode() <= prev or any(
                    c in ("", ".", "..") for c in path.split("/")):
                raise Bad("MANIFEST: bad, unsafe or unsorted: %r" % line[:80])
            prev = path.encode()
            self.listed[path] = (decimal(f.group(2)),
                                 bytes.fromhex(f.group(1)))
        for top, dirs, files in os.walk(self.dir):
            for name in dirs + files:
                path = os.path.join(top, name)
                rel = os.path.relpath(path, self.dir).replace(os.sep, "/")
                if os.path.islink(path) or not (os.path.isdir(path) or
                                                os.path.isfile(path)):
                    self.tamper("file_unexpected", "%s: not a file" % rel)
                elif name in files and rel != "MANIFEST" and \
                        rel not in self.listed:
                    self.tamper("file_unexpected", "%s: not listed" % rel)

    def checkpoints(self):
        """checkpoint, checkpoints/<size> and proofs/ (docs §7.3, §7.7)."""
        if "checkpoint" not in self.listed:
            self.tamper("file_missing", "checkpoint: not in the MANIFEST")
        for rel in sorted(self.listed):
            proof = re.fullmatch(r"proofs/(%s)\.tlog-proof" % DECIMAL, rel)
            named = re.fullmatch(r"checkpoints/(%s)" % DECIMAL, rel)
            if rel != "checkpoint" and not proof and not named:
                continue
            data = self.load(rel)
            try:
                if data is None:
                    continue
                if proof:
                    path, data = self.parse_proof(rel, int(proof.group(1)),
                                                  data)
                origin, size, root = checkpoint(data, rel)
            except (Bad, UnicodeDecodeError) as e:
                self.tamper("proof_invalid" if proof else
                            "checkpoint_malformed", str(e))
                continue
            if origin != self.origin:
                self.tamper("origin_mismatch", "%s: origin %r" % (rel, origin))
            if rel == "checkpoint" and size != self.size:
                self.tamper("manifest_invalid", "MANIFEST size %d, checkpoint"
                            " %d" % (self.size, size))
            if named and decimal(named.group(1)) != size:
                self.tamper("checkpoint_malformed", "%s: signs size %d"
                            % (rel, size), size)
            if proof:  # [file, path, size, root, leaf hash when seen]
                self.proofs[int(proof.group(1))] = [rel, path, size, root,
                                                    None]
            self.cps.setdefault(size, []).append((rel, root))

    def parse_proof(self, rel, idx, data):
        """A tlog-proof (docs §5.1): its path and its checkpoint note."""
        m = re.fullmatch(r"c2sp\.org/tlog-proof@v1\n(?:extra \S*\n)?index "
                         r"(\S+)\n((?:\S+\n)*)\n(.*)", data.decode(), re.S)
        if not m or decimal(m.group(1)) != idx:
            raise Bad("%s: malformed, or proves another entry" % rel)
        path = [b64(p) for p in m.group(2).split("\n")[:-1]]
        if len(path) > 64 or any(len(p) != 32 for p in path):
            raise Bad("%s: bad path" % rel)
        return path, m.group(3).encode()

    def payload(self, pdata, poff, prel, i):
        """(state, salt, payload, next offset) of entry i (docs §7.5)."""
        if len(pdata) - poff < 4:
            raise Bad("%s: ends before the length of entry %d" % (prel, i))
        n = struct.unpack(">I", pdata[poff:poff + 4])[0]
        if n >= NOT_EXPORTED:
            return n, None, None, poff + 4
        if len(pdata) - poff - 4 < 32 + n:
            raise Bad("%s: payload of entry %d runs past the end" % (prel, i))
        return n, pdata[poff + 4:poff + 36], pdata[poff + 36:poff + 36 + n], \
            poff + 36 + n

    def entries(self):
        """docs §8.3, then the redaction accounting of §8.6."""
        tree, level1 = Tree(), []  # level1: hashes of tile level 1
        prev, missing, redacted_by, purges = 0, [], {}, []
        self.counts = dict.fromkeys(("payloads", "redacted",
                                     "not exported"), 0)
        for n in range((self.size + W - 1) // W):
            lo, width = n * W, min(W, self.size - n * W)
            data = self.load(tile_path("tile/entries", n, width))
            if data is None:
                self.tamper("entry_missing", "no entry bundle %d" % n, lo)
                break
            prel = tile_path("payload", n, width)
            pdata = self.load(prel)
            if pdata is None and lo < self.end and self.first < lo + width \
                    and prel not in self.listed:
                self.tamper("file_missing", "%s: period's payloads" % prel)
            tile = self.load(tile_path("tile/0", n)) if width == W else None
            if tile is not None and len(tile) != W * 32:
                self.tamper("tile_mismatch", "tile/0 %d: wrong size" % n, lo)
                tile = None
            off = poff = 0
            bundle = []  # this bundle's leaf hashes
            for i in range(lo, lo + width):
                k = struct.unpack(">H", data[off:off + 2])[0] \
                    if len(data) - off >= 2 else None
                if k is None or len(data) - off - 2 < k:
                    self.tamper("bundle_malformed", "entry past the end", i)
                    break
                raw, off = data[off + 2:off + 2 + k], off + 2 + k
                h = sha256(b"\x00", raw)
                if tile is not None and tile[32 * (i - lo):32 * (i - lo + 1)] \
                        != h:
                    self.tamper("leaf_changed", "leaf differs from tile/0", i)
                    h = tile[32 * (i - lo):32 * (i - lo + 1)]  # pins it here
                tree.append(h)
                bundle.append(h)
                if i in self.proofs:
                    self.proofs[i][4] = h
                for rel, root in self.cps.get(tree.size, []):
                    if root != tree.root():
                        self.tamper("root_mismatch", "%s: root differs from "
                                    "the entries'" % rel, tree.size)
                state = NOT_EXPORTED
                if pdata is not None:
                    try:
                        state, salt, payload, poff = self.payload(
                            pdata, poff, prel, i)
                    except Bad as e:
                        self.tamper("bundle_malformed", str(e), i)
                        pdata = None
                try:
                    leaf = parse_leaf(raw)
                except Bad as e:
                    self.tamper("leaf_malformed", str(e), i)
                    continue
                if leaf["index"] != i:
                    self.tamper("index_mismatch", "leaf says index %d"
                                % leaf["index"], i)
                if leaf["logged_at_ms"] < prev:
                    self.tamper("logged_at_decreasing", "logged_at goes back",
                                i)
                prev = leaf["logged_at_ms"]
                if leaf["kind"] == 2 and leaf["target"] >= i or \
                        leaf["kind"] == 3 and leaf["to"] > i:
                    self.tamper("redaction_invalid", "names itself or a "
                                "later entry", i)
                elif leaf["kind"] == 2:
                    redacted_by.setdefault(leaf["target"], i)
                elif leaf["kind"] == 3:
                    purges.append((leaf["from"], leaf["to"]))
                if state == NOT_EXPORTED and self.first <= i < self.end:
                    state = REDACTED  # nothing may be left out of the period
                if state == REDACTED:
                    missing.append(i)
                elif state == NOT_EXPORTED:
                    self.counts["not exported"] += 1
                else:
                    self.counts["payloads"] += 1
                    if state != leaf["payload_len"] or sha256(
                            b"attest/payload/v1\x00", salt, payload) != \
                            leaf["commitment"]:
                        self.tamper("payload_mismatch", "payload does not "
                                    "match the leaf's commitment", i)
            else:
                if off != len(data) or \
                        pdata is not None and poff != len(pdata):
                    self.tamper("bundle_malformed", "trailing bytes", lo)
                if width == W:
                    level1.append(mth(bundle))
                continue
            break  # a broken entry bundle ends the stream
        for i in missing:
            if i in redacted_by or any(f <= i < t for f, t in purges):
                self.counts["redacted"] += 1
            else:
                self.tamper("unauthorised_deletion", "payload missing and no "
                            "redaction or purge names it", i)
        return tree, level1

    def tiles(self, hashes):
        """Full tiles of the levels above 0 (docs §6)."""
        for level in range(1, 8):
            for n in range(len(hashes) // W):
                tile = self.load(tile_path("tile/%d" % level, n))
                if tile is not None and \
                        tile != b"".join(hashes[n * W:(n + 1) * W]):
                    self.tamper("tile_mismatch", "tile/%d %d differs from the "
                                "entries" % (level, n), n * W << 8 * level)
            hashes = [mth(hashes[j:j + W])
                      for j in range(0, len(hashes) // W * W, W)]

    def check_proofs(self):
        """Each proof's path from its leaf to its root (docs §5.1)."""
        for idx, (rel, path, size, root, r) in sorted(self.proofs.items()):
            fn, sn = idx, size - 1
            for p in path if r is not None and idx < size else []:
                if sn == 0:
                    break
                if fn & 1 or fn == sn:
                    r = node_hash(p, r)
                    while fn and not fn & 1:
                        fn, sn = fn >> 1, sn >> 1
                else:
                    r = node_hash(r, p)
                fn, sn = fn >> 1, sn >> 1
            if r is None or idx >= size or sn != 0 or r != root:
                self.tamper("proof_invalid", "%s: does not lead from the entry"
                            " to the root" % rel, idx)


def main(argv):
    if len(argv) != 2 or not os.path.isdir(argv[1]):
        print("usage: ledger_check.py BUNDLE_DIR", file=sys.stderr)
        return 2
    c, tree = Check(argv[1]), Tree()
    c.counts = {}
    try:
        c.manifest()
        c.checkpoints()
        tree, level1 = c.entries()
        c.tiles(level1)
        c.check_proofs()
        for size in sorted(c.cps):
            if size > tree.size:
                c.tamper("truncated", "a checkpoint signs %d entries, %d are "
                         "present" % (size, tree.size), size)
        if tree.size and max(c.cps, default=0) < tree.size:
            c.tamper("entries_unsigned", "entries after the last checkpoint")
        for rel in sorted(set(c.listed) - c.seen):
            c.load(rel)
    except Bad as e:  # the MANIFEST: nothing can be checked without it
        c.tamper(e.args[1] if len(e.args) > 1 else "manifest_invalid",
                 e.args[0])
    except OSError as e:
        print("ledger_check: %s" % e, file=sys.stderr)
        return 2
    for code, index, msg in c.findings:
        print("TAMPER  %-22s %-9s %s" % (code, "" if index is None
                                          else "@%d" % index, msg))
    print("note: Ed25519 signatures (MANIFEST, checkpoints) NOT checked: the "
          "Python standard library has no Ed25519; 'attest verify' checks "
          "them")
    print("%s: %d entries, %d checkpoint sizes%s" % (
        "TAMPER EVIDENCE" if c.findings else "ok", tree.size, len(c.cps),
        "".join(", %d %s" % (v, k) for k, v in c.counts.items())))
    return 1 if c.findings else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
