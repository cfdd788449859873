// Smaller module functions as NodeMCU's C source has them: sjson.encoder (sjson.c), file.fscfg and
// file.on (file.c), the /FLASH/ prefix (vfs), and gpio.serout by its effect (gpio.c).
import assert from "node:assert/strict";
import { test } from "node:test";
import { replBoard } from "../helpers/test-board.ts";

test("sjson.encoder reads the JSON in pieces of at most n bytes, then nil", async () => {
  const { run } = await replBoard();
  await run(
    "e = sjson.encoder({a = {1, 2, 3}}) print(e:read(4), e:read(4), e:read(100), e:read(4))",
    /\{"a"\t:\[1,\t2,3\]\}\tnil\r\n/,
  );
  await run("e = sjson.encoder({x = function() return 'lazy' end}) print(e:read(0), e:read())", /\{\t"x":"lazy"\}\r\n/);
  await run("print(pcall(sjson.encoder, 'x'))", /false\t.*table expected/);
});

test("file.fscfg gives SPIFFS's flash address and size; file.on takes 'rtc' with a function or nil", async () => {
  const { run } = await replBoard();
  await run(
    "a, s = file.fscfg() r, u, t = file.fsinfo() print(string.format('0x%x', a), s == t)",
    /0x100000\ttrue\r\n/,
  );
  await run(
    "file.on('rtc', function() return 0 end) file.on('rtc') print(pcall(file.on, 'rtc', 5))",
    /false\t.*Callback should be function or nil\r\n/,
  );
  await run("print(pcall(file.on, 'x'))", /false\t.*invalid option 'x'/);
});

test("/FLASH/ names the same files as no prefix; other drives have none", async () => {
  const { run } = await replBoard({ files: { "a.txt": "alpha" } });
  await run(
    "print(file.open('/FLASH/a.txt'):read(), file.exists('/FLASH/a.txt'), file.open('/SD0/a.txt'))",
    /alpha\ttrue\tnil\r\n/,
  );
});

test("gpio.serout leaves the pin at the last level of the sequence; the async form calls back when it ends, unless replaced", async () => {
  const { board: b, run } = await replBoard();
  await run("gpio.mode(1, gpio.OUTPUT) gpio.serout(1, gpio.HIGH, {30, 30, 60}) print(gpio.read(1))", /\r\n1\r\n/);
  await run("gpio.serout(1, gpio.HIGH, {30, 30}, 2) print(gpio.read(1))", /\r\n0\r\n/);
  await run(
    "gpio.serout(2, gpio.LOW, {1000, 1000}, 3, function() print('serout done', gpio.read(2)) end)",
    /serout done\t1\r\n/,
  );
  const text = await run(
    "gpio.serout(3, 1, {1000}, 1, function() print('replaced') end) gpio.serout(3, 0, {1000}, 1, function() print('second') end)",
    /second\r\n/,
  );
  assert.doesNotMatch(text, /replaced\r\n/);
  assert.equal(b.gpio.get(3), 0);
  await run("print(pcall(gpio.serout, 1, 2, {1}))", /false\t.*Wrong level type/);
  await run("print(pcall(gpio.serout, 1, 1, 'x'))", /false\t.*Invalid delay_times/);
});

test("sjson.decoder takes the text in pieces: the write that completes it returns the value; errors stick", async () => {
  const { run } = await replBoard();
  await run("d = sjson.decoder() print(d:write('{\"a\":'), pcall(d.result, d))", /nil\tfalse\t.*decode not complete/);
  await run("t = d:write('[1,2]}') print(t.a[2], d:result().a[1])", /2\t1\r\n/);
  await run("e = sjson.decoder() print(pcall(e.write, e, '{x'))", /false\t.*JSON parse error/);
  await run("print(pcall(e.write, e, '}'))", /false\t.*JSON parse error: previous call/);
});
