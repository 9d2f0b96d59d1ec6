#!/usr/bin/env python3
"""Writes mailbox.json: the mailbox messages of PROTOCOL.md section 7.10 as whole frames.

A separate implementation of the byte layouts, from the spec alone (struct packing, no
cryptography needed); the Java test MailboxVectorsTest checks the code against its output.
Run from this directory: python3 mailbox.py
"""
import json, struct

COMMAND, CONTROL = 1, 3
RESPONSE, PUSH = 1, 2
MAIL_DEPOSIT, MAIL_FETCH, MAIL_ACK, MAIL_WAITING = 0x24, 0x25, 0x26, 0x3A


def frame(cls, opcode, flags, correlation, body):
    return struct.pack(">BBBBII", 1, cls, opcode, flags, correlation, len(body)) + body


def user(name):
    b = name.encode("ascii")
    return struct.pack(">H", len(b)) + b


def sealed(seq, at, blob):
    return struct.pack(">qBqI", seq, 1, at, len(blob)) + blob


def expired(seq, at, recipient, message_id):
    return struct.pack(">qBq", seq, 2, at) + user(recipient) + struct.pack(">q", message_id)


blob1 = bytes(range(0x20, 0x20 + 48))          # stands for enc || ciphertext (opaque here)
blob2 = bytes((0xA5 ^ i) & 0xFF for i in range(33))
deposit = user("bob") + struct.pack(">qI", 7, len(blob1)) + blob1
deposit_reply = struct.pack(">q", 1_702_592_000_000)
fetch = struct.pack(">qH", 0, 256)
page = struct.pack(">BH", 1, 3) + sealed(1, 1_700_000_000_000, blob1) + sealed(2, 1_700_000_000_500, blob2) \
    + expired(3, 1_702_592_000_000, "carol", -2)
ack = struct.pack(">q", 3)
waiting = struct.pack(">I", 3)

out = {
    "description": "The mailbox of PROTOCOL.md 7.10. Bodies and whole TCP frames (12-byte header, section 2). "
                   "The blobs are arbitrary bytes standing for sealed mail: the registry never looks inside.",
    "deposit_recipient": "bob", "deposit_message_id": 7, "deposit_blob": blob1.hex(),
    "deposit_body": deposit.hex(), "deposit_frame": frame(COMMAND, MAIL_DEPOSIT, 0, 5, deposit).hex(),
    "deposit_expires_at": 1_702_592_000_000,
    "deposit_reply_frame": frame(COMMAND, MAIL_DEPOSIT, RESPONSE, 5, deposit_reply).hex(),
    "fetch_after": 0, "fetch_max": 256,
    "fetch_frame": frame(COMMAND, MAIL_FETCH, 0, 6, fetch).hex(),
    "page_more": 1,
    "page_entries": [
        {"sequence": 1, "kind": 1, "deposited_at": 1_700_000_000_000, "blob": blob1.hex()},
        {"sequence": 2, "kind": 1, "deposited_at": 1_700_000_000_500, "blob": blob2.hex()},
        {"sequence": 3, "kind": 2, "deposited_at": 1_702_592_000_000, "recipient": "carol", "message_id": -2},
    ],
    "page_body": page.hex(), "page_frame": frame(COMMAND, MAIL_FETCH, RESPONSE, 6, page).hex(),
    "ack_up_to": 3, "ack_frame": frame(COMMAND, MAIL_ACK, 0, 7, ack).hex(),
    "ack_reply_frame": frame(COMMAND, MAIL_ACK, RESPONSE, 7, b"").hex(),
    "waiting_count": 3, "waiting_frame": frame(CONTROL, MAIL_WAITING, PUSH, 0, waiting).hex(),
}
with open("mailbox.json", "w") as f:
    json.dump(out, f, indent=2)
    f.write("\n")
print("wrote mailbox.json")
