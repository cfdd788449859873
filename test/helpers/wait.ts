// The one way tests wait: poll something they can observe (output, a message, a file, a port)
// until it holds, bounded by a deadline. Never a fixed sleep standing in for readiness.
import assert from "node:assert/strict";

const EVERY_MS = 20;

type Probe<T> = () => T | undefined | false | Promise<T | undefined | false>;

/** Polls `probe` until it returns a value (not undefined or false); resolves undefined after `ms`. */
async function poll<T>(probe: Probe<T>, ms: number): Promise<T | undefined> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) return undefined;
    await new Promise((r) => setTimeout(r, EVERY_MS));
  }
}

/** Polls until `check` holds; returns whether it held within `ms`. The caller asserts. */
export async function waitFor(check: () => boolean | Promise<boolean>, ms = 10000): Promise<boolean> {
  return (await poll(check, ms)) !== undefined;
}

/** Polls `probe` until it returns a value and resolves with it; throws naming `what` after `ms`. */
export async function waitUntil<T>(what: string, probe: Probe<T>, ms = 10000): Promise<T> {
  const v = await poll(probe, ms);
  if (v === undefined) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
  return v;
}

/** Waits until `text()` matches `re`, or fails showing the text it had. */
export async function waitForMatch(text: () => string, re: RegExp, ms = 5000): Promise<void> {
  await waitFor(() => re.test(text()), ms);
  assert.match(text(), re);
}
