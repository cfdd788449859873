// node functions a board has without hardware behind them, as app/modules/node.c defines them.
import assert from "node:assert/strict";
import { test } from "node:test";
import { replBoard } from "../helpers/test-board.ts";
import { waitForMatch } from "../helpers/wait.ts";

test("node.setcpufreq takes 160 or falls back to 80, and getcpufreq and tmr.ccount follow it", async () => {
  const { run } = await replBoard();
  await run("print(node.getcpufreq(), node.CPU80MHZ, node.CPU160MHZ)", /80\t80\t160\r\n/);
  await run(
    "print(node.setcpufreq(node.CPU160MHZ), node.getcpufreq(), node.setcpufreq(123), node.getcpufreq())",
    /160\t160\t80\t80\r\n/,
  );
});

test("node.random: one argument is 1..n, two are m..n, an empty interval or three arguments are errors", async () => {
  const { run } = await replBoard();
  await run(
    "ok = true for i = 1, 200 do local r = node.random(3) ok = ok and r >= 1 and r <= 3 and r % 1 == 0 end print(ok)",
    /true\r\n/,
  );
  await run("print(node.random(5, 5), pcall(node.random, 3, 2))", /5\tfalse\t.*interval is empty/);
  await run("print(pcall(node.random, 1, 2, 3))", /false\t.*wrong number of arguments/);
});

test("node.task.post runs waiting tasks highest priority first, and checks the priority", async () => {
  const { run } = await replBoard();
  await run(
    "for p = 0, 2 do node.task.post(p, function(q) print('task', q) end) end",
    /task\t2\r\ntask\t1\r\ntask\t0\r\n/,
  );
  await run("node.task.post(function(q) print('default', q) end)", /default\t1\r\n/);
  await run("print(pcall(node.task.post, 3, print))", /false\t.*invalid {2}priority/);
});

test("node.LFS on a board without LFS: list and get are nil, reload says there is no partition", async () => {
  const { run } = await replBoard();
  await run(
    "print(node.LFS.list(), node.LFS.get('x'), node.LFS.anything, node.LFS.reload('lfs.img'))",
    /nil\tnil\tnil\tNo LFS partition allocated\r\n/,
  );
  await run("print(node.getpartitiontable().lfs_size)", /^.*\r\n0\r\n/);
  await run(
    "print(node.flashindex('x'), node.flashreload('lfs.img'))",
    /Warning, deprecated API! node\.flashreload\. It will be removed soon\. Use node\.LFS interface instead\. See documentation for details\.\r\nnil\tNo LFS partition allocated\r\n/,
  );
});

test("node.output sends printed text to a function through a pipe; with 0 the UART gets none of it", async () => {
  const { text: out, run } = await replBoard();
  await run("got = {} node.output(function(p) got[#got + 1] = p:read() end, 0) print('hidden')", /> $/);
  const text = await run("node.output(nil) print(#got, got[1])", /1\thidden\r\n\r\n/);
  assert.doesNotMatch(text, /^hidden/m);
  assert.equal(out().match(/\r\nhidden\r\n/g), null);
});

test("node.restore clears the saved Wi-Fi configuration; the one in use lasts until the next boot", async () => {
  const { board: b, text: out, run } = await replBoard();
  await run("wifi.sta.config{ssid = 'emulated', pwd = 'nodemcu-emulator', auto = false}", /> $/);
  await run(
    "node.restore() print(wifi.sta.getdefaultconfig(true).ssid == '', wifi.sta.getconfig(true).ssid)",
    /true\temulated\r\n/,
  );
  const mark = out().length;
  b.input("node.restart()\r\n");
  await waitForMatch(() => out().slice(mark), /NodeMCU 3\.0[\s\S]*> $/);
  await run("print(wifi.sta.getconfig(true).ssid == '')", /\r\ntrue\r\n/);
});
