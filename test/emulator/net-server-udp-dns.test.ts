// net beyond TCP clients, as app/modules/net.c has it: TCP servers, UDP sockets, DNS lookups
// (net.dns and socket:dns) and socket:ttl. A board's listening port is a host port found with
// Board.netPort.
import assert from "node:assert/strict";
import { createSocket } from "node:dgram";
import { connect } from "node:net";
import { test } from "node:test";
import type { Board } from "../../tools/emulator/board.ts";
import { replBoard } from "../helpers/test-board.ts";
import { waitUntil } from "../helpers/wait.ts";

const ONLINE =
  "wifi.sta.config{ssid = 'emulated', pwd = 'nodemcu-emulator', save = false} " +
  "t = tmr.create() t:alarm(20, 1, function() if wifi.sta.getip() then print('online') t:unregister() end end)";

const hostPort = (b: Board, kind: "tcp" | "udp", port: number) =>
  waitUntil(`board ${kind} port ${port}`, () => b.netPort(kind, port));

test("a TCP server hands each connection to its listen callback; the peer and the board talk both ways", async () => {
  const { board: b, run } = await replBoard();
  await run(ONLINE, /online\r\n/);
  await run(
    "sv = net.createServer(30) sv:listen(8080, function(c) c:on('receive', function(s, d) print('got', d) s:send('bye ' .. d, function(s2) s2:close() end) end) c:send('hello') end)",
    /> $/,
  );
  await run("print(sv:getaddr())", /8080\t0\.0\.0\.0\r\n/);
  const port = await hostPort(b, "tcp", 8080);
  const heard = await new Promise<string>((resolve) => {
    let got = "";
    const s = connect(port, "127.0.0.1");
    s.on("data", (d) => {
      got += d;
      if (got === "hello") s.write("ping");
    });
    s.on("close", () => resolve(got));
  });
  assert.equal(heard, "hellobye ping");
  await run("print(pcall(sv.listen, sv, 8081, print))", /false\t.*already listening/);
  await run("sv:close() print(pcall(sv.close, sv))", /false\t.*not connected/);
});

test("listen needs a callback, and a port this board holds is in use", async () => {
  const { run } = await replBoard();
  await run("print(pcall(net.createServer().listen, net.createServer(), 80))", /false\t.*need callback/);
  await run(
    "a = net.createServer() a:listen(80, print) print(pcall(net.createServer().listen, net.createServer(), 80, print))",
    /false\t.*address in use/,
  );
});

test("a UDP socket receives with the sender's port and address and sends back; sent runs before send returns", async () => {
  const { board: b, run } = await replBoard();
  await run(ONLINE, /online\r\n/);
  await run(
    "u = net.createUDPSocket() u:listen(5000) u:on('receive', function(s, d, port, ip) print('udp', d, ip) s:send(port, ip, 'echo ' .. d, function() print('sent') end) print('after') end)",
    /> $/,
  );
  await run("print(u:getaddr())", /5000\t0\.0\.0\.0\r\n/);
  const port = await hostPort(b, "udp", 5000);
  const peer = createSocket("udp4");
  const reply = new Promise<string>((resolve) => peer.on("message", (m) => resolve(String(m))));
  peer.send("hi", port, "127.0.0.1");
  assert.equal(await reply, "echo hi");
  peer.close();
  await run("print(pcall(u.send, u, 0, '1.2.3.4', 'x'))", /false\t.*need port/);
  await run("print(net.createUDPSocket():getaddr())", /nil\tnil\r\n/);
});

test("net.dns: an address answers at once, a name after the lookup; the DNS servers are lwIP's two slots", async () => {
  const { run } = await replBoard();
  await run(ONLINE, /online\r\n/);
  await run(
    "net.dns.resolve('10.1.2.3', function(s, ip) print('now', s, ip) end) print('returned')",
    /now\tnil\t10\.1\.2\.3\r\nreturned\r\n/,
  );
  await run("net.dns.resolve('localhost', function(s, ip) print('later', s, ip) end)", /later\tnil\t127\.0\.0\.1\r\n/);
  await run("print(net.dns.getdnsserver(0), net.dns.getdnsserver(1))", /208\.67\.222\.222\tnil\r\n/);
  await run(
    "net.dns.setdnsserver('8.8.8.8', 1) print(net.dns.getdnsserver(1), pcall(net.dns.getdnsserver, 2))",
    /8\.8\.8\.8\tfalse\t.*server index out of range \[0-1\]/,
  );
  await run("print(pcall(net.dns.setdnsserver, 'nope'))", /false\t.*invalid dns server ip/);
});

test("socket:dns calls back with the socket and the address; without a callback it is an error", async () => {
  const { run } = await replBoard();
  await run(ONLINE, /online\r\n/);
  await run(
    "sk = net.createConnection() sk:dns('localhost', function(s, ip) print('dns', s == sk, ip) end)",
    /dns\ttrue\t127\.0\.0\.1\r\n/,
  );
  await run(
    "print(pcall(net.createConnection().dns, net.createConnection(), 'localhost'))",
    /false\t.*no callback specified/,
  );
});

test("socket:ttl works on an open socket only: 255 by default, then what was set", async () => {
  const { run } = await replBoard();
  await run("u = net.createUDPSocket() print(pcall(u.ttl, u))", /false\t.*socket is not open\/bound yet/);
  await run("u:listen(0) print(u:ttl(), u:ttl(1), u:ttl())", /255\t1\t1\r\n/);
});

test("net.ifinfo describes the station interface once it has an address; multicastJoin checks its addresses", async () => {
  const { run } = await replBoard();
  await run("print(net.ifinfo(0))", /\r\nnil\r\n/);
  await run(ONLINE, /online\r\n/);
  await run(
    "i = net.ifinfo() print(i.ip, i.netmask, i.gateway, #i.hwaddr, i.dhcp.server_ip)",
    /192\.168\.4\.2\t255\.255\.255\.0\t192\.168\.4\.1\t6\t192\.168\.4\.1\r\n/,
  );
  await run(
    "net.multicastJoin('any', '239.1.2.3') print(pcall(net.multicastJoin, '1.2', '239.1.2.3'))",
    /false\t.*invalid if ip/,
  );
});
