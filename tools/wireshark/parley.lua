-- Parley dissector for Wireshark 4.0 and later (Lua 5.2, bit32): both halves of the protocol
-- of docs/PROTOCOL.md, the registry over TCP and the peer channel over UDP.
--
--   tshark -X lua_script:tools/wireshark/parley.lua -r capture.pcap
--   wireshark: copy parley.lua and parley_{crypto,aes,keylog,streams}.lua into ~/.local/lib/wireshark/plugins/
--
-- docs/WIRESHARK.md says how to load it, filter, and decrypt peer sessions from a key log
-- (PROTOCOL.md section 12). Every protocol change updates this file in the same commit;
-- WiresharkSyncTest checks that every opcode, error code, frame type and chat kind in the Java
-- code has its name here.

-- Lua 5.2 (Wireshark 4.0 to 4.2) has bit32; Lua 5.3 and later have native integer operators
-- instead, loaded from text here so that Lua 5.2 can still parse this file.
local bit32 = bit32 or load([[
  local M = {}
  function M.band(a, b) return (a & b) & 0xffffffff end
  function M.bxor(a, b) return (a ~ b) & 0xffffffff end
  function M.lrotate(a, n) a = a & 0xffffffff; return ((a << n) | (a >> (32 - n))) & 0xffffffff end
  return M
]])()

local parley = Proto("parley", "Parley Protocol")

-- The crypto lives next to this file: find our own directory.
local function here()
  local src = debug.getinfo(1, "S").source
  if src:sub(1, 1) == "@" then src = src:sub(2) end
  return src:match("^(.*[/\\])") or "./"
end
local crypto_ok, crypto = pcall(dofile, here() .. "parley_crypto.lua")
if not crypto_ok then crypto = nil end
local aes_ok, aes = pcall(dofile, here() .. "parley_aes.lua")
if not aes_ok then aes = nil end
local Streams = dofile(here() .. "parley_streams.lua")
local keylog_ok, Keylog = pcall(dofile, here() .. "parley_keylog.lua")
local keylog = (crypto and keylog_ok) and Keylog.new(crypto, aes) or nil

-- ---- numbers and names (PROTOCOL.md sections 2, 3, 5, 7, 9, 10) --------------------------------

local HEADER = 12
local MAX_TCP_BODY = 65524
local DEFAULT_PORT = 7400

local CLASSES = { [1] = "COMMAND", [2] = "DATA", [3] = "CONTROL" }

-- Opcode -> { name, class } (section 10); a class that does not match is WRONG_CLASS.
local OPCODE_TABLE = {
  [0x01] = { "ERROR", 3 },
  [0x10] = { "REGISTER", 1 },
  [0x11] = { "LOGIN_START", 1 },
  [0x12] = { "LOGIN_FINISH", 1 },
  [0x13] = { "LOGOUT", 1 },
  [0x14] = { "SET_VISIBILITY", 1 },
  [0x15] = { "WHO", 1 },
  [0x16] = { "SEARCH", 1 },
  [0x17] = { "ANNOUNCE_ENDPOINT", 1 },
  [0x18] = { "LOOKUP_ENDPOINT", 1 },
  [0x19] = { "CONTACT_REQUEST", 1 },
  [0x1A] = { "CONTACT_ACCEPT", 1 },
  [0x1B] = { "CONTACT_DECLINE", 1 },
  [0x1C] = { "CONTACT_REMOVE", 1 },
  [0x1D] = { "CONTACTS", 1 },
  [0x1E] = { "BLOCK", 1 },
  [0x1F] = { "UNBLOCK", 1 },
  [0x20] = { "PEER_CONNECT", 1 },
  [0x21] = { "PEER_ANSWER", 1 },
  [0x22] = { "SET_IDENTITY", 1 },
  [0x23] = { "IDENTITY_LOOKUP", 1 },
  [0x24] = { "MAIL_DEPOSIT", 1 },
  [0x25] = { "MAIL_FETCH", 1 },
  [0x26] = { "MAIL_ACK", 1 },
  -- groups (section 7.12, branch h-groups14)
  [0x27] = { "GROUP_CREATE", 1 },
  [0x28] = { "GROUP_INVITE", 1 },
  [0x29] = { "GROUP_ANSWER", 1 },
  [0x2A] = { "GROUP_LEAVE", 1 },
  [0x2B] = { "GROUP_KICK", 1 },
  [0x2C] = { "GROUP_MEMBERS", 1 },
  [0x2D] = { "GROUPS", 1 },
  [0x2E] = { "GROUP_ROLE", 1 },
  [0x30] = { "HEARTBEAT", 3 },
  [0x31] = { "PRESENCE", 3 },
  [0x32] = { "CONTACT_EVENT", 3 },
  [0x33] = { "PEER_INVITE", 3 },
  [0x34] = { "PEER_READY", 3 },
  [0x35] = { "PEER_DECLINED", 3 },
  [0x36] = { "SESSION_CLOSED", 3 },
  [0x37] = { "UDP_PROBE", 3 },
  [0x38] = { "PROBE_CHALLENGE", 3 },
  [0x39] = { "PROBE_CONFIRM", 3 },
  [0x3A] = { "MAIL_WAITING", 3 },
  -- group pushes (section 7.12)
  [0x3B] = { "GROUP_INVITED", 3 },
  [0x3C] = { "GROUP_CHANGED", 3 },
  [0x40] = { "PEER_DATA", 2 },
  [0x41] = { "PEER_CONTROL", 3 },
  [0x42] = { "RELAY", 2 },
}
local OPCODES, OPCODE_CLASS = {}, {}
for op, e in pairs(OPCODE_TABLE) do OPCODES[op] = e[1]; OPCODE_CLASS[op] = e[2] end

local ERRORS = {
  [1] = "UNSUPPORTED_VERSION", [2] = "MALFORMED_HEADER", [3] = "FRAME_TOO_LARGE",
  [4] = "MALFORMED_BODY", [5] = "UNKNOWN_OPCODE", [6] = "WRONG_CLASS", [7] = "RATE_LIMITED",
  [8] = "SERVER_FULL", [9] = "SLOW_CONSUMER", [10] = "INTERNAL", [11] = "BAD_STATE",
  [12] = "SHUTTING_DOWN", [13] = "TIMEOUT", [14] = "TRUNCATED_FRAME", [15] = "TOO_MANY_CONNECTIONS",
  [100] = "USERNAME_TOO_SHORT", [101] = "USERNAME_TOO_LONG", [102] = "USERNAME_BAD_CHARACTER",
  [103] = "USERNAME_TAKEN", [104] = "AUTH_FAILED", [105] = "AUTH_MALFORMED", [106] = "BAD_CREDENTIALS",
  [107] = "THROTTLED", [108] = "NOT_AUTHENTICATED", [109] = "ALREADY_AUTHENTICATED",
  [110] = "NO_SUCH_USER", [111] = "ALREADY_CONTACTS", [112] = "REQUEST_PENDING",
  [113] = "TOO_MANY_PENDING", [114] = "NO_PENDING_REQUEST", [115] = "NOT_CONTACTS",
  [116] = "SESSION_REPLACED", [117] = "SESSION_EXPIRED", [118] = "BAD_VISIBILITY",
  [119] = "CANNOT_TARGET_SELF", [120] = "PEER_DECLINED", [121] = "PEER_UNAVAILABLE",
  [122] = "NO_ENDPOINT", [123] = "BAD_ENDPOINT", [124] = "NO_SUCH_INVITE", [125] = "STORAGE_FAILED",
  [130] = "LOGIN_EXPIRED", [131] = "REGISTER_LIMITED", [132] = "CHANNEL_BINDING_REQUIRED",
  [133] = "CHANNEL_BINDING_MISMATCH", [134] = "MAILBOX_FULL", [135] = "MAIL_TOO_LARGE",
  [136] = "BAD_IDENTITY",
  -- groups (section 7.12)
  [140] = "NO_SUCH_GROUP", [141] = "GROUP_NAME_TAKEN", [142] = "BAD_GROUP_NAME",
  [143] = "NOT_GROUP_ADMIN", [144] = "ALREADY_IN_GROUP", [145] = "NOT_IN_GROUP", [146] = "GROUP_FULL",
  [147] = "TOO_MANY_GROUPS",
  -- cluster mode (section 7.13)
  [160] = "STORE_UNAVAILABLE", [161] = "BUS_UNAVAILABLE",
}

-- Peer channel frames (section 9.3) and chat payload kinds (9.3.1, 9.3.2, 9.7).
local FRAME_TYPES = {
  [0x01] = "STREAM", [0x02] = "ACK", [0x03] = "PING", [0x04] = "CLOSE", [0x05] = "REJECT",
  [0x06] = "PATH_CHALLENGE", [0x07] = "PATH_RESPONSE", [0x08] = "PADDING",
  [0x09] = "BULK", [0x0A] = "BULK_WINDOW", [0x0C] = "SUITES",
}
local CHAT_KINDS = {
  [0x01] = "TEXT", [0x02] = "AUTH", [0x03] = "RECEIPT", [0x04] = "GROUP",
  [0x10] = "FILE_OFFER", [0x11] = "FILE_ANSWER", [0x12] = "FILE_HASHES", [0x13] = "FILE_CHUNK",
  [0x14] = "FILE_ACK", [0x15] = "FILE_RESUME", [0x16] = "FILE_CANCEL",
}
local REJECT_REASONS = { [1] = "MALFORMED", [2] = "TOO_LARGE", [3] = "NOT_MEMBER" }
local CLOSE_REASONS = { [1] = "closed by the application" }
local VISIBILITY = { [0] = "everyone", [1] = "contacts", [2] = "nobody" }
local PRESENCE = { [0] = "offline", [1] = "online", [2] = "away" }
local HEARTBEAT_STATE = { [1] = "online", [2] = "away" }
local CONTACT_EVENT = { [1] = "requested", [2] = "accepted", [3] = "declined", [4] = "removed" }
local MAIL_KIND = { [1] = "SEALED", [2] = "EXPIRED" }
local GROUP_ROLE = { [0] = "none", [1] = "owner", [2] = "admin", [3] = "member", [4] = "invitee" }
local GROUP_CHANGE = { [1] = "JOINED", [2] = "LEFT", [3] = "KICKED", [4] = "DECLINED", [5] = "INVITED",
  [6] = "ROLE", [7] = "CLOSED" }
local FILE_VERDICT = { [1] = "ACCEPT", [2] = "DECLINE", [3] = "TOO_LARGE", [4] = "NO_SPACE" }
local FILE_CANCEL = { [1] = "CANCELLED", [2] = "HASH_MISMATCH", [3] = "UNEXPECTED", [4] = "DISK_ERROR",
  [5] = "SOURCE_CHANGED" }
local ANSWER = { [0] = "decline", [1] = "accept" }
-- The flags byte of a peer datagram names its AEAD (9.2); any other value is malformed.
local AEAD_CHACHA, AEAD_GCM = 0x00, 0x01
local AEADS = { [AEAD_CHACHA] = "ChaCha20-Poly1305", [AEAD_GCM] = "AES-256-GCM" }
local TAG_NAMES = { [AEAD_CHACHA] = "Poly1305 tag", [AEAD_GCM] = "GCM tag" }
local SUITE_GCM = 0x01 -- SUITES mask bit 0 (9.3)
local FAMILY = { [4] = "IPv4", [6] = "IPv6" }

local FLAG_RESPONSE = 0x01
local FLAG_PUSH = 0x02

-- ---- fields ------------------------------------------------------------------------------------

local F = {}
local function f(name, field) F[name] = field; return field end

f("version", ProtoField.uint8("parley.version", "Version"))
f("class", ProtoField.uint8("parley.class", "Class", base.DEC, CLASSES))
f("opcode", ProtoField.uint8("parley.opcode", "Opcode", base.HEX, OPCODES))
f("flags", ProtoField.uint8("parley.flags", "Flags", base.HEX))
f("flag_response", ProtoField.bool("parley.flags.response", "RESPONSE", 8, nil, FLAG_RESPONSE))
f("flag_push", ProtoField.bool("parley.flags.push", "PUSH", 8, nil, FLAG_PUSH))
f("flag_reserved", ProtoField.uint8("parley.flags.reserved", "Reserved bits", base.HEX, nil, 0xFC))
f("correlation", ProtoField.uint32("parley.correlation", "Correlation id", base.HEX))
f("packet_number", ProtoField.uint32("parley.packet_number", "Packet number"))
f("length", ProtoField.uint32("parley.length", "Body length"))
f("body", ProtoField.bytes("parley.body", "Body"))
f("response_in", ProtoField.framenum("parley.response_in", "Response in", base.NONE, frametype.RESPONSE))
f("response_to", ProtoField.framenum("parley.response_to", "Request in", base.NONE, frametype.REQUEST))
f("time", ProtoField.relative_time("parley.time", "Response time"))
f("request_opcode", ProtoField.uint8("parley.request_opcode", "Answers", base.HEX, OPCODES))

f("error", ProtoField.uint16("parley.error", "Error code", base.DEC, ERRORS))
f("error_reason", ProtoField.string("parley.error.reason", "Reason"))

-- registry bodies
f("user", ProtoField.string("parley.user", "User"))
f("salt", ProtoField.bytes("parley.salt", "Salt"))
f("iterations", ProtoField.int32("parley.iterations", "Iterations"))
f("stored_key", ProtoField.bytes("parley.stored_key", "StoredKey"))
f("server_key", ProtoField.bytes("parley.server_key", "ServerKey"))
f("scram", ProtoField.string("parley.scram", "SCRAM message"))
f("probe_id", ProtoField.int64("parley.probe_id", "Probe id"))
f("probe_key", ProtoField.bytes("parley.probe_key", "Probe key"))
f("visibility", ProtoField.uint8("parley.visibility", "Visibility", base.DEC, VISIBILITY))
f("state", ProtoField.uint8("parley.state", "State", base.DEC, HEARTBEAT_STATE))
f("lease", ProtoField.int32("parley.lease", "Lease (ms)"))
f("count", ProtoField.uint16("parley.count", "Count"))
f("presence", ProtoField.uint8("parley.presence", "Presence", base.DEC, PRESENCE))
f("last_seen", ProtoField.int64("parley.last_seen", "Last seen (ms since epoch)"))
f("prefix", ProtoField.string("parley.prefix", "Name prefix"))
f("host", ProtoField.string("parley.host", "Host"))
f("port", ProtoField.uint16("parley.port", "Port"))
f("observed_host", ProtoField.string("parley.observed_host", "Observed host"))
f("observed_port", ProtoField.uint16("parley.observed_port", "Observed port"))
f("contact_kind", ProtoField.uint8("parley.contact_event", "Contact event", base.DEC, CONTACT_EVENT))
f("session_id", ProtoField.uint64("parley.session_id", "Session id", base.HEX))
f("public_key", ProtoField.bytes("parley.public_key", "Ephemeral public key"))
f("path_flags", ProtoField.uint8("parley.path_flags", "Path flags", base.HEX))
f("no_direct", ProtoField.bool("parley.path_flags.no_direct", "NO_DIRECT", 8, nil, 0x01))
f("cand_count", ProtoField.uint8("parley.candidates", "Candidates"))
f("cand_family", ProtoField.uint8("parley.candidate.family", "Family", base.DEC, FAMILY))
f("cand_ipv4", ProtoField.ipv4("parley.candidate.ipv4", "Address"))
f("cand_ipv6", ProtoField.ipv6("parley.candidate.ipv6", "Address"))
f("cand_port", ProtoField.uint16("parley.candidate.port", "Port"))
f("invite_id", ProtoField.int32("parley.invite_id", "Invite id"))
f("accept", ProtoField.uint8("parley.accept", "Answer", base.DEC, ANSWER))
f("relay_present", ProtoField.uint8("parley.relay.present", "Relay granted"))
f("relay_token", ProtoField.bytes("parley.relay.token", "Relay token"))
f("relay_host", ProtoField.string("parley.relay.host", "Relay host"))
f("relay_port", ProtoField.uint16("parley.relay.port", "Relay port"))
f("why", ProtoField.string("parley.why", "Why"))
f("bundle_present", ProtoField.uint8("parley.identity.present", "Identity bundle present"))
f("id_ed25519", ProtoField.bytes("parley.identity.ed25519", "Ed25519 public key"))
f("id_x25519", ProtoField.bytes("parley.identity.x25519", "X25519 public key"))
f("id_signature", ProtoField.bytes("parley.identity.signature", "Bundle signature"))
f("mail_message_id", ProtoField.int64("parley.mail.message_id", "Message id"))
f("mail_blob_length", ProtoField.uint32("parley.mail.blob_length", "Blob length"))
f("mail_blob", ProtoField.bytes("parley.mail.blob", "Sealed blob"))
f("mail_expires", ProtoField.int64("parley.mail.expires", "Expires at (ms since epoch)"))
f("mail_after", ProtoField.int64("parley.mail.after", "After sequence"))
f("mail_max", ProtoField.uint16("parley.mail.max", "Max entries"))
f("mail_more", ProtoField.uint8("parley.mail.more", "More"))
f("mail_sequence", ProtoField.int64("parley.mail.sequence", "Sequence"))
f("mail_kind", ProtoField.uint8("parley.mail.kind", "Kind", base.DEC, MAIL_KIND))
f("mail_deposited", ProtoField.int64("parley.mail.deposited", "Deposited at (ms since epoch)"))
f("mail_up_to", ProtoField.int64("parley.mail.up_to", "Up to sequence"))
f("mail_waiting", ProtoField.uint32("parley.mail.waiting", "Entries waiting"))
f("probe_counter", ProtoField.uint64("parley.probe.counter", "Counter"))
f("probe_mac", ProtoField.bytes("parley.probe.mac", "MAC"))
f("probe_challenge", ProtoField.bytes("parley.probe.challenge", "Challenge"))
f("closed_code", ProtoField.uint16("parley.closed.code", "Code", base.DEC, ERRORS))
f("closed_reason", ProtoField.string("parley.closed.reason", "Reason"))
f("group_id", ProtoField.bytes("parley.group.id", "Group id"))
f("group_name", ProtoField.string("parley.group.name", "Group name"))
f("group_answer", ProtoField.uint8("parley.group.answer", "Answer", base.DEC, ANSWER))
f("group_role", ProtoField.uint8("parley.group.role", "Role", base.DEC, GROUP_ROLE))
f("group_version", ProtoField.int64("parley.group.version", "Membership version"))
f("group_change", ProtoField.uint8("parley.group.change", "Change", base.DEC, GROUP_CHANGE))
f("entry", ProtoField.none("parley.entry", "Entry"))

-- peer channel (section 9)
f("session", ProtoField.uint64("parley.session", "Destination session id", base.HEX))
f("sealed", ProtoField.bytes("parley.sealed", "Sealed frames"))
f("aead", ProtoField.uint8("parley.aead", "AEAD", base.HEX, AEADS))
f("tag", ProtoField.bytes("parley.tag", "Tag"))
f("decrypted", ProtoField.bool("parley.decrypted", "Decrypted"))
f("frame_type", ProtoField.uint8("parley.frame.type", "Frame", base.HEX, FRAME_TYPES))
f("stream_offset", ProtoField.int64("parley.stream.offset", "Stream offset"))
f("stream_length", ProtoField.uint16("parley.stream.length", "Length"))
f("stream_data", ProtoField.bytes("parley.stream.data", "Data"))
f("ack_largest", ProtoField.uint32("parley.ack.largest", "Largest acknowledged"))
f("ack_delay", ProtoField.uint32("parley.ack.delay", "Ack delay (us)"))
f("ack_delivered", ProtoField.int64("parley.ack.delivered", "Delivered offset"))
f("ack_window", ProtoField.int64("parley.ack.window", "Window limit"))
f("ack_ranges", ProtoField.uint8("parley.ack.extra_ranges", "Extra ranges"))
f("ack_first", ProtoField.uint16("parley.ack.first_range", "First range length"))
f("ack_gap", ProtoField.uint16("parley.ack.gap", "Gap"))
f("ack_range", ProtoField.uint16("parley.ack.range", "Range length"))
f("close_reason", ProtoField.uint8("parley.close.reason", "Reason", base.DEC, CLOSE_REASONS))
f("reject_end", ProtoField.int64("parley.reject.end", "Message end offset"))
f("reject_reason", ProtoField.uint8("parley.reject.reason", "Reason", base.DEC, REJECT_REASONS))
f("path_data", ProtoField.bytes("parley.path.data", "Path data"))
f("suites_mask", ProtoField.uint8("parley.suites.mask", "Suites", base.HEX))
f("suites_gcm", ProtoField.bool("parley.suites.aes_256_gcm", "Accepts AES-256-GCM", 8, nil, SUITE_GCM))
f("suites_reserved", ProtoField.uint8("parley.suites.reserved", "Reserved bits (sent 0, ignored)", base.HEX, nil, 0xFE))
-- stream 1, the bulk stream (9.9)
f("bulk_offset", ProtoField.int64("parley.bulk.offset", "Stream 1 offset"))
f("bulk_length", ProtoField.uint16("parley.bulk.length", "Length"))
f("bulk_data", ProtoField.bytes("parley.bulk.data", "Data"))
f("bulk_delivered", ProtoField.int64("parley.bulk_window.delivered", "Stream 1 delivered offset"))
f("bulk_window", ProtoField.int64("parley.bulk_window.limit", "Stream 1 window limit"))

-- chat payloads, reassembled from the stream (9.3.1, 9.3.2, 9.7)
f("msg_length", ProtoField.uint32("parley.message.length", "Message length"))
f("msg_frames", ProtoField.string("parley.message.frames", "Reassembled from frames"))
f("chat_kind", ProtoField.uint8("parley.chat.kind", "Kind", base.HEX, CHAT_KINDS))
f("chat_id", ProtoField.int64("parley.chat.id", "Message id"))
f("chat_sent_at", ProtoField.int64("parley.chat.sent_at", "Sent at (ms since epoch)"))
f("chat_text", ProtoField.string("parley.chat.text", "Text"))
f("chat_signature", ProtoField.bytes("parley.chat.signature", "AUTH signature"))
f("chat_receipt", ProtoField.int64("parley.chat.receipt_for", "Receipt for message id"))
f("chat_sequence", ProtoField.int64("parley.chat.group_sequence", "Group sequence"))
f("chat_lamport", ProtoField.int64("parley.chat.lamport", "Lamport time"))
f("file_id", ProtoField.uint64("parley.file.id", "Transfer id", base.HEX))
f("file_size", ProtoField.int64("parley.file.size", "Size"))
f("file_chunk_size", ProtoField.uint32("parley.file.chunk_size", "Chunk size"))
f("file_sha256", ProtoField.bytes("parley.file.sha256", "SHA-256"))
f("file_root", ProtoField.bytes("parley.file.root", "Hash list root"))
f("file_name", ProtoField.string("parley.file.name", "Name"))
f("file_verdict", ProtoField.uint8("parley.file.verdict", "Verdict", base.DEC, FILE_VERDICT))
f("file_first_chunk", ProtoField.uint32("parley.file.first_chunk", "First chunk wanted"))
f("file_first_hash", ProtoField.uint32("parley.file.first_hash", "First hash wanted"))
f("file_index", ProtoField.uint32("parley.file.index", "First hash index"))
f("file_count", ProtoField.uint16("parley.file.count", "Hashes"))
f("file_hash", ProtoField.bytes("parley.file.hash", "Chunk hash"))
f("file_offset", ProtoField.int64("parley.file.offset", "Offset"))
f("file_data", ProtoField.bytes("parley.file.data", "Data"))
f("file_verified", ProtoField.uint32("parley.file.verified", "Verified chunks"))
f("file_cancel", ProtoField.uint8("parley.file.cancel", "Cancel reason", base.DEC, FILE_CANCEL))

local field_list = {}
for _, v in pairs(F) do field_list[#field_list + 1] = v end
parley.fields = field_list

local E = {
  malformed = ProtoExpert.new("parley.malformed", "Malformed Parley message", expert.group.MALFORMED, expert.severity.ERROR),
  error_reply = ProtoExpert.new("parley.error_reply", "Parley ERROR", expert.group.RESPONSE_CODE, expert.severity.NOTE),
  undecrypted = ProtoExpert.new("parley.undecrypted", "Not decrypted", expert.group.UNDECODED, expert.severity.NOTE),
  auth_failed = ProtoExpert.new("parley.auth_failed", "Tag does not verify", expert.group.DECRYPTION, expert.severity.WARN),
  no_request = ProtoExpert.new("parley.no_request", "Response to no request seen", expert.group.SEQUENCE, expert.severity.NOTE),
  suites_rule = ProtoExpert.new("parley.suites_rule", "SUITES not sent as 9.3 says", expert.group.PROTOCOL, expert.severity.WARN),
}
parley.experts = { E.malformed, E.error_reply, E.undecrypted, E.auth_failed, E.no_request, E.suites_rule }

parley.prefs.keylog = Pref.string("Key log file", "",
  "File written by ./parley peer --keylog FILE or PARLEY_KEYLOG (PROTOCOL.md section 12)")
parley.prefs.port = Pref.uint("Registry port", DEFAULT_PORT, "TCP and UDP port of the registry")

local f_tcp_stream = Field.new("tcp.stream")

-- ---- a bounds-checked cursor (section 1: every read checked; leftovers are MALFORMED_BODY) -------

local Short = {} -- thrown when a field runs past the body

local Cur = {}
Cur.__index = Cur

local function cursor(tvb, at, stop, tree, pinfo)
  return setmetatable({ tvb = tvb, at = at, stop = stop, tree = tree, pinfo = pinfo }, Cur)
end

function Cur:need(n, what)
  if self.at + n > self.stop then
    self.tree:add_proto_expert_info(E.malformed, "field " .. what .. " runs past the end of the body")
    error(Short)
  end
end

function Cur:range(n) local r = self.tvb(self.at, n); self.at = self.at + n; return r end
function Cur:left() return self.stop - self.at end

function Cur:u8(field, tree) self:need(1, "u8"); local r = self:range(1); (tree or self.tree):add(field, r); return r:uint() end
function Cur:u16(field, tree) self:need(2, "u16"); local r = self:range(2); (tree or self.tree):add(field, r); return r:uint() end
function Cur:u32(field, tree) self:need(4, "u32"); local r = self:range(4); (tree or self.tree):add(field, r); return r:uint() end
function Cur:i32(field, tree) self:need(4, "i32"); local r = self:range(4); (tree or self.tree):add(field, r); return r:int() end
function Cur:i64(field, tree)
  self:need(8, "i64"); local r = self:range(8); local item = (tree or self.tree):add(field, r); return r:int64(), item
end
function Cur:u64(field, tree) self:need(8, "u64"); local r = self:range(8); (tree or self.tree):add(field, r); return r:uint64() end
function Cur:fixed(field, n, tree)
  self:need(n, n .. " bytes"); local r = self:range(n); (tree or self.tree):add(field, r); return r
end

-- str: u16 length then UTF-8 (section 1)
function Cur:str(field, tree, max)
  self:need(2, "str length")
  local n = self.tvb(self.at, 2):uint()
  self:need(2 + n, "str")
  local r = self.tvb(self.at, 2 + n)
  local s = n > 0 and self.tvb(self.at + 2, n):string(ENC_UTF_8) or ""
  local item = (tree or self.tree):add(field, r, s)
  if max and n > max then
    item:add_proto_expert_info(E.malformed, "longer than " .. max .. " bytes")
  end
  self.at = self.at + 2 + n
  return s
end

-- bytes: u16 length then that many bytes
function Cur:bytes(field, tree)
  self:need(2, "bytes length")
  local n = self.tvb(self.at, 2):uint()
  self:need(2 + n, "bytes")
  local item
  if n > 0 then
    item = (tree or self.tree):add(field, self.tvb(self.at + 2, n))
  else
    item = (tree or self.tree):add(self.tvb(self.at, 2), "(empty bytes)")
  end
  self.at = self.at + 2 + n
  return n, item
end

function Cur:done()
  if self.at < self.stop then
    self.tree:add_proto_expert_info(E.malformed, (self.stop - self.at) .. " byte(s) left over after the last field")
  end
end

-- A subtree for a compound field starting here; its length is set once the field is read.
function Cur:subtree(tree, field)
  self:need(1, "entry")
  return tree:add(field or F.entry, self.tvb(self.at, 1)), self.at
end

local function ms_text(ms)
  local n = tonumber(tostring(ms))
  if not n or n <= 0 then return "" end
  return os.date("!%Y-%m-%d %H:%M:%S", math.floor(n / 1000)) .. string.format(".%03d UTC", n % 1000)
end

-- ---- registry body pieces (section 7) -----------------------------------------------------------

local function user_entry(c, tree)
  local t, start = c:subtree(tree)
  local name = c:str(F.user, t, 32)
  local p = c:u8(F.presence, t)
  local seen = c:i64(F.last_seen, t)
  t:set_len(c.at - start)
  t:set_text("User: " .. name .. " (" .. (PRESENCE[p] or p) .. ")" .. (ms_text(seen) ~= "" and (", last seen " .. ms_text(seen)) or ""))
end

local function user_list(c, tree, label)
  local n = c:u16(F.count, tree)
  if n == 0 then return end
  local t, start = c:subtree(tree)
  for _ = 1, n do user_entry(c, t) end
  t:set_len(c.at - start)
  t:set_text((label or "Users") .. " (" .. n .. ")")
end

local function name_list(c, tree, label)
  local n = c:u16(F.count, tree)
  if n == 0 then return end
  local t, start = c:subtree(tree)
  for _ = 1, n do c:str(F.user, t, 32) end
  t:set_len(c.at - start)
  t:set_text(label .. " (" .. n .. ")")
end

local function endpoint_pair(c, tree)
  c:str(F.host, tree, 64)
  c:u16(F.port, tree)
  c:str(F.observed_host, tree, 64)
  c:u16(F.observed_port, tree)
end

local function path_flags(c, tree)
  c:need(1, "path flags")
  local r = c:range(1)
  local t = tree:add(F.path_flags, r)
  t:add(F.no_direct, r)
  if bit32.band(r:uint(), 0xFE) ~= 0 then t:add_proto_expert_info(E.malformed, "undefined path flag bits") end
end

local function candidates(c, tree)
  local n = c:u8(F.cand_count, tree)
  if n > 8 then tree:add_proto_expert_info(E.malformed, "more than 8 candidates") end
  for _ = 1, n do
    local t, start = c:subtree(tree)
    local fam = c:u8(F.cand_family, t)
    local addr
    if fam == 4 then c:need(4, "IPv4"); local r = c:range(4); t:add(F.cand_ipv4, r); addr = tostring(r:ipv4())
    elseif fam == 6 then c:need(16, "IPv6"); local r = c:range(16); t:add(F.cand_ipv6, r); addr = "[" .. tostring(r:ipv6()) .. "]"
    else t:add_proto_expert_info(E.malformed, "candidate family " .. fam); error(Short) end
    local port = c:u16(F.cand_port, t)
    t:set_len(c.at - start)
    t:set_text("Candidate: " .. addr .. ":" .. port)
  end
end

local function relay_grant(c, tree)
  local present = c:u8(F.relay_present, tree)
  if present == 1 then
    c:fixed(F.relay_token, 16, tree)
    c:str(F.relay_host, tree, 64)
    c:u16(F.relay_port, tree)
  elseif present ~= 0 then
    tree:add_proto_expert_info(E.malformed, "relay present flag " .. present)
  end
end

local function bundle(c, tree)
  c:fixed(F.id_ed25519, 32, tree)
  c:fixed(F.id_x25519, 32, tree)
  c:fixed(F.id_signature, 64, tree)
end

-- optional bundle: u8 0, or 1 and 128 bytes; an end of body here means none (section 7.9)
local function optional_bundle(c, tree)
  if c:left() == 0 then return end
  local p = c:u8(F.bundle_present, tree)
  if p == 1 then bundle(c, tree)
  elseif p ~= 0 then tree:add_proto_expert_info(E.malformed, "identity flag " .. p) end
end

local function mail_entry(c, tree)
  local t, start = c:subtree(tree)
  local seq = c:i64(F.mail_sequence, t)
  local kind = c:u8(F.mail_kind, t)
  c:i64(F.mail_deposited, t)
  if kind == 1 then
    local n = c:u32(F.mail_blob_length, t)
    c:fixed(F.mail_blob, n, t)
  elseif kind == 2 then
    c:str(F.user, t, 32)
    c:i64(F.mail_message_id, t)
  else
    t:add_proto_expert_info(E.malformed, "mail entry kind " .. kind); error(Short)
  end
  t:set_len(c.at - start)
  t:set_text("Mail entry " .. tostring(seq) .. " (" .. (MAIL_KIND[kind] or kind) .. ")")
end

local function group_member(c, tree)
  local t, start = c:subtree(tree)
  local name = c:str(F.user, t, 32)
  c:u8(F.presence, t)
  c:i64(F.last_seen, t)
  local role = c:u8(F.group_role, t)
  t:set_len(c.at - start)
  t:set_text("Member: " .. name .. " (" .. (GROUP_ROLE[role] or role) .. ")")
end

local function just_user(c, t) c:str(F.user, t, 32) end
local function empty() end

-- Body decoders, by opcode: [1] request, [2] response, [3] push. nil = no body defined.
local BODIES = {
  [0x10] = { function(c, t)
      c:str(F.user, t, 32); c:bytes(F.salt, t); c:i32(F.iterations, t)
      c:bytes(F.stored_key, t); c:bytes(F.server_key, t); optional_bundle(c, t)
    end, empty },
  [0x11] = { function(c, t) c:str(F.scram, t, 1024) end, function(c, t) c:str(F.scram, t, 1024) end },
  [0x12] = { function(c, t) c:str(F.scram, t, 1024) end, function(c, t)
      c:str(F.scram, t, 1024); c:i64(F.probe_id, t); c:fixed(F.probe_key, 32, t)
      c:str(F.user, t, 32); c:u8(F.visibility, t); optional_bundle(c, t)
    end },
  [0x13] = { empty, empty },
  [0x14] = { function(c, t) c:u8(F.visibility, t) end, empty },
  [0x15] = { empty, function(c, t) user_list(c, t) end },
  [0x16] = { function(c, t) c:str(F.prefix, t, 32) end, function(c, t) user_list(c, t) end },
  [0x17] = { function(c, t) c:str(F.host, t, 64); c:u16(F.port, t) end, empty },
  [0x18] = { just_user, endpoint_pair },
  [0x19] = { just_user, empty }, [0x1A] = { just_user, empty }, [0x1B] = { just_user, empty },
  [0x1C] = { just_user, empty }, [0x1E] = { just_user, empty }, [0x1F] = { just_user, empty },
  [0x1D] = { empty, function(c, t)
      user_list(c, t, "Contacts"); name_list(c, t, "Requests to you")
      name_list(c, t, "Your requests"); name_list(c, t, "Blocked")
    end },
  [0x20] = { function(c, t)
      c:str(F.user, t, 32); c:u64(F.session_id, t); c:fixed(F.public_key, 32, t)
      path_flags(c, t); candidates(c, t)
    end, function(c, t) c:i32(F.invite_id, t) end },
  [0x21] = { function(c, t)
      c:i32(F.invite_id, t); c:u8(F.accept, t); c:u64(F.session_id, t); c:fixed(F.public_key, 32, t)
      path_flags(c, t); candidates(c, t)
    end, relay_grant },
  [0x22] = { bundle, empty },
  [0x23] = { just_user, optional_bundle },
  [0x24] = { function(c, t)
      c:str(F.user, t, 32); c:i64(F.mail_message_id, t)
      local n = c:u32(F.mail_blob_length, t)
      if n > 32768 then t:add_proto_expert_info(E.malformed, "blob longer than 32,768 bytes") end
      c:fixed(F.mail_blob, n, t)
    end, function(c, t) local ms, item = c:i64(F.mail_expires, t); item:append_text(" (" .. ms_text(ms) .. ")") end },
  [0x25] = { function(c, t) c:i64(F.mail_after, t); c:u16(F.mail_max, t) end, function(c, t)
      c:u8(F.mail_more, t)
      local n = c:u16(F.count, t)
      for _ = 1, n do mail_entry(c, t) end
    end },
  [0x26] = { function(c, t) c:i64(F.mail_up_to, t) end, empty },
  [0x27] = { function(c, t) c:str(F.group_name, t, 32) end, function(c, t) c:fixed(F.group_id, 16, t) end },
  [0x28] = { function(c, t) c:str(F.group_name, t, 32); c:str(F.user, t, 32) end, empty },
  [0x29] = { function(c, t) c:str(F.group_name, t, 32); c:u8(F.group_answer, t) end, empty },
  [0x2A] = { function(c, t) c:str(F.group_name, t, 32) end, empty },
  [0x2B] = { function(c, t) c:str(F.group_name, t, 32); c:str(F.user, t, 32) end, empty },
  [0x2C] = { function(c, t) c:str(F.group_name, t, 32) end, function(c, t)
      c:fixed(F.group_id, 16, t); c:i64(F.group_version, t)
      local n = c:u16(F.count, t)
      for _ = 1, n do group_member(c, t) end
    end },
  [0x2D] = { empty, function(c, t)
      local n = c:u16(F.count, t)
      for _ = 1, n do
        local e, start = c:subtree(t)
        c:fixed(F.group_id, 16, e)
        local name = c:str(F.group_name, e, 32)
        local role = c:u8(F.group_role, e)
        c:i64(F.group_version, e)
        e:set_len(c.at - start)
        e:set_text("Group: #" .. name .. " (" .. (GROUP_ROLE[role] or role) .. ")")
      end
    end },
  [0x2E] = { function(c, t) c:str(F.group_name, t, 32); c:str(F.user, t, 32); c:u8(F.group_role, t) end, empty },
  [0x30] = { function(c, t) c:u8(F.state, t) end, function(c, t) c:i32(F.lease, t) end },
  [0x31] = { nil, nil, user_entry },
  [0x32] = { nil, nil, function(c, t) c:str(F.user, t, 32); c:u8(F.contact_kind, t) end },
  [0x33] = { nil, nil, function(c, t)
      c:i32(F.invite_id, t); c:str(F.user, t, 32); c:u64(F.session_id, t); c:fixed(F.public_key, 32, t)
      endpoint_pair(c, t); path_flags(c, t); candidates(c, t); optional_bundle(c, t)
    end },
  [0x34] = { nil, nil, function(c, t)
      c:i32(F.invite_id, t); c:str(F.user, t, 32); c:u64(F.session_id, t); c:fixed(F.public_key, 32, t)
      endpoint_pair(c, t); path_flags(c, t); candidates(c, t); relay_grant(c, t); optional_bundle(c, t)
    end },
  [0x35] = { nil, nil, function(c, t) c:i32(F.invite_id, t); c:str(F.user, t, 32); c:str(F.why, t) end },
  [0x36] = { nil, nil, function(c, t) c:u16(F.closed_code, t); c:str(F.closed_reason, t, 512) end },
  [0x37] = { function(c, t) c:i64(F.probe_id, t); c:u64(F.probe_counter, t); c:fixed(F.probe_mac, 16, t) end,
    function(c, t) c:str(F.observed_host, t, 64); c:u16(F.observed_port, t) end },
  [0x38] = { nil, function(c, t) c:fixed(F.probe_challenge, 16, t) end },
  [0x39] = { function(c, t)
      c:i64(F.probe_id, t); c:u64(F.probe_counter, t); c:fixed(F.probe_challenge, 16, t); c:fixed(F.probe_mac, 16, t)
    end, function(c, t) c:str(F.observed_host, t, 64); c:u16(F.observed_port, t) end },
  [0x3A] = { nil, nil, function(c, t) c:u32(F.mail_waiting, t) end },
  [0x3B] = { nil, nil, function(c, t) c:fixed(F.group_id, 16, t); c:str(F.group_name, t, 32); c:str(F.user, t, 32) end },
  [0x3C] = { nil, nil, function(c, t)
      c:fixed(F.group_id, 16, t); c:str(F.group_name, t, 32); c:u8(F.group_change, t)
      c:str(F.user, t, 32); c:u8(F.group_role, t); c:i64(F.group_version, t)
    end },
}
-- Pushes carry PUSH; PROBE_CHALLENGE is the one CONTROL answer that is not its request's opcode.

-- ---- request/response linking (like DNS or HTTP): by conversation and correlation id -----------

local requests = {}   -- key -> { frame, time, opcode, response = frame }
local replies = {}    -- frame .. ":" .. index -> { request frame, time delta, opcode }

local function conversation_key(pinfo, reverse)
  local stream = f_tcp_stream()
  if stream then return "t" .. tostring(stream.value) end
  local a = tostring(pinfo.src) .. ":" .. pinfo.src_port
  local b = tostring(pinfo.dst) .. ":" .. pinfo.dst_port
  if reverse then a, b = b, a end
  return "u" .. a .. ">" .. b
end

local function link(tvb, pinfo, tree, opcode, flags, corr, index)
  local response = bit32.band(flags, FLAG_RESPONSE) ~= 0
  local push = bit32.band(flags, FLAG_PUSH) ~= 0
  if push then return nil end
  local here_key = pinfo.number .. ":" .. index
  if not response then
    local key = conversation_key(pinfo, false) .. "#" .. corr
    if not pinfo.visited then
      requests[key] = { frame = pinfo.number, time = pinfo.abs_ts, opcode = opcode }
      replies[here_key] = { request_key = key }
    end
    local r = replies[here_key]
    local req = r and requests[r.request_key]
    if req and req.frame == pinfo.number and req.response then
      tree:add(F.response_in, req.response):set_generated()
    end
    return nil
  end
  if not pinfo.visited then
    local key = conversation_key(pinfo, true) .. "#" .. corr
    local req = requests[key]
    if req and req.frame < pinfo.number and not req.response then
      req.response = pinfo.number
      replies[here_key] = { frame = req.frame, delta = pinfo.abs_ts - req.time, opcode = req.opcode }
    else
      replies[here_key] = { none = true }
    end
  end
  local r = replies[here_key]
  if r and r.frame then
    tree:add(F.response_to, r.frame):set_generated()
    local secs = math.floor(r.delta)
    tree:add(F.time, NSTime.new(secs, math.floor((r.delta - secs) * 1e9 + 0.5))):set_generated()
    tree:add(F.request_opcode, r.opcode):set_generated()
    return r.opcode
  elseif corr ~= 0 then
    tree:add_proto_expert_info(E.no_request, "no request with correlation id " .. string.format("0x%08x", corr) .. " seen")
  end
  return nil
end

-- ---- the header (section 2) ---------------------------------------------------------------------

-- Adds the header; returns version, class, opcode, flags, correlation, body length.
local function header(tvb, tree, udp_peer)
  tree:add(F.version, tvb(0, 1))
  tree:add(F.class, tvb(1, 1))
  tree:add(F.opcode, tvb(2, 1))
  local fl = tree:add(F.flags, tvb(3, 1))
  if udp_peer then
    fl:add(F.aead, tvb(3, 1)) -- on the peer channel the flags byte names the AEAD (9.2)
    tree:add(F.packet_number, tvb(4, 4))
  else
    fl:add(F.flag_response, tvb(3, 1))
    fl:add(F.flag_push, tvb(3, 1))
    fl:add(F.flag_reserved, tvb(3, 1))
    tree:add(F.correlation, tvb(4, 4))
  end
  tree:add(F.length, tvb(8, 4))
  return tvb(0, 1):uint(), tvb(1, 1):uint(), tvb(2, 1):uint(), tvb(3, 1):uint(), tvb(4, 4):uint(), tvb(8, 4):uint()
end

-- Checks the header as a receiver would (sections 2-4); returns an error text or nil.
local function header_problem(version, class, opcode, flags, length, max_body)
  if version ~= 1 then return "version " .. version .. " (UNSUPPORTED_VERSION)" end
  if not CLASSES[class] then return "class " .. class .. " (MALFORMED_HEADER)" end
  if bit32.band(flags, 0xFC) ~= 0 then return "undefined flag bits (MALFORMED_HEADER)" end
  if max_body and length > max_body then return "body length " .. length .. " over " .. max_body .. " (FRAME_TOO_LARGE)" end
  if opcode == 0 then return "opcode 0 is never valid" end
  if not OPCODES[opcode] then return "unknown opcode " .. string.format("0x%02x", opcode) .. " (UNKNOWN_OPCODE)" end
  if OPCODE_CLASS[opcode] ~= class then return OPCODES[opcode] .. " in class " .. CLASSES[class] .. " (WRONG_CLASS)" end
  return nil
end

local function kind_text(flags)
  if bit32.band(flags, FLAG_PUSH) ~= 0 then return "push" end
  if bit32.band(flags, FLAG_RESPONSE) ~= 0 then return "response" end
  return "request"
end

local function add_info(pinfo, text)
  local cur = tostring(pinfo.cols.info)
  if cur == "" then pinfo.cols.info:set(text) else pinfo.cols.info:append(" | " .. text) end
end

-- Decodes one registry message (TCP frame, or a probe datagram) whose header is at tvb offset 0.
local function registry_message(tvb, pinfo, root, index, max_body)
  local len = tvb:len()
  local t = root:add(parley, tvb(0, len))
  if len < HEADER then
    t:add_proto_expert_info(E.malformed, "shorter than the 12-byte header")
    add_info(pinfo, "malformed (short)")
    return
  end
  local h = t:add(tvb(0, HEADER), "Header")
  local version, class, opcode, flags, corr, length = header(tvb, h, false)
  local name = OPCODES[opcode] or string.format("0x%02x", opcode)
  local problem = header_problem(version, class, opcode, flags, length, max_body)
  local kind = kind_text(flags)
  t:append_text(", " .. name .. " " .. kind .. string.format(", corr 0x%08x", corr))
  if problem then
    t:add_proto_expert_info(E.malformed, problem)
    add_info(pinfo, "malformed: " .. problem)
    return
  end
  if HEADER + length ~= len then
    t:add_proto_expert_info(E.malformed, "body length " .. length .. " but " .. (len - HEADER) .. " bytes follow")
  end
  local answers = link(tvb, pinfo, t, opcode, flags, corr, index)
  local info = name .. " " .. kind .. string.format(" corr=0x%08x", corr)
  local stop = math.min(len, HEADER + length)
  local b = t:add(F.body, tvb(HEADER, stop - HEADER))
  b:set_text("Body (" .. (stop - HEADER) .. " bytes)")
  local c = cursor(tvb, HEADER, stop, b, pinfo)
  local ok, err = pcall(function()
    if opcode == 0x01 then
      local code = c:u16(F.error, b)
      local reason = c:str(F.error_reason, b, 512)
      local ename = ERRORS[code] or tostring(code)
      b:add_proto_expert_info(E.error_reply, "ERROR " .. ename .. ": " .. reason)
      info = "ERROR " .. ename .. (answers and (" to " .. (OPCODES[answers] or answers)) or "") .. string.format(" corr=0x%08x", corr)
    else
      local which = bit32.band(flags, FLAG_PUSH) ~= 0 and 3 or (bit32.band(flags, FLAG_RESPONSE) ~= 0 and 2 or 1)
      local decoders = BODIES[opcode]
      local dec = decoders and decoders[which]
      if dec then
        dec(c, b)
      elseif length > 0 then
        b:add_proto_expert_info(E.malformed, name .. " has no " .. kind .. " form")
        c.at = stop
      end
    end
    c:done()
  end)
  if not ok and err ~= Short then error(err, 0) end
  add_info(pinfo, info)
end

-- ---- TCP: frames split across segments, or many to a segment (section 4) -----------------------

local function tcp_pdu_length(tvb, pinfo, offset)
  local version = tvb(offset, 1):uint()
  local class = tvb(offset + 1, 1):uint()
  local flags = tvb(offset + 3, 1):uint()
  local length = tvb(offset + 8, 4):uint()
  if version ~= 1 or not CLASSES[class] or bit32.band(flags, 0xFC) ~= 0 or length > MAX_TCP_BODY then
    -- A broken header breaks the stream (section 4): show the rest of the segment as one message.
    return tvb:len() - offset
  end
  return HEADER + length
end

local pdu_index = 0
local function tcp_pdu(tvb, pinfo, tree)
  pdu_index = pdu_index + 1
  registry_message(tvb, pinfo, tree, pdu_index, MAX_TCP_BODY)
  return tvb:len()
end

local function dissect_tcp(tvb, pinfo, tree)
  pinfo.cols.protocol = "Parley"
  pinfo.cols.info:clear()
  pdu_index = 0
  dissect_tcp_pdus(tvb, tree, HEADER, tcp_pdu_length, tcp_pdu)
  return tvb:len()
end

-- ---- key log (PROTOCOL.md section 12) and the peer channel (section 9) ---------------------------

local function session_hex(tvb, at)
  return tvb(at, 8):bytes():tohex():lower()
end

-- The streams of every direction put back in order (parley_streams.lua), built on the first pass;
-- what each packet opened to and the messages it completed are kept per frame for later passes.
local streams = Streams.new()
local messages_at = {}  -- frame number -> list of { data, frames } or { bad }
local decrypted_at = {} -- frame number .. ":" .. index -> plaintext (or false when it did not open)

-- One chat payload (9.3.1; groups 9.3.2; files 9.7), in a tvb of its own.
local function chat_payload(tvb, pinfo, tree, frames)
  local t = tree:add(parley, tvb(), "Parley message (" .. tvb:len() .. " bytes)")
  if frames then t:add(F.msg_frames, frames):set_generated() end
  t:add(F.msg_length, tvb:len()):set_generated()
  local c = cursor(tvb, 0, tvb:len(), t, pinfo)
  local info = nil
  local ok, err = pcall(function()
    local kind = c:u8(F.chat_kind, t)
    local kname = CHAT_KINDS[kind]
    if kind == 0x01 or kind == 0x04 then
      c:i64(F.chat_id, t)
      local ms, item = c:i64(F.chat_sent_at, t)
      item:append_text(" (" .. ms_text(ms) .. ")")
      if kind == 0x04 then
        c:fixed(F.group_id, 16, t); c:i64(F.chat_sequence, t); c:i64(F.chat_lamport, t); c:i64(F.group_version, t)
      end
      local n = c:left()
      local text = n > 0 and tvb(c.at, n):string(ENC_UTF_8) or ""
      t:add(F.chat_text, tvb(c.at, n), text)
      c.at = c.stop
      if n > 16384 then t:add_proto_expert_info(E.malformed, "text over 16,384 bytes (REJECT TOO_LARGE)") end
      info = (kind == 0x04 and "GROUP " or "TEXT ") .. '"' .. (#text > 40 and (text:sub(1, 40) .. "...") or text) .. '"'
    elseif kind == 0x02 then
      c:fixed(F.chat_signature, 64, t); info = "AUTH"
    elseif kind == 0x03 then
      c:i64(F.chat_receipt, t); info = "RECEIPT"
    elseif kind == 0x10 then
      c:u64(F.file_id, t); c:i64(F.file_size, t); c:u32(F.file_chunk_size, t)
      c:fixed(F.file_sha256, 32, t); c:fixed(F.file_root, 32, t)
      c:need(2, "name length")
      local n = tvb(c.at, 2):uint(); c.at = c.at + 2
      c:need(n, "name")
      t:add(F.file_name, tvb(c.at - 2, n + 2), n > 0 and tvb(c.at, n):string(ENC_UTF_8) or "")
      c.at = c.at + n
      info = "FILE_OFFER"
    elseif kind == 0x11 or kind == 0x15 then
      c:u64(F.file_id, t); c:u8(F.file_verdict, t); c:u32(F.file_first_chunk, t); c:u32(F.file_first_hash, t)
      info = kname
    elseif kind == 0x12 then
      c:u64(F.file_id, t); c:u32(F.file_index, t)
      local k = c:u16(F.file_count, t)
      for _ = 1, k do c:fixed(F.file_hash, 32, t) end
      info = kname
    elseif kind == 0x13 then
      c:u64(F.file_id, t); c:i64(F.file_offset, t)
      local n = c:left()
      if n > 0 then t:add(F.file_data, tvb(c.at, n)) end
      c.at = c.stop
      info = kname
    elseif kind == 0x14 then
      c:u64(F.file_id, t); c:u32(F.file_verified, t); info = kname
    elseif kind == 0x16 then
      c:u64(F.file_id, t); c:u8(F.file_cancel, t); info = kname
    else
      t:add_proto_expert_info(E.malformed, "chat kind " .. kind .. " (REJECT MALFORMED)")
      c.at = c.stop
      info = "kind " .. kind
    end
    c:done()
  end)
  if not ok and err ~= Short then error(err, 0) end
  return info
end

-- The frames of one opened packet (9.3); returns how many there were and whether one was SUITES.
local function frames(tvb, pinfo, tree, infos)
  local c = cursor(tvb, 0, tvb:len(), tree, pinfo)
  local count, suites = 0, false
  local ok, err = pcall(function()
    while c:left() > 0 do
      count = count + 1
      local start = c.at
      local ft = tree:add(F.frame_type, tvb(c.at, 1))
      local typ = tvb(c.at, 1):uint(); c.at = c.at + 1
      if typ == 0x01 then
        local off = c:i64(F.stream_offset, ft)
        local n = c:u16(F.stream_length, ft)
        c:fixed(F.stream_data, n, ft)
        infos[#infos + 1] = "STREAM " .. tostring(off) .. "+" .. n
      elseif typ == 0x02 then
        local largest = c:u32(F.ack_largest, ft)
        c:u32(F.ack_delay, ft); c:i64(F.ack_delivered, ft); c:i64(F.ack_window, ft)
        local extra = c:u8(F.ack_ranges, ft)
        c:u16(F.ack_first, ft)
        for _ = 1, extra do c:u16(F.ack_gap, ft); c:u16(F.ack_range, ft) end
        infos[#infos + 1] = "ACK " .. largest
      elseif typ == 0x03 then
        infos[#infos + 1] = "PING"
      elseif typ == 0x04 then
        c:u8(F.close_reason, ft); infos[#infos + 1] = "CLOSE"
      elseif typ == 0x05 then
        c:i64(F.reject_end, ft); c:u8(F.reject_reason, ft); infos[#infos + 1] = "REJECT"
      elseif typ == 0x06 or typ == 0x07 then
        c:fixed(F.path_data, 8, ft); infos[#infos + 1] = FRAME_TYPES[typ]
      elseif typ == 0x09 then
        -- BULK (9.9): STREAM's layout, in stream 1's own offsets
        local off = c:i64(F.bulk_offset, ft)
        local n = c:u16(F.bulk_length, ft)
        c:fixed(F.bulk_data, n, ft)
        infos[#infos + 1] = "BULK " .. tostring(off) .. "+" .. n
      elseif typ == 0x0A then
        -- BULK_WINDOW (9.9): stream 1's delivered offset and window limit, after an ACK
        local delivered = c:i64(F.bulk_delivered, ft)
        c:i64(F.bulk_window, ft)
        infos[#infos + 1] = "BULK_WINDOW " .. tostring(delivered)
      elseif typ == 0x0C then
        -- SUITES (9.3): the AEADs the sender of the frame accepts on this session
        c:need(1, "suites mask")
        local r = c:range(1)
        local m = ft:add(F.suites_mask, r)
        m:add(F.suites_gcm, r)
        m:add(F.suites_reserved, r)
        local gcm = bit32.band(r:uint(), SUITE_GCM) ~= 0
        infos[#infos + 1] = "SUITES " .. (gcm and AEADS[AEAD_GCM] or (AEADS[AEAD_CHACHA] .. " only"))
        suites = true
      elseif typ == 0x08 then
        -- PADDING (9.8): the rest of the packet, ignored; it pads a path-MTU probe
        infos[#infos + 1] = "PADDING " .. c:left()
        c.at = c.stop
      else
        ft:add_proto_expert_info(E.malformed, "unknown frame type " .. typ .. ": the packet is dropped")
        error(Short)
      end
      ft:set_len(c.at - start)
    end
  end)
  if not ok and err ~= Short then error(err, 0) end
  return count, suites
end

-- A sealed peer datagram (9.2): header, destination session id, sealed frames, tag.
local function peer_datagram(tvb, pinfo, root, index, via)
  local len = tvb:len()
  local t = root:add(parley, tvb(0, len))
  local h = t:add(tvb(0, HEADER), "Header")
  local version, class, opcode, flags, pn, length = header(tvb, h, true)
  local name = OPCODES[opcode] or string.format("0x%02x", opcode)
  t:append_text(", " .. name .. ", pn " .. pn .. (via and " (inside RELAY)" or ""))
  local problem = header_problem(version, class, opcode, 0, nil)
  if not problem and not AEADS[flags] then
    problem = string.format("flags 0x%02x name no AEAD (0x00 ChaCha20-Poly1305, 0x01 AES-256-GCM)", flags)
  end
  if not problem and len < HEADER + 8 + 16 then problem = "shorter than 36 bytes" end
  if not problem and HEADER + length ~= len then
    problem = "body length " .. length .. " but " .. (len - HEADER) .. " bytes follow"
  end
  -- 1,200 bytes unless path-MTU probing raised the size (9.8): at most 65,507 (and a relay's inner datagram stays at 1,200)
  if not problem and len > 65507 then problem = "longer than 65,507 bytes" end
  if problem then
    t:add_proto_expert_info(E.malformed, problem .. ": dropped and counted as malformed")
    add_info(pinfo, name .. " malformed: " .. problem)
    if len >= HEADER + 8 then t:add(F.session, tvb(HEADER, 8)) end
    return
  end
  t:append_text(", " .. AEADS[flags])
  t:add(F.session, tvb(HEADER, 8))
  local sid = session_hex(tvb, HEADER)
  t:add(F.sealed, tvb(HEADER + 8, len - HEADER - 8 - 16))
  t:add(F.tag, tvb(len - 16, 16)):set_text(TAG_NAMES[flags] .. ": " .. tvb(len - 16, 16):bytes():tohex():lower())
  local infos = {}
  local key = pinfo.number .. ":" .. index
  local plain = decrypted_at[key]
  local open, k, iv = nil, "parley_crypto.lua or parley_keylog.lua did not load: nothing is decrypted", nil
  if keylog then open, k, iv = keylog:opener(parley.prefs.keylog, flags == AEAD_GCM, sid) end
  local why = open and ("no key for session " .. sid .. " (set parley.keylog)") or k
  if plain == nil and not pinfo.visited and open then
    local raw = tvb:raw(0, len)
    plain = open(k, crypto.packet_nonce(iv, pn), raw:sub(1, 20), raw:sub(21)) or false
    decrypted_at[key] = plain
    if plain then
      local out = streams:packet(sid, pinfo.number, plain)
      messages_at[pinfo.number] = messages_at[pinfo.number] or {}
      for _, m in ipairs(out) do table.insert(messages_at[pinfo.number], m) end
    end
  end
  local aead_note = flags == AEAD_GCM and (" " .. AEADS[flags]) or ""
  if plain == nil then
    t:add(F.decrypted, false):set_generated()
    t:add_proto_expert_info(E.undecrypted, why)
    add_info(pinfo, name .. " pn=" .. pn .. " sid=" .. sid .. aead_note)
    return
  end
  if plain == false then
    t:add(F.decrypted, false):set_generated()
    t:add_proto_expert_info(E.auth_failed, "the " .. TAG_NAMES[flags] .. " does not verify under the key-log key: dropped as an authentication failure")
    add_info(pinfo, name .. " pn=" .. pn .. aead_note .. " (authentication failed)")
    return
  end
  t:add(F.decrypted, true):set_generated()
  local ptvb = ByteArray.new(plain, true):tvb("Decrypted frames")
  local ft = t:add(ptvb(), "Frames (" .. #plain .. " bytes)")
  local count, suites = frames(ptvb, pinfo, ft, infos)
  if suites and (count > 1 or flags ~= AEAD_CHACHA or opcode ~= 0x41) then
    ft:add_proto_expert_info(E.suites_rule, "SUITES travels alone, in PEER_CONTROL, sealed with ChaCha20-Poly1305 (9.3)")
  end
  local msgs = messages_at[pinfo.number]
  if msgs then
    for i, m in ipairs(msgs) do
      if m.bad then
        t:add_proto_expert_info(E.malformed, m.bad)
      else
        local mtvb = ByteArray.new(m.data, true):tvb("Message " .. i)
        local what = chat_payload(mtvb, pinfo, t, m.frames)
        if what then infos[#infos + 1] = what end
      end
    end
  end
  add_info(pinfo, name .. " pn=" .. pn .. aead_note .. " [" .. table.concat(infos, ", ") .. "]")
end

local PEER_OPCODES = { [0x40] = true, [0x41] = true }
local UDP_OPCODES = { [0x37] = true, [0x38] = true, [0x39] = true, [0x40] = true, [0x41] = true, [0x42] = true }

local function dissect_udp(tvb, pinfo, tree)
  pinfo.cols.protocol = "Parley"
  pinfo.cols.info:clear()
  local len = tvb:len()
  if len < HEADER then
    local t = tree:add(parley, tvb())
    t:add_proto_expert_info(E.malformed, "shorter than the 12-byte header")
    add_info(pinfo, "malformed (short)")
    return len
  end
  local opcode = tvb(2, 1):uint()
  if PEER_OPCODES[opcode] then
    peer_datagram(tvb, pinfo, tree, 1, false)
  elseif opcode == 0x42 then
    local t = tree:add(parley, tvb(0, math.min(len, HEADER + 16)))
    local h = t:add(tvb(0, HEADER), "Header")
    local version, class, op, flags, corr, length = header(tvb, h, false)
    t:append_text(", RELAY")
    local problem = header_problem(version, class, op, flags, nil)
    if not problem and len < HEADER + 16 + 36 then problem = "shorter than 64 bytes" end
    if not problem and HEADER + length ~= len then problem = "body length " .. length .. " but " .. (len - HEADER) .. " bytes follow" end
    if problem then
      t:add_proto_expert_info(E.malformed, problem)
      add_info(pinfo, "RELAY malformed: " .. problem)
      return len
    end
    t:add(F.relay_token, tvb(HEADER, 16))
    add_info(pinfo, "RELAY")
    peer_datagram(tvb(HEADER + 16):tvb(), pinfo, tree, 2, true)
  else
    registry_message(tvb, pinfo, tree, 1, nil)
  end
  return len
end

-- Heuristic: peer ports are dynamic, so recognise the header (version 1, a class, flags within
-- the defined bits, an opcode of the UDP side) rather than wait for a port.
local function heur_udp(tvb, pinfo, tree)
  if tvb:len() < HEADER then return false end
  if tvb(0, 1):uint() ~= 1 then return false end
  local class = tvb(1, 1):uint()
  local opcode = tvb(2, 1):uint()
  if not CLASSES[class] or not UDP_OPCODES[opcode] then return false end
  -- a peer datagram's flags name its AEAD (9.2): let any value through to be shown malformed
  if not PEER_OPCODES[opcode] and bit32.band(tvb(3, 1):uint(), 0xFC) ~= 0 then return false end
  dissect_udp(tvb, pinfo, tree)
  return true
end

-- TCP heuristic: the registry may listen anywhere (--port); a frame header with a known opcode
-- whose class matches and a body length within the 64 KiB frame starts the conversation.
local function heur_tcp(tvb, pinfo, tree)
  if tvb:len() < HEADER then return false end
  local version, class, opcode, flags = tvb(0, 1):uint(), tvb(1, 1):uint(), tvb(2, 1):uint(), tvb(3, 1):uint()
  local length = tvb(8, 4):uint()
  if version ~= 1 or not OPCODES[opcode] or OPCODE_CLASS[opcode] ~= class or UDP_OPCODES[opcode]
      or bit32.band(flags, 0xFC) ~= 0 or length > MAX_TCP_BODY then
    return false
  end
  pinfo.conversation = parley
  dissect_tcp(tvb, pinfo, tree)
  return true
end

function parley.dissector(tvb, pinfo, tree)
  if pinfo.port_type == 2 then -- PT_TCP
    return dissect_tcp(tvb, pinfo, tree)
  end
  return dissect_udp(tvb, pinfo, tree)
end

function parley.init()
  requests, replies = {}, {}
  streams, messages_at, decrypted_at = Streams.new(), {}, {}
  if keylog then keylog:reset() end
end

-- The registry's port on TCP and UDP, and inside TLS (a registry capture whose TLS Wireshark can
-- decrypt: the TLS dissector hands the application data to the "tls.port" table).
local PORT_TABLES = { "tcp.port", "udp.port", "tls.port" }
local registered_port = nil
local function register_ports()
  for _, name in ipairs(PORT_TABLES) do
    local ok, table = pcall(DissectorTable.get, name)
    if ok and table then
      if registered_port then table:remove(registered_port, parley) end
      table:add(parley.prefs.port, parley)
      pcall(function() table:add_for_decode_as(parley) end)
    end
  end
  registered_port = parley.prefs.port
end

function parley.prefs_changed()
  register_ports()
  if keylog then keylog:changed() end
end

register_ports()
parley:register_heuristic("udp", heur_udp)
parley:register_heuristic("tcp", heur_tcp)
pcall(function() parley:register_heuristic("tls", heur_tcp) end)
