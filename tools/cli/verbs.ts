// The `mcu` verbs, one line each; a verb's code is loaded only when it runs.

export interface VerbModule {
  usage: string;
  run(argv: string[]): Promise<number>;
}

export interface Verb {
  summary: string;
  load(): Promise<VerbModule>;
}

export const verbs: Record<string, Verb> = {
  build: { summary: "compile the firmware to Lua for the board", load: () => import("../build/verb.ts") },
};
