// How the kit waits: on the events that can change the answer, never on a fixed sleep, bounded by
// a deadline whose error says what was awaited and what was seen instead.
import type { EventEmitter } from "node:events";

/** A message or console line a test waits for: the exact text, a pattern in it, or a test of it. */
export type Match = string | RegExp | ((text: string) => boolean);

export function matches(match: Match, text: string): boolean {
  if (typeof match === "string") return text === match;
  if (match instanceof RegExp) return match.test(text);
  return match(text);
}

/** How a Match reads in an error message. */
export function described(match: Match): string {
  return typeof match === "function"
    ? "a match of the test's function"
    : typeof match === "string"
      ? JSON.stringify(match)
      : String(match);
}

/**
 * Resolves with `probe`'s first value that is not undefined, tried now and on each `event` of
 * `source`; rejects after `ms` with an Error naming `what` and, from `seen`, what there was.
 */
export function until<T>(
  source: EventEmitter,
  event: string,
  probe: () => T | undefined,
  ms: number,
  what: string,
  seen: () => string,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const check = () => {
      let v: T | undefined;
      try {
        v = probe();
      } catch (err) {
        done();
        reject(err);
        return;
      }
      if (v === undefined) return;
      done();
      resolve(v);
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`timed out after ${ms} ms waiting for ${what}; ${seen()}`));
    }, ms);
    const done = () => {
      clearTimeout(timer);
      source.off(event, check);
    };
    source.on(event, check);
    check();
  });
}

/** The first item from `from` on that matches, with its index. */
export function firstMatch(
  items: readonly string[],
  from: number,
  match: Match,
): { index: number; text: string } | undefined {
  for (let i = from; i < items.length; i++) if (matches(match, items[i]!)) return { index: i, text: items[i]! };
  return undefined;
}
