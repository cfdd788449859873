// The CLI kit: what every `mcu` verb needs and nothing else. Argv parsing, option validators,
// the error a verb throws, exit codes, interrupt handling, the verb type and a table printer.
//
// Why host/kit: the project's imports run one way (tools -> host -> firmware's contract), and
// both host verbs (send, serve, ping, devices) and tool verbs (build, flash, emulate, demo) need
// these. At the bottom of host, tools reach it as they reach the rest of host, and host needs
// nothing from tools. The kit itself imports only node: modules (test/tools/imports.test.ts
// checks it), so it stays at the bottom.
export { type Options, parseOrUsage } from "./args.ts";
export { CliError, errorReport, exitCodeOf, usageError } from "./errors.ts";
export { connackExit, EXIT } from "./exit.ts";
export { interrupted } from "./interrupt.ts";
export { type Bounds, number, wholeNumber } from "./numbers.ts";
export { type Column, type Layout, table } from "./table.ts";
export { printable, printableLines, terminalJson, wantsColour } from "./text.ts";
export type { Verb, VerbModule } from "./verb.ts";
