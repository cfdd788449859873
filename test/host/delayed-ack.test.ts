// mcu ping's hint for round trips on the delayed-ACK plateau: when it speaks and when it keeps quiet.
import assert from "node:assert/strict";
import { test } from "node:test";
import { delayedAckHint } from "../../host/cli/delayed-ack.ts";

const cases: [string, number[], boolean][] = [
  ["stock Mosquitto, as measured here (42 to 49 ms)", [42.0, 44.2, 43.9, 48.9, 44.6, 45.1], true],
  ["a tuned broker (a few ms)", [2.4, 3.5, 3.6, 4.1, 2.9, 3.2], false],
  ["too few round trips to tell", [42, 44, 45, 43], false],
  ["mostly fast with a few slow ones", [3, 4, 41, 3, 45, 4, 3], false],
  ["a slow network, far above the plateau", [120, 130, 125, 118, 140], false],
  ["the plateau with one outlier", [41, 43, 44, 250, 42, 46], true],
];

for (const [name, rtts, hinted] of cases) {
  test(`delayed-ACK hint: ${name}`, () => {
    const hint = delayedAckHint(rtts);
    if (hinted) assert.match(hint ?? "", /set_tcp_nodelay true/);
    else assert.equal(hint, undefined);
  });
}
