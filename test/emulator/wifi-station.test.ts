// The station side of the wifi module as app/modules/wifi.c and the SDK behave: the saved
// configuration outlives a restart and is joined at boot, and the query and setting functions
// answer as the C code does.
import assert from "node:assert/strict";
import { test } from "node:test";
import { replBoard } from "../helpers/test-board.ts";
import { waitForMatch } from "../helpers/wait.ts";

const JOIN = "wifi.sta.config{ssid = 'emulated', pwd = 'nodemcu-emulator'";
const GOT_IP = "wifi.eventmon.register(wifi.eventmon.STA_GOT_IP, function(t) print('got ip', t.IP) end)";

/**
 * Restarts the board and waits for `then` in what the new boot prints. The REPL prompts once more
 * before the restart (`node.restart()\r\n> `), so `> $` alone could match that old prompt, and a
 * line typed then would be lost in the reboot.
 */
async function restart(b: { input(s: string): void }, out: () => string, then: RegExp): Promise<string> {
  const mark = out().length;
  b.input("node.restart()\r\n");
  await waitForMatch(() => out().slice(mark), /NodeMCU 3\.0/);
  const boot = out().indexOf("NodeMCU 3.0", mark);
  await waitForMatch(() => out().slice(boot), then);
  return out().slice(mark);
}

test("a config saved with save=true (the default) survives a restart and the board joins it at boot", async () => {
  const { board: b, text: out, run } = await replBoard({ files: { "init.lua": GOT_IP } });
  await run(JOIN + "}", /got ip\t192\.168\.4\.2\r\n/);
  await restart(b, out, /NodeMCU 3\.0[\s\S]*got ip\t192\.168\.4\.2\r\n/);
  await run("print(wifi.sta.getconfig())", /emulated\tnodemcu-emulator\t0\t00:00:00:00:00:00\r\n/);
});

test("save=false configures for now only: after a restart the saved one is back", async () => {
  const { board: b, text: out, run } = await replBoard();
  await run(JOIN + ", auto = false}", /> $/);
  await run(
    "wifi.sta.config{ssid = 'other', pwd = 'x', save = false, auto = false} print(wifi.sta.getconfig(true).ssid, wifi.sta.getdefaultconfig(true).ssid)",
    /other\temulated\r\n/,
  );
  await restart(b, out, /> $/);
  await run("print(wifi.sta.getconfig(true).ssid)", /\r\nemulated\r\n/);
});

test("autoconnect(0) is kept: no join at boot, and wifi.sta.connect() joins the saved config", async () => {
  const { board: b, text: out, run } = await replBoard({ files: { "init.lua": GOT_IP } });
  await run(JOIN + "}", /got ip/);
  await run("wifi.sta.autoconnect(0) print(pcall(wifi.sta.autoconnect, 2))", /false\t.*0 or 1/);
  const text = await restart(b, out, /> $/);
  assert.doesNotMatch(text, /got ip/);
  await run("print(wifi.sta.status()) wifi.sta.connect()", /\r\n0\r\n[\s\S]*got ip\t192\.168\.4\.2\r\n/);
});

test("getconfig and getdefaultconfig: four values, or a table whose pwd is absent when empty", async () => {
  const { run } = await replBoard();
  await run("print(wifi.sta.getconfig())", /\r\n\t\t0\t00:00:00:00:00:00\r\n/);
  await run("c = wifi.sta.getconfig(true) print(c.ssid == '', c.pwd, c.bssid_set)", /true\tnil\tfalse\r\n/);
  await run("wifi.sta.config{ssid = 'x', pwd = 'yyyyyyyy', bssid = 'AA:BB:CC:DD:EE:FF', auto = false}", /> $/);
  await run(
    "c = wifi.sta.getdefaultconfig(true) print(c.ssid, c.pwd, c.bssid_set, c.bssid)",
    /x\tyyyyyyyy\ttrue\taa:bb:cc:dd:ee:ff\r\n/,
  );
  await run("print(pcall(wifi.sta.config, {ssid = 'x', bssid = 'AA'}))", /false\t.*bssid: FF:FF:FF:FF:FF:FF/);
});

test("the saved access points: getapinfo, getapindex, setaplimit and changeap", async () => {
  const { run } = await replBoard();
  await run("print(wifi.sta.getapinfo().qty, wifi.sta.getapindex())", /0\t1\r\n/);
  await run("print(wifi.sta.setaplimit(2), pcall(wifi.sta.setaplimit, 6))", /true\tfalse\t.*Valid range: 1-5/);
  await run(
    "wifi.sta.config{ssid = 'a', pwd = '12345678', auto = false} wifi.sta.config{ssid = 'b', auto = false}",
    /> $/,
  );
  await run(
    "i = wifi.sta.getapinfo() print(i.qty, i[1].ssid, i[1].pwd, i[2].ssid, i[2].pwd, wifi.sta.getapindex())",
    /2\ta\t12345678\tb\tnil\t2\r\n/,
  );
  await run(
    "print(wifi.sta.changeap(1), wifi.sta.getapindex(), wifi.sta.changeap(4), wifi.sta.getconfig())",
    /true\t1\tfalse\ta\t12345678\t0\t00:00:00:00:00:00\r\n/,
  );
});

test("hostname NODE-<last three MAC bytes>, and sethostname checks RFC 952/1123", async () => {
  const { run } = await replBoard({ board: { chipId: 0x0a0b0c } });
  await run("print(wifi.sta.gethostname(), wifi.sta.getmac())", /NODE-0A0B0C\t5c:cf:7f:0a:0b:0c\r\n/);
  await run("print(wifi.sta.sethostname('my-board1'), wifi.sta.gethostname())", /true\tmy-board1\r\n/);
  await run("print(pcall(wifi.sta.sethostname, '-bad'))", /false\t.*Invalid hostname/);
});

test("setmac takes a unicast MAC, refuses a multicast one and checks the length", async () => {
  const { run } = await replBoard();
  await run(
    "print(wifi.sta.setmac('DE:AD:BE:EF:7A:C0'), wifi.sta.getmac(), wifi.sta.setmac('01:00:5e:00:00:01'))",
    /true\tde:ad:be:ef:7a:c0\tfalse\r\n/,
  );
  await run("print(pcall(wifi.sta.setmac, 'DE:AD'))", /false\t.*MAC:FF:FF:FF:FF:FF:FF/);
});

test("setip gives the station a static address that getip reports", async () => {
  const { run } = await replBoard();
  await run(
    "print(wifi.sta.setip({ip = '10.0.0.7', netmask = '255.0.0.0', gateway = '10.0.0.1'}), wifi.sta.getip())",
    /true\t10\.0\.0\.7\t255\.0\.0\.0\t10\.0\.0\.1\r\n/,
  );
  await run("print(pcall(wifi.sta.setip, 'x'))", /false\t.*wrong arg type/);
});

test("getap scans: the access point keyed by SSID, or by BSSID with format 1; filtered by the scan config", async () => {
  const { run } = await replBoard();
  await run(
    "wifi.sta.getap(function(t) for k, v in pairs(t) do print('old', k, v) end end)",
    /old\temulated\t3,-52,5c:cf:7f:00:00:01,6\r\n/,
  );
  await run(
    "wifi.sta.getap({ssid = 'emulated'}, 1, function(t) for k, v in pairs(t) do print('new', k, v) end end)",
    /new\t5c:cf:7f:00:00:01\temulated,-52,3,6\r\n/,
  );
  await run("wifi.sta.getap({ssid = 'nosuch'}, 1, function(t) print('found', next(t)) end)", /found\tnil\r\n/);
  await run("wifi.setmode(wifi.SOFTAP) print(pcall(wifi.sta.getap, print))", /false\t.*Can't list ap in SOFTAP mode/);
});

test("getchannel, getcountry and setcountry as wifi.c checks them", async () => {
  const { run } = await replBoard();
  await run(
    "c = wifi.getcountry() print(c.country, c.start_ch, c.end_ch, c.policy, wifi.getchannel())",
    /CN\t1\t13\t0\t1\r\n/,
  );
  await run(
    "print(wifi.setcountry{country = 'us', start_ch = 1, end_ch = 11, policy = wifi.COUNTRY_MANUAL})",
    /true\r\n/,
  );
  await run("c = wifi.getcountry() print(c.country, c.end_ch, c.policy)", /US\t11\t1\r\n/);
  await run(
    "print(pcall(wifi.setcountry, {start_ch = 5, end_ch = 2}))",
    /false\t.*end_ch: can't be less than start_ch/,
  );
  await run("print(pcall(wifi.setcountry, 'US'))", /false\t.*Table not found!/);
  await run(
    JOIN +
      "} t = tmr.create() t:alarm(20, 1, function() if wifi.sta.getip() then print('channel', wifi.getchannel()) t:unregister() end end)",
    /channel\t6\r\n/,
  );
});

test("disconnect() on a joined station fires STA_DISCONNECTED (reason 8); setmode fires WIFI_MODE_CHANGED", async () => {
  const { run } = await replBoard();
  await run(
    "wifi.eventmon.register(wifi.eventmon.STA_DISCONNECTED, function(t) print('gone', t.SSID, t.reason) end) " +
      "wifi.eventmon.register(wifi.eventmon.WIFI_MODE_CHANGED, function(t) print('mode', t.old_mode, t.new_mode) end)",
    /> $/,
  );
  await run(
    JOIN +
      ", save = false} t = tmr.create() t:alarm(20, 1, function() if wifi.sta.getip() then wifi.sta.disconnect() t:unregister() end end)",
    /gone\temulated\t8\r\n/,
  );
  await run("print(wifi.sta.getip(), wifi.sta.status())", /nil\t0\r\n/);
  await run("print(wifi.setmode(wifi.STATIONAP))", /3\r\n[\s\S]*mode\t1\t3\r\n/);
});

test("radio settings as the SDK answers them: phymode, tx power, NULLMODE sleep, sleeptype; clearconfig forgets the saved AP", async () => {
  const { run } = await replBoard();
  await run(
    "print(wifi.getphymode(), wifi.setphymode(wifi.PHYMODE_G), wifi.getphymode(), pcall(wifi.setphymode, 7))",
    /3\t2\t2\tfalse\t.*wrong arg type/,
  );
  await run("print(wifi.setmaxtxpower(40), pcall(wifi.setmaxtxpower, 83))", /40\tfalse\t.*tx power out of range/);
  await run(
    "print(wifi.nullmodesleep(), wifi.nullmodesleep(false), wifi.sta.sleeptype(), wifi.sta.sleeptype(wifi.LIGHT_SLEEP))",
    /true\tfalse\t2\t1\r\n/,
  );
  await run(
    JOIN + ", auto = false} print(wifi.sta.clearconfig(), wifi.sta.getdefaultconfig(true).ssid == '')",
    /true\ttrue\r\n/,
  );
});
