// What a verb's module gives `mcu`: its usage text and a run that returns the exit code.

export interface VerbModule {
  usage: string;
  run(argv: string[]): Promise<number>;
}

/** A verb as `mcu` lists it: one line of help, and its module loaded only when it runs. */
export interface Verb {
  summary: string;
  load(): Promise<VerbModule>;
}
