-- RFC 8439 test vectors for tools/wireshark/parley_crypto.lua, FIPS 197 and GCM-spec vectors for
-- parley_aes.lua, and the Parley datagram vectors of docs/vectors/datagrams.json.
-- Run: lua5.2 crypto_test.lua <dir of parley_crypto.lua> [docs/vectors dir] [extra vectors file].
-- Prints "ok <name>" per vector, "FAIL <name>" and exits 1 on a mismatch.
-- The extra file has lines "aead|gcm <key> <nonce> <aad> <plaintext> <sealed>" (hex, "-" = empty),
-- written by WiresharkCryptoTest from the JDK's ChaCha20-Poly1305 (aead) and AES/GCM (gcm).
local dir = arg[1] or "."
local C = dofile(dir .. "/parley_crypto.lua")
local A = dofile(dir .. "/parley_aes.lua")
local H = C.from_hex
local failed = false

local function check(name, got, want)
  if got == want then
    print("ok " .. name)
  else
    print("FAIL " .. name .. ": got " .. tostring(got and C.to_hex(got)) .. " want " .. C.to_hex(want))
    failed = true
  end
end

local key0 = H("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f")
local key80 = H("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f")
local sunscreen = "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it."

check("rfc8439 2.3.2 block", C.chacha20_block(key0, 1, H("000000090000004a00000000")),
  H("10f1e7e4d13b5915500fdd1fa32071c4c7d1f4c733c068030422aa9ac3d46c4e" ..
    "d2826446079faa0914c2d705d98b02a2b5129cd1de164eb9cbd083e8a2503c4e"))
check("rfc8439 2.4.2 encrypt", C.chacha20(key0, 1, H("000000000000004a00000000"), sunscreen),
  H("6e2e359a2568f98041ba0728dd0d6981e97e7aec1d4360c20a27afccfd9fae0bf91b65c5524733ab8f593dabcd62b357" ..
    "1639d624e65152ab8f530c359f0861d807ca0dbf500d6a6156a38e088a22b65e52bc514d16ccf806818ce91ab7793736" ..
    "5af90bbf74a35be6b40b8eedf2785e42874d"))
check("rfc8439 2.5.2 poly1305", C.poly1305(H("85d6be7857556d337f4452fe42d506a80103808afb0db2fd4abff6af4149f51b"),
  "Cryptographic Forum Research Group"), H("a8061dc1305136c6c22b8baf0c0127a9"))
check("rfc8439 2.6.2 poly key", C.chacha20_block(key80, 0, H("000000000001020304050607")):sub(1, 32),
  H("8ad5a08b905f81cc815040274ab29471a833b637e3fd0da508dbb8e2fdd1a646"))
-- Appendix A.3: the vectors that exercise the reduction mod 2^130 - 5.
check("rfc8439 A.3 #5", C.poly1305(H("02" .. string.rep("00", 31)), H(string.rep("ff", 16))), H("03" .. string.rep("00", 15)))
check("rfc8439 A.3 #6", C.poly1305(H("02" .. string.rep("00", 15) .. string.rep("ff", 16)), H("02" .. string.rep("00", 15))),
  H("03" .. string.rep("00", 15)))
check("rfc8439 A.3 #7", C.poly1305(H("01" .. string.rep("00", 31)),
  H(string.rep("ff", 16) .. "f0" .. string.rep("ff", 15) .. "11" .. string.rep("00", 15))), H("05" .. string.rep("00", 15)))
check("rfc8439 A.3 #8", C.poly1305(H("01" .. string.rep("00", 31)),
  H(string.rep("ff", 16) .. "fb" .. string.rep("fe", 15) .. string.rep("01", 16))), H(string.rep("00", 16)))
check("rfc8439 A.3 #9", C.poly1305(H("02" .. string.rep("00", 31)), H("fd" .. string.rep("ff", 15))),
  H("fa" .. string.rep("ff", 15)))
local sealed282 = H("d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d63dbea45e8ca9671282fafb69da92728b" ..
  "1a71de0a9e060b2905d6a5b67ecd3b3692ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc" ..
  "3ff4def08e4b7a9de576d26586cec64b6116" .. "1ae10b594f09e26a7e902ecbd0600691")
local nonce282 = H("070000004041424344454647")
local aad282 = H("50515253c0c1c2c3c4c5c6c7")
check("rfc8439 2.8.2 seal", C.seal(key80, nonce282, aad282, sunscreen), sealed282)
check("rfc8439 2.8.2 open", C.open(key80, nonce282, aad282, sealed282), sunscreen)
local tampered = sealed282:sub(1, 10) .. string.char((sealed282:byte(11) + 1) % 256) .. sealed282:sub(12)
if C.open(key80, nonce282, aad282, tampered) ~= nil then
  print("FAIL rfc8439 2.8.2 tampered: opened"); failed = true
else
  print("ok rfc8439 2.8.2 tampered refused")
end

-- AES-256: FIPS 197 appendix C.3; AES-256-GCM: test cases 13-16 of McGrew & Viega, "The Galois/
-- Counter Mode of Operation" (the AES-256 ones), each sealed and opened, and refused when tampered.
check("fips197 C.3 aes256", A.aes256_block(key0, H("00112233445566778899aabbccddeeff")),
  H("8ea2b7ca516745bfeafc49904b496089"))
local gcm_key15 = H("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308")
local gcm_iv15 = H("cafebabefacedbaddecaf888")
local gcm_p15 = H("d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72" ..
  "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255")
local gcm_c15 = H("522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa" ..
  "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad")
local gcm_cases = {
  { "gcm case 13", string.rep("\0", 32), string.rep("\0", 12), "", "", H("530f8afbc74536b9a963b4f1c4cb738b") },
  { "gcm case 14", string.rep("\0", 32), string.rep("\0", 12), "", string.rep("\0", 16),
    H("cea7403d4d606b6e074ec5d3baf39d18d0d1c8a799996bf0265b98b5d48ab919") },
  { "gcm case 15", gcm_key15, gcm_iv15, "", gcm_p15, gcm_c15 .. H("b094dac5d93471bdec1a502270e3cc6c") },
  { "gcm case 16", gcm_key15, gcm_iv15, H("feedfacedeadbeeffeedfacedeadbeefabaddad2"), gcm_p15:sub(1, 60),
    gcm_c15:sub(1, 60) .. H("76fc6ece0f4e1768cddf8853bb2d551b") },
}
for _, v in ipairs(gcm_cases) do
  local name, k, nonce, aad, pt, sealed = v[1], v[2], v[3], v[4], v[5], v[6]
  check(name .. " seal", A.seal(k, nonce, aad, pt), sealed)
  check(name .. " open", A.open(k, nonce, aad, sealed), pt)
  for _, at in ipairs({ 1, #sealed }) do
    local bad = sealed:sub(1, at - 1) .. string.char((sealed:byte(at) + 1) % 256) .. sealed:sub(at + 1)
    if A.open(k, nonce, aad, bad) ~= nil then
      print("FAIL " .. name .. " tampered at " .. at .. ": opened"); failed = true
    else
      print("ok " .. name .. " tampered at " .. at .. " refused")
    end
  end
end
check("packet nonce", C.packet_nonce(H("000102030405060708090a0b"), 0x01020304), H("0001020304050607090b090f"))

-- docs/vectors: every sealed datagram of datagrams.json opens, with lo_iv of peer-keys.json and
-- the key of the AEAD its flags byte names (0x00: lo_key, ChaCha20-Poly1305; 0x01: lo_gcm_key,
-- AES-256-GCM), to exactly its frames (the same check as PeerVectorsTest in Java).
if arg[2] and arg[2] ~= "-" then
  local function slurp(path)
    local f = assert(io.open(path, "rb")); local t = f:read("*a"); f:close(); return t
  end
  local keys = slurp(arg[2] .. "/peer-keys.json")
  local dgs = slurp(arg[2] .. "/datagrams.json")
  local lo_key = H(keys:match('"lo_key": "(%x+)"'))
  local lo_iv = H(keys:match('"lo_iv": "(%x+)"'))
  local gcm_hex = keys:match('"lo_gcm_key": "(%x+)"')
  local aeads = { [0] = { C, lo_key }, [1] = gcm_hex and { A, H(gcm_hex) } }
  local count, gcm_count = 0, 0
  for name, hex in dgs:gmatch('"([%w_]+)%.datagram": "(%x+)"') do
    local pn = tonumber(dgs:match('"' .. name .. '%.packet_number": (%d+)'))
    local frames = H(dgs:match('"' .. name .. '%.frames": "(%x*)"'))
    local dg = H(hex)
    local aead = aeads[dg:byte(4)]
    if not aead then
      print("FAIL datagrams.json " .. name .. ": flags " .. dg:byte(4) .. " and no key for it"); failed = true
    else
      check("datagrams.json " .. name, aead[1].open(aead[2], C.packet_nonce(lo_iv, pn), dg:sub(1, 20), dg:sub(21)), frames)
    end
    count = count + 1
    if dg:byte(4) == 1 then gcm_count = gcm_count + 1 end
  end
  if count < 7 then print("FAIL datagrams.json: only " .. count .. " datagrams found"); failed = true end
  if gcm_hex and gcm_count == 0 then print("FAIL datagrams.json: lo_gcm_key but no AES-sealed datagram"); failed = true end
end

if arg[3] then
  local n = 0
  for line in io.lines(arg[3]) do
    local kind, k, nonce, aad, pt, sealed = line:match("^(%S+) (%S+) (%S+) (%S+) (%S+) (%S+)$")
    local impl = (kind == "aead" and C) or (kind == "gcm" and A)
    if impl then
      local function h(x) return x == "-" and "" or H(x) end
      n = n + 1
      check("jdk " .. kind .. " " .. n .. " seal", impl.seal(h(k), h(nonce), h(aad), h(pt)), h(sealed))
      check("jdk " .. kind .. " " .. n .. " open", impl.open(h(k), h(nonce), h(aad), h(sealed)), h(pt))
    end
  end
end
if failed then os.exit(1) end
print("all ok")
