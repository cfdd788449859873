// dht: readings of the sensor the host puts on a pin, decoded as app/dht/dht.c decodes its bytes,
// and the module's error codes.
import { test } from "node:test";
import { IO_MODULES, replBoard } from "../helpers/test-board.ts";

const board = await replBoard({ modules: IO_MODULES });

test("a DHT22 read with dht.read gives the host's temperature and humidity with their decimals", async () => {
  board.io.setDht(4, { model: "dht22", temperature: -12.3, humidity: 45.5 });
  await board.run("print('r', dht.read(4))", /r\t0\t-12\.3\t45\.5\t-300\t500\r\n/);
});

test("a DHT11 read with dht.read11 gives whole and tenths (tempdec cut from the double, as dht.c:22 cuts it)", async () => {
  board.io.setDht(5, { model: "dht11", temperature: 23.4, humidity: 40 });
  await board.run("print('r', dht.read11(5))", /r\t0\t23\.4\t40\t399\t0\r\n/);
});

test("no sensor is ERROR_TIMEOUT, a bad checksum ERROR_CHECKSUM; the values are then -999", async () => {
  await board.run("print('t', dht.read(6) == dht.ERROR_TIMEOUT, dht.read(6))", /t\ttrue\t-2\t-999\t-999\t0\t0\r\n/);
  board.io.setDht(6, { model: "dht22", temperature: 20, humidity: 50, fault: "checksum" });
  await board.run("print('c', dht.read(6) == dht.ERROR_CHECKSUM, dht.ERROR_CHECKSUM)", /c\ttrue\t-1\r\n/);
  board.io.setDht(6, { model: "dht22", temperature: 20, humidity: 50, fault: "timeout" });
  await board.run("print('o', (dht.read(6)), pcall(dht.read, 0))", /o\t-2\tfalse\t.*dht 0 does not exist/);
});
