// ./flash.sh's check before the first byte: the board's NodeMCU build (its modules, SSL, number
// type) and its free heap and flash, read in one REPL line, against what the firmware needs
// (tools/compiler/needs.ts, recorded in manifest.json). A board that cannot run the firmware is
// refused with what to build instead; what only changes behaviour is a warning.
import type { BoardNeeds } from "../compiler/needs.ts";
import { inBuildOrder, UPLOADER_MODULES } from "../nodemcu/builds.ts";
import { SerialError } from "./errors.ts";
import type { BoardSession } from "./session.ts";

/** A board's NodeMCU build as node.info("build_config") (app/modules/node.c:288-297) reports it, and what it has free. */
export interface BoardBuild {
  modules: string[];
  ssl: boolean;
  numberType: string;
  /** node.heap(), with whatever app the board runs now. */
  heap: number;
  /** file.fsinfo()'s remaining bytes (undefined without the file module). */
  flashFree: number | undefined;
}

// One line, under the REPL's 255 characters; pcall so a board without node (or a 2.x one without
// build_config) answers "#B?" instead of a Lua error.
const QUERY =
  'local ok,b=pcall(function()return node.info("build_config")end)if not ok then print("#B?")return end ' +
  'print("#B",b.modules,b.ssl,b.number_type,node.heap(),file and file.fsinfo())';

/** Reads the board's build over its REPL. */
export async function readBoardBuild(session: BoardSession): Promise<BoardBuild> {
  const out = await session.run(QUERY);
  const m = /#B\t(\S+)\t(true|false)\t(\w+)\t(\d+)\t(\S+)/.exec(out);
  if (!m) {
    throw new SerialError(
      "WRONG_BUILD",
      `the board did not report its NodeMCU build (node.info("build_config") is NodeMCU 3.x's): flash a NodeMCU 3.x build; it answered: ${out.trim()}`,
    );
  }
  return {
    modules: m[1]!.split(","),
    ssl: m[2] === "true",
    numberType: m[3]!,
    heap: Number(m[4]),
    flashFree: m[5] === "nil" ? undefined : Number(m[5]),
  };
}

/**
 * Compares the board with the firmware's needs: throws (nothing uploaded) when the board cannot
 * run it, and returns warnings for what runs differently there.
 */
export function checkBoard(board: BoardBuild, needs: BoardNeeds): string[] {
  const needed = inBuildOrder([...needs.modules, ...UPLOADER_MODULES]);
  const missing = needed.filter((m) => !board.modules.includes(m));
  if (missing.length > 0) {
    throw new SerialError(
      "WRONG_BUILD",
      `the board's NodeMCU build lacks module${missing.length > 1 ? "s" : ""} ${missing.join(", ")}, which this firmware and the uploader use. ` +
        `Build NodeMCU 3.x with the modules ${inBuildOrder([...board.modules, ...needed]).join(" ")} ` +
        "(tick them at https://nodemcu-build.com, or enable their LUA_USE_MODULES_* lines in app/include/user_modules.h for the docker build), " +
        "flash it with esptool, then run ./flash.sh again",
    );
  }
  if (needs.ssl && !board.ssl) {
    throw new SerialError(
      "WRONG_BUILD",
      `the config has mqtt.tls true, but the board's NodeMCU build has no SSL (its banner says "SSL: false"), so the firmware's connect would fail with "ssl not available" and restart the board; ` +
        `make an SSL build (at https://nodemcu-build.com tick its TLS/SSL option; in the docker build define CLIENT_SSL_ENABLE in app/include/user_config.h), flash it, then run ./flash.sh again; or set mqtt.tls to false`,
    );
  }
  const warnings: string[] = [];
  if (board.numberType === "integer") {
    if (needs.floats.length > 0) {
      throw new SerialError(
        "WRONG_BUILD",
        `the board runs an integer build of NodeMCU, which cannot load numbers this firmware holds (${needs.floats.slice(0, 3).join(", ")}${needs.floats.length > 3 ? ", …" : ""}); ` +
          "flash a float build of NodeMCU (nodemcu-build.com makes both: take the float one; the docker build is float unless LUA_NUMBER_INTEGRAL is defined), then run ./flash.sh again",
      );
    }
    warnings.push(
      "the board runs an integer build of NodeMCU: node.random() returns 0 there, so the reconnect backoff has no random jitter " +
        "(boards restarted together retry in step) and / rounds down; a float build avoids both",
    );
  }
  if (board.heap < needs.heap) {
    warnings.push(
      `the board has ${board.heap} bytes of heap free now and this firmware's modules take ${needs.heap} once loaded; ` +
        'if an app running now holds that heap it frees at the restart, otherwise the board may run out of memory (watch for "not enough memory")',
    );
  }
  return warnings;
}

/** One line on what the board is, for ./flash.sh's output. */
export function describeBoard(b: BoardBuild): string {
  const flash = b.flashFree === undefined ? "" : ` and ${b.flashFree} bytes of flash`;
  return `NodeMCU modules ${b.modules.join(",")}; SSL ${b.ssl}; ${b.numberType} build; ${b.heap} bytes of heap${flash} free`;
}
