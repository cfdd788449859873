// The crypto module as app/modules/crypto.c has it: raw digests and HMACs by mechanism name (any
// case), "unknown hash mech" otherwise, only in a build that names it; values checked against
// RFC 4231's and FIPS 180's published test vectors.
import assert from "node:assert/strict";
import { test } from "node:test";
import { RECOMMENDED_BUILD } from "../../tools/nodemcu/builds.ts";
import { replBoard } from "../helpers/test-board.ts";

const hex = "local function hex(s) return (s:gsub('.', function(c) return string.format('%02x', c:byte()) end)) end ";

test("crypto.hmac and crypto.hash give the raw digests; an unknown mechanism is an error", async () => {
  const { run } = await replBoard({ modules: [...RECOMMENDED_BUILD, "crypto"] });
  // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
  await run(
    `${hex} print(hex(crypto.hmac('sha256', 'what do ya want for nothing?', 'Jefe')))`,
    /5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843\r\n/,
  );
  // A key longer than the 64-byte block is hashed first (RFC 4231 test case 6).
  await run(
    `${hex} print(hex(crypto.hmac('SHA256', 'Test Using Larger Than Block-Size Key - Hash Key First', string.rep(string.char(0xaa), 131))))`,
    /60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54\r\n/,
  );
  await run(
    `${hex} print(hex(crypto.hash('sha1', 'abc')), #crypto.sha1('abc'))`,
    /a9993e364706816aba3e25717850c26c9cd0d89d\t20\r\n/,
  );
  await run("print(pcall(crypto.hmac, 'sha3', 'x', 'k'))", /false\t.*unknown hash mech\r\n/);
  await run(
    "print(pcall(crypto.hmac, 'sha256', 'x'))",
    /false\t.*bad argument #3 to 'hmac' \(string expected, got no value\)\r\n/,
  );
});

test("crypto.fhash gives a file's raw digest; a missing file is an error", async () => {
  const { run } = await replBoard({ modules: [...RECOMMENDED_BUILD, "crypto"] });
  // FIPS 180 "abc", and a file longer than one read.
  await run(
    `${hex} file.putcontents('abc.txt', 'abc') print(hex(crypto.fhash('sha256', 'abc.txt')))`,
    /ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\r\n/,
  );
  await run(
    `${hex} file.putcontents('big.txt', string.rep('a', 10000)) print(hex(crypto.fhash('SHA256', 'big.txt')) == hex(crypto.hash('sha256', string.rep('a', 10000))))`,
    /\r\ntrue\r\n/,
  );
  await run("print(pcall(crypto.fhash, 'sha256', 'none.txt'))", /false\t.*file does not exist\r\n/);
  await run("print(pcall(crypto.fhash, 'sha3', 'abc.txt'))", /false\t.*unknown hash mech\r\n/);
});

test("crypto is in neither NodeMCU's default build nor the recommended one: nil there", async () => {
  const { run } = await replBoard({ modules: RECOMMENDED_BUILD });
  await run("print(crypto)", /\r\nnil\r\n/);
  assert.ok(!RECOMMENDED_BUILD.includes("crypto"));
});
