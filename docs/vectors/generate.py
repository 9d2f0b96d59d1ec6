#!/usr/bin/env python3
"""Writes the Parley test vectors in this directory from docs/PROTOCOL.md alone.

An implementation independent of the Java code (Python's `cryptography` package for X25519,
HKDF, ChaCha20-Poly1305, AES-256-GCM and PBKDF2), so that the vectors check the Java code rather than echo it.
Every input is fixed, so running it again gives the same files. Flat JSON: every value is a
lowercase hex string, a decimal integer or (for SCRAM's text messages) a plain string.
"""
import base64, hashlib, hmac, json, struct
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives import serialization, hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDFExpand
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305, AESGCM

def h(b): return b.hex()
def b64(b): return base64.b64encode(b).decode()

def write(name, obj):
    with open(name, "w") as f:
        json.dump(obj, f, indent=2)
        f.write("\n")

# ---- SCRAM-SHA-256 (PROTOCOL.md 7.1, 7.6; RFC 5802 / RFC 7677) ----------------------------
user, password = "alice", "correct horse battery"
salt = bytes(range(0x10, 0x20))            # 16 bytes
iterations = 4096
cnonce = "parleyClientNonce0123456"        # 24 printable characters, no ','
snonce = "parleyServerNonce6543210"
salted = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, iterations)
client_key = hmac.new(salted, b"Client Key", "sha256").digest()
stored_key = hashlib.sha256(client_key).digest()
server_key = hmac.new(salted, b"Server Key", "sha256").digest()
client_first_bare = f"n={user},r={cnonce}"
client_first = "n,," + client_first_bare
server_first = f"r={cnonce}{snonce},s={b64(salt)},i={iterations}"
final_without_proof = f"c={b64(b'n,,')},r={cnonce}{snonce}"
auth_message = f"{client_first_bare},{server_first},{final_without_proof}"
client_signature = hmac.new(stored_key, auth_message.encode(), "sha256").digest()
proof = bytes(a ^ b for a, b in zip(client_key, client_signature))
server_signature = hmac.new(server_key, auth_message.encode(), "sha256").digest()
# SCRAM-SHA-256-PLUS (PROTOCOL.md "TLS"; RFC 5802 section 6, RFC 5929): the same login over TLS.
# cbind-data is the tls-server-end-point value, SHA-256 over the DER of the server's certificate
# (here a stand-in DER string; on a real connection, the certificate the server presented).
def plus_vector():
    cert_der = b"0\x82stand-in DER of the registry's certificate"
    cbind_data = hashlib.sha256(cert_der).digest()
    gs2 = "p=tls-server-end-point,,"
    first = gs2 + client_first_bare
    without_proof = f"c={b64(gs2.encode() + cbind_data)},r={cnonce}{snonce}"
    auth = f"{client_first_bare},{server_first},{without_proof}"
    sig = hmac.new(stored_key, auth.encode(), "sha256").digest()
    prf = bytes(a ^ b for a, b in zip(client_key, sig))
    ssig = hmac.new(server_key, auth.encode(), "sha256").digest()
    return {
        "plus_certificate_der": h(cert_der), "plus_cbind_data": h(cbind_data),
        "plus_client_first": first, "plus_auth_message": auth,
        "plus_client_final": f"{without_proof},p={b64(prf)}",
        "plus_server_final": f"v={b64(ssig)}",
    }

write("scram.json", {
    "description": "One SCRAM-SHA-256 login (PROTOCOL.md 7.1 and 7.6). REGISTER carries salt, iterations, stored_key and server_key; LOGIN_START carries client_first and is answered server_first; LOGIN_FINISH carries client_final and is answered server_final.",
    "username": user, "password": password,
    "salt": h(salt), "iterations": iterations,
    "client_nonce": cnonce, "server_nonce": snonce,
    "salted_password": h(salted), "client_key": h(client_key),
    "stored_key": h(stored_key), "server_key": h(server_key),
    "client_first": client_first, "server_first": server_first,
    "auth_message": auth_message,
    "client_signature": h(client_signature), "client_proof": h(proof),
    "client_final": f"{final_without_proof},p={b64(proof)}",
    "server_signature": h(server_signature), "server_final": f"v={b64(server_signature)}",
    **plus_vector(),
})

# ---- Peer key schedule (PROTOCOL.md 9.1) ---------------------------------------------------
def x25519(private):
    k = X25519PrivateKey.from_private_bytes(private)
    pub = k.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return k, pub

def expand(prk, label, n):
    return HKDFExpand(hashes.SHA256(), n, label.encode("ascii")).derive(prk)

a_priv = bytes((0xA0 + i) & 0xFF for i in range(32))
b_priv = bytes((0x30 + 3 * i) & 0xFF for i in range(32))
a_sid, b_sid = 0x0123456789ABCDEF, -0x0011223344556677 & 0xFFFFFFFFFFFFFFFF  # second one negative as i64
ka, a_pub = x25519(a_priv)
kb, b_pub = x25519(b_priv)
shared = ka.exchange(X25519PublicKey.from_public_bytes(b_pub))
assert shared == kb.exchange(X25519PublicKey.from_public_bytes(a_pub))
a_low = a_pub < b_pub  # unsigned bytewise
lo_pub, hi_pub = (a_pub, b_pub) if a_low else (b_pub, a_pub)
lo_sid, hi_sid = (a_sid, b_sid) if a_low else (b_sid, a_sid)
hkdf_salt = b"parley-v1" + lo_pub + hi_pub + struct.pack(">QQ", lo_sid, hi_sid)
prk = hmac.new(hkdf_salt, shared, "sha256").digest()   # HKDF-Extract(salt, IKM)
lo_key, lo_iv = expand(prk, "lo key", 32), expand(prk, "lo iv", 12)
hi_key, hi_iv = expand(prk, "hi key", 32), expand(prk, "hi iv", 12)
lo_gcm_key, hi_gcm_key = expand(prk, "lo gcm key", 32), expand(prk, "hi gcm key", 32)
fp = hashlib.sha256(lo_pub + hi_pub).digest()[:10].hex().upper()
fingerprint = " ".join(fp[i:i + 4] for i in range(0, 20, 4))
def signed(v): return v - (1 << 64) if v >= 1 << 63 else v
keys = {
    "description": "Peer key schedule (PROTOCOL.md 9.1). Side a and side b each made an X25519 key pair and a session id; 'lo' is the side whose public key sorts lower, unsigned bytewise. lo_gcm_key / hi_gcm_key are the AES-256-GCM keys (labels 'lo gcm key', 'hi gcm key'); they share lo_iv / hi_iv. Session ids are signed 64-bit; in the HKDF salt each is 8 bytes big-endian (two's complement).",
    "a_private": h(a_priv), "a_public": h(a_pub), "a_session_id": signed(a_sid),
    "b_private": h(b_priv), "b_public": h(b_pub), "b_session_id": signed(b_sid),
    "lo_side": "a" if a_low else "b",
    "shared_secret": h(shared), "hkdf_salt": h(hkdf_salt), "prk": h(prk),
    "lo_key": h(lo_key), "lo_iv": h(lo_iv), "hi_key": h(hi_key), "hi_iv": h(hi_iv),
    "lo_gcm_key": h(lo_gcm_key), "hi_gcm_key": h(hi_gcm_key),
    "fingerprint": fingerprint,
}
write("peer-keys.json", keys)

# ---- Sealed datagrams, one per frame type (PROTOCOL.md 9.2, 9.3) ----------------------------
# Sent by the lo side (keys lo_key / lo_iv) to the hi side, whose session id is the destination.
PEER_DATA, PEER_CONTROL, CLASS_DATA, CLASS_CONTROL = 0x40, 0x41, 2, 3
message = "hello, bob".encode()
# Packet numbers follow what a session sends first: a PING at once (the hello), the message,
# then CLOSE. The ACK is shown as the lo side would acknowledge packets 1-2 and 4-6 of the hi side.
frames = {
    "ping": (PEER_CONTROL, CLASS_CONTROL, 0, b"\x03"),
    "stream": (PEER_DATA, CLASS_DATA, 1, b"\x01" + struct.pack(">qH", 0, 4 + len(message)) + struct.pack(">I", len(message)) + message),
    "close": (PEER_CONTROL, CLASS_CONTROL, 2, b"\x04\x01"),
    # ACK: largest 6, delay 250 us, delivered 14, window limit 14 + 4 MiB, 1 extra range;
    # first range 3 (packets 4..6), then a gap of 1 (packet 3 missing) and a range of 2 (1..2).
    "ack": (PEER_CONTROL, CLASS_CONTROL, 3, b"\x02" + struct.pack(">IIqqBH", 6, 250, 14, 14 + 4 * 1024 * 1024, 1, 3) + struct.pack(">HH", 1, 2)),
    # REJECT: the lo side's application refuses the hi side's message that ends at stream offset
    # 30, reason 1 (MALFORMED, section 9.3.1).
    "reject": (PEER_CONTROL, CLASS_CONTROL, 4, b"\x05" + struct.pack(">qB", 30, 1)),
    # PATH_CHALLENGE with 8 data bytes, and the PATH_RESPONSE that echoes a challenge (section 9.6).
    "path_challenge": (PEER_CONTROL, CLASS_CONTROL, 5, b"\x06" + bytes.fromhex("0011223344556677")),
    "path_response": (PEER_CONTROL, CLASS_CONTROL, 6, b"\x07" + bytes.fromhex("8899aabbccddeeff")),
    # A path-MTU probe of 1,452 bytes (section 9.8): PING, then PADDING (0x08) and zeros to the
    # end; the frames are 1,452 - 36 bytes.
    "mtu_probe": (PEER_CONTROL, CLASS_CONTROL, 7, b"\x03\x08" + bytes(1452 - 36 - 2)),
    # Stream 1 (section 9.9): a BULK frame (0x09) at stream 1 offset 0 with one message of 4
    # bytes, "file", framed as on stream 0 (u32 length, bytes). It carries stream bytes: PEER_DATA.
    "bulk": (PEER_DATA, CLASS_DATA, 8, b"\x09" + struct.pack(">qH", 0, 8) + struct.pack(">I", 4) + b"file"),
    # The ACK of "ack" followed by a BULK_WINDOW (0x0A): stream 1 delivered 8, window limit 8 + 4 MiB.
    "bulk_window": (PEER_CONTROL, CLASS_CONTROL, 9, b"\x02" + struct.pack(">IIqqBH", 6, 250, 14, 14 + 4 * 1024 * 1024, 1, 3)
                    + struct.pack(">HH", 1, 2) + b"\x0a" + struct.pack(">qq", 8, 8 + 4 * 1024 * 1024)),
    # SUITES (0x0C, section 9.3): mask 0x01, the sender accepts AES-256-GCM. Alone in its packet, a
    # CONTROL packet sealed with ChaCha20-Poly1305; an offering session's second packet (after the hello).
    "suites": (PEER_CONTROL, CLASS_CONTROL, 1, b"\x0c\x01"),
}
# Sealed with AES-256-GCM (flags 0x01, section 9.2) under lo_gcm_key: the message of "stream" again,
# at stream offset 14 (after "hello, bob"), packet number 10.
gcm_frames = {
    "gcm_stream": (PEER_DATA, CLASS_DATA, 10, b"\x01" + struct.pack(">qH", 4 + len(message), 4 + len(message)) + struct.pack(">I", len(message)) + message),
}
dest = hi_sid
aead = ChaCha20Poly1305(lo_key)
gcm = AESGCM(lo_gcm_key)
out = {
    "description": "One sealed peer datagram per frame type (PROTOCOL.md 9.2, 9.3), sent by the lo side of peer-keys.json with lo_key/lo_iv to the hi side's session id. nonce = lo_iv XOR the packet number as 8 bytes big-endian right-aligned in the 12; associated data = the first 20 bytes (header and destination session id). Flags (byte 3) 0x00: ChaCha20-Poly1305 under lo_key; gcm_* datagrams have flags 0x01: AES-256-GCM under lo_gcm_key, same nonce and associated data.",
    "keys": "peer-keys.json",
    "destination_session_id": signed(dest),
}
FLAGS_CHACHA, FLAGS_GCM = 0x00, 0x01
every = [(n, v, FLAGS_CHACHA) for n, v in frames.items()] + [(n, v, FLAGS_GCM) for n, v in gcm_frames.items()]
for name, (opcode, cls, pn, plain), flags in every:
    body_length = 8 + len(plain) + 16
    header = struct.pack(">BBBBII", 1, cls, opcode, flags, pn, body_length)
    aad = header + struct.pack(">Q", dest)
    nonce = bytearray(lo_iv)
    for i, b in enumerate(struct.pack(">Q", pn)):
        nonce[4 + i] ^= b
    sealed = (gcm if flags == FLAGS_GCM else aead).encrypt(bytes(nonce), plain, aad)
    out[name + ".flags"] = flags
    out[name + ".packet_number"] = pn
    out[name + ".nonce"] = h(bytes(nonce))
    out[name + ".frames"] = h(plain)
    out[name + ".datagram"] = h(aad + sealed)
write("datagrams.json", out)

# ---- UDP probe MAC (PROTOCOL.md 7.2) -------------------------------------------------------
# The MAC is HMAC-SHA256(probe key, every byte of the datagram before the MAC), first 16 bytes.
probe_key = bytes(range(0x40, 0x60))      # 32 bytes, as LOGIN_FINISH hands it out
probe_id = 0x0123456789abcdef
CONTROL, UDP_PROBE, PROBE_CONFIRM = 3, 0x37, 0x39

def probe_datagram(opcode, correlation, body_before_mac):
    header = struct.pack(">BBBBII", 1, CONTROL, opcode, 0, correlation, len(body_before_mac) + 16)
    mac = hmac.new(probe_key, header + body_before_mac, "sha256").digest()[:16]
    return header + body_before_mac + mac, mac

probe_counter = 7
probe, probe_mac = probe_datagram(UDP_PROBE, 42, struct.pack(">QQ", probe_id, probe_counter))
challenge = bytes(range(0xa0, 0xb0))      # 16 bytes, as PROBE_CHALLENGE carries it
confirm_counter = 8
confirm, confirm_mac = probe_datagram(PROBE_CONFIRM, 43, struct.pack(">QQ", probe_id, confirm_counter) + challenge)
write("probe.json", {
    "description": "UDP_PROBE and PROBE_CONFIRM (PROTOCOL.md 7.2): the MAC is the first 16 bytes of HMAC-SHA256 keyed by the probe key from LOGIN_FINISH, over the datagram's header and body up to the MAC.",
    "probe_key": h(probe_key), "probe_id": signed(probe_id),
    "probe_counter": probe_counter, "probe_correlation": 42, "probe_mac": h(probe_mac), "probe_datagram": h(probe),
    "challenge": h(challenge),
    "confirm_counter": confirm_counter, "confirm_correlation": 43, "confirm_mac": h(confirm_mac), "confirm_datagram": h(confirm),
})
# ---- Sealed mail (PROTOCOL.md 7.11): HPKE (RFC 9180) base mode, written out here -----------
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

def hpke_labeled_extract(salt, suite, label, ikm):
    return hmac.new(salt if salt else bytes(32), b"HPKE-v1" + suite + label + ikm, "sha256").digest()

def hpke_labeled_expand(prk, suite, label, info, n):
    return HKDFExpand(hashes.SHA256(), n, struct.pack(">H", n) + b"HPKE-v1" + suite + label + info).derive(prk)

HPKE_KEM_SUITE = b"KEM" + struct.pack(">H", 0x0020)
HPKE_SUITE = b"HPKE" + struct.pack(">HHH", 0x0020, 0x0001, 0x0003)

def hpke_seal_base(sk_e, pk_r, info, aad, pt):
    """SetupBaseS + single-shot Seal (sequence 0), RFC 9180 sections 4.1, 5.1, 6.1."""
    e, enc = x25519(sk_e)
    dh = e.exchange(X25519PublicKey.from_public_bytes(pk_r))
    eae_prk = hpke_labeled_extract(b"", HPKE_KEM_SUITE, b"eae_prk", dh)
    shared = hpke_labeled_expand(eae_prk, HPKE_KEM_SUITE, b"shared_secret", enc + pk_r, 32)
    ctx = (b"\x00" + hpke_labeled_extract(b"", HPKE_SUITE, b"psk_id_hash", b"")
           + hpke_labeled_extract(b"", HPKE_SUITE, b"info_hash", info))
    secret = hpke_labeled_extract(shared, HPKE_SUITE, b"secret", b"")
    key = hpke_labeled_expand(secret, HPKE_SUITE, b"key", ctx, 32)
    nonce = hpke_labeled_expand(secret, HPKE_SUITE, b"base_nonce", ctx, 12)
    return enc, shared, key, nonce, ChaCha20Poly1305(key).encrypt(nonce, pt, aad)

MAIL_LABEL = b"parley-mail-1"
mail_recipient = "bob"
mail_recipient_sk = bytes(range(0x40, 0x60))       # bob's identity X25519 private key
mail_sender = "Alice"                               # the spelling the account was registered with
mail_sender_seed = bytes(range(0x60, 0x80))         # alice's identity Ed25519 private key (seed)
mail_sender_sign = Ed25519PrivateKey.from_private_bytes(mail_sender_seed)
mail_sender_pub = mail_sender_sign.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
_, mail_recipient_pk = x25519(mail_recipient_sk)

def sealed_mail(prefix, sk_e, msg_id, sent_at, kind, body):
    to = mail_recipient.lower().encode("ascii")
    name = mail_sender.encode("ascii")
    before_sig = struct.pack(">H", len(name)) + name + struct.pack(">qqBI", msg_id, sent_at, kind, len(body)) + body
    _, enc = x25519(sk_e)
    signed_bytes = MAIL_LABEL + enc + to + before_sig
    sig = mail_sender_sign.sign(signed_bytes)
    plaintext = before_sig + sig
    enc2, shared, key, nonce, ct = hpke_seal_base(sk_e, mail_recipient_pk, MAIL_LABEL, to, plaintext)
    assert enc2 == enc
    return {
        prefix + "ephemeral_private": h(sk_e), prefix + "enc": h(enc),
        prefix + "id": msg_id, prefix + "sent_at": sent_at, prefix + "kind": kind, prefix + "body": h(body),
        prefix + "signed": h(signed_bytes), prefix + "signature": h(sig), prefix + "plaintext": h(plaintext),
        prefix + "shared_secret": h(shared), prefix + "key": h(key), prefix + "base_nonce": h(nonce),
        prefix + "blob": h(enc + ct),
    }

write("sealed-mail.json", {
    "description": "Sealed mail (PROTOCOL.md 7.11): HPKE base mode, DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, ChaCha20-Poly1305, info 'parley-mail-1', aad the recipient in lower case; plaintext user sender, i64 id, i64 sent_at, u8 kind, u32 n, body, then the sender's Ed25519 signature over 'parley-mail-1' || enc || recipient || plaintext before the signature. blob = enc || ciphertext. One text mail (text.*) and one receipt (receipt.*, body = i64 id of the text mail), each with a fixed ephemeral key so the file is deterministic.",
    "info": h(MAIL_LABEL), "recipient": mail_recipient, "aad": h(mail_recipient.lower().encode("ascii")),
    "recipient_private": h(mail_recipient_sk), "recipient_public": h(mail_recipient_pk),
    "sender": mail_sender, "sender_seed": h(mail_sender_seed), "sender_public": h(mail_sender_pub),
    **sealed_mail("text.", bytes(range(0x80, 0xa0)), 1795981378881000, 1795981378983, 1, "hello, offline bob \u2713".encode("utf-8")),
    **sealed_mail("receipt.", bytes(range(0xa0, 0xc0)), 1795981378881001, 1795981379000, 2, struct.pack(">q", 1795981378881000)),
})

# ---- Identity keys (PROTOCOL.md 7.9) ---------------------------------------------------------
# Side a of peer-keys.json has identity a, side b identity b. Ed25519 is deterministic (RFC 8032),
# so every signature below is fixed by its key and message.
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

def ed25519(seed):
    k = Ed25519PrivateKey.from_private_bytes(seed)
    return k, k.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)

id_a_ed_seed = bytes((0x11 * (i + 1)) & 0xFF for i in range(32))
id_a_x_priv = bytes((0x5A + 7 * i) & 0xFF for i in range(32))
id_b_ed_seed = bytes((0xC3 + 5 * i) & 0xFF for i in range(32))
id_b_x_priv = bytes((0x21 + 11 * i) & 0xFF for i in range(32))
ida_k, ida_ed = ed25519(id_a_ed_seed)
idb_k, idb_ed = ed25519(id_b_ed_seed)
_, ida_x = x25519(id_a_x_priv)
_, idb_x = x25519(id_b_x_priv)
bundle_a = ida_ed + ida_x + ida_k.sign(b"parley-identity-1" + ida_x)
bundle_b = idb_ed + idb_x + idb_k.sign(b"parley-identity-1" + idb_x)
transcript = b"parley-auth-1" + lo_pub + hi_pub + struct.pack(">QQ", lo_sid, hi_sid)
a_role = 0 if a_low else 1
auth_a_signed = transcript + bytes([a_role])
auth_b_signed = transcript + bytes([1 - a_role])
auth_a = bytes([2]) + ida_k.sign(auth_a_signed)
auth_b = bytes([2]) + idb_k.sign(auth_b_signed)
k1, k2 = sorted([ida_ed, idb_ed])
sh = hashlib.sha512(b"parley-safety-1" + k1 + k2).digest()
safety = " ".join("%05d" % (int.from_bytes(sh[5 * g:5 * g + 5], "big") % 100000) for g in range(12))
def short(ed):
    d = hashlib.sha256(ed).digest()[:8].hex().upper()
    return " ".join(d[i:i + 4] for i in range(0, 16, 4))
bad_bundle_a = bytearray(bundle_a); bad_bundle_a[32] ^= 1   # the X25519 key no longer matches the signature
write("identity.json", {
    "description": "Identity keys (PROTOCOL.md 7.9). Identity a belongs to side a of peer-keys.json, identity b to side b; their sessions use peer-keys.json's ephemeral keys and session ids. bundle = Ed25519 public || X25519 public || Ed25519 signature over 'parley-identity-1' || X25519 public. auth_*_signed = 'parley-auth-1' || pub_lo || pub_hi || sid_lo || sid_hi || role (0 lo, 1 hi); auth_*_payload = 0x02 || Ed25519 signature of it (the chat payload of 9.3.1). safety_number = 12 groups of 5 digits from SHA-512('parley-safety-1' || sorted Ed25519 keys). bad_bundle_a: bundle a with one bit of its X25519 key flipped (the registry answers BAD_IDENTITY).",
    "keys": "peer-keys.json",
    "a_ed25519_seed": h(id_a_ed_seed), "a_ed25519_public": h(ida_ed), "a_x25519_private": h(id_a_x_priv), "a_x25519_public": h(ida_x),
    "a_bundle": h(bundle_a),
    "b_ed25519_seed": h(id_b_ed_seed), "b_ed25519_public": h(idb_ed), "b_x25519_private": h(id_b_x_priv), "b_x25519_public": h(idb_x),
    "b_bundle": h(bundle_b),
    "bad_bundle_a": h(bytes(bad_bundle_a)),
    "auth_a_role": a_role, "auth_a_signed": h(auth_a_signed), "auth_a_payload": h(auth_a),
    "auth_b_role": 1 - a_role, "auth_b_signed": h(auth_b_signed), "auth_b_payload": h(auth_b),
    "safety_number": safety,
    "a_short_fingerprint": short(ida_ed), "b_short_fingerprint": short(idb_ed),
})
print("wrote scram.json, peer-keys.json, datagrams.json, probe.json, sealed-mail.json, identity.json")
