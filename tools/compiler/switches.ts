// Build switches: features a device turns on in device.json (updates over MQTT, their shared
// secret) that a board without them should not pay a byte of flash or heap for. The firmware tests
// one with `if (BUILD_X) { … }` (declared in firmware/src/switches.d.ts); the build keeps the body
// or the else part and drops the test, along with a bare `local x` nothing reads any more,
// before it decides which modules ship: a module required only inside a switched-off block is not
// shipped at all.
import { BuildError } from "./errors.ts";

/** The switches' values, by the name the firmware tests. */
export type Switches = Record<string, boolean>;

/**
 * Folds every `if NAME then … [else …] end` of TSTL's output. TSTL indents each block one level
 * deeper than its `if`, so the block ends at the first `end` (or `else`) with the `if`'s indentation.
 */
export function foldSwitches(name: string, code: string, switches: Switches): string {
  let out = code;
  for (const [flag, on] of Object.entries(switches)) {
    const block = new RegExp(`^([ \\t]*)if ${flag} then\\n([\\s\\S]*?)(?:^\\1else\\n([\\s\\S]*?))?^\\1end\\n`, "gm");
    out = out.replace(block, (_all, _indent, yes: string, no: string | undefined) => (on ? yes : (no ?? "")));
    out = dropUnread(out);
    if (new RegExp(`\\b${flag}\\b`).test(out)) {
      throw new BuildError(`${name}: ${flag} is a build switch: test it only as the whole condition of an if statement, without elseif`);
    }
  }
  return out;
}

/**
 * Drops names of `local a, b` declarations (no value; TSTL also hoists a chunk's forward-referenced
 * locals into one) that nothing reads or writes any more: a local declared for a switched-off block
 * (`let x: T;`, assigned inside it) goes with the block.
 */
function dropUnread(code: string): string {
  return code.replace(/^([ \t]*)local ([A-Za-z_][\w, ]*)\n/gm, (decl, indent: string, list: string) => {
    const rest = code.replace(decl, "");
    const kept = list.split(/,\s*/).filter((n) => new RegExp(`\\b${n}\\b`).test(rest));
    return kept.length > 0 ? `${indent}local ${kept.join(", ")}\n` : "";
  });
}
