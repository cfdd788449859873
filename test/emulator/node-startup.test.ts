// What a board runs at boot: the startup command and options kept in flash (node.startup,
// node.startupcommand; app/modules/node.c:61-153) and the messages pmain prints when init.lua
// cannot be loaded (app/lua53/lua.c:244-264).
import assert from "node:assert/strict";
import { test } from "node:test";
import { replBoard } from "../helpers/test-board.ts";
import { waitForMatch } from "../helpers/wait.ts";

test("a syntax error in init.lua prints the parser's message, not 'cannot open'", async () => {
  const { text: out } = await replBoard({ files: { "init.lua": "print('a'\n" } });
  assert.match(out(), /init\.lua:2: '\)' expected \(to close '\(' at line 1\) near '<eof>'\r\n> $/);
  assert.doesNotMatch(out(), /cannot open/);
});

test("node.startupcommand('@file') runs that file at the next boot instead of init.lua; '=...' is Lua source that fails to parse", async () => {
  const {
    board: b,
    text: out,
    run,
  } = await replBoard({ files: { "init.lua": "print('from init')", "app.lua": "print('from app')" } });
  await run("print(node.startupcommand('@app.lua'))", /true\r\n/);
  let mark = out().length;
  b.input("node.restart()\r\n");
  await waitForMatch(() => out().slice(mark), /from app\r\n> $/);
  assert.doesNotMatch(out().slice(mark), /from init/);
  await run("node.startupcommand(\"=dofile('init.lua')\")", /> $/);
  mark = out().length;
  b.input("node.restart()\r\n");
  await waitForMatch(() => out().slice(mark), /INIT:1: unexpected symbol near '='\r\n> $/);
  await run(
    "t = node.startup() print(t.command, t.banner, t.frequency, t.delay_mount)",
    /=dofile\('init\.lua'\)\ttrue\t80\tfalse\r\n/,
  );
});

test("node.startup{banner=false, frequency=160} takes effect at the next boot; node.startup{} resets everything", async () => {
  const { board: b, text: out, run } = await replBoard({ files: { "init.lua": "print('freq', node.getcpufreq())" } });
  await run(
    "t = node.startup{banner = false, frequency = node.CPU160MHZ} print(t.banner, t.frequency, node.getcpufreq())",
    /false\t160\t80\r\n/,
  );
  let mark = out().length;
  b.input("node.restart()\r\n");
  await waitForMatch(() => out().slice(mark), /freq\t160\r\n> $/);
  assert.doesNotMatch(out().slice(mark), /NodeMCU 3\.0/);
  await run("t = node.startup{} print(t.banner, t.frequency, t.command)", /true\t80\tnil\r\n/);
  mark = out().length;
  b.input("node.restart()\r\n");
  await waitForMatch(() => out().slice(mark), /NodeMCU 3\.0[\s\S]*freq\t80\r\n> $/);
});
