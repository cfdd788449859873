// The toolkit's test kit: the user's firmware on an emulated board, for tests written with node's
// test runner (docs/testing.md). `mcu test` runs them; `import { boot } from "<toolkit>/testing"`.
export { type BootOptions, boot, type TestBoard } from "./boot.ts";
export type { Status } from "./device.ts";
export type { Hardware } from "./hardware.ts";
export type { Match } from "./wait.ts";
