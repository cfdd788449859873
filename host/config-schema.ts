// device.json against device.schema.json, the one description of the file (editors read it too,
// through "$schema"): the first problem found becomes a message naming the field and what it
// should be. Values are the caller's to show or withhold: a password must never be echoed.
import { type OutputUnit, type Schema, Validator } from "@cfworker/json-schema";
import schema from "../device.schema.json" with { type: "json" };
import { idError, prefixError } from "./names.ts";

interface SchemaNode {
  type?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  properties?: Record<string, SchemaNode>;
  required?: string[];
  items?: SchemaNode;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
}

/** What is wrong with one field: either what it should be (with the value found), or a whole message. */
export interface SchemaProblem {
  /** Dotted path, e.g. "mqtt.port"; "(top level)" for the document itself. */
  field: string;
  expected?: string;
  got?: unknown;
  message?: string;
}

const ROOT = schema as SchemaNode;
// Made on first use: its set-up walks the whole schema, time a verb that reads no config file
// (\`mcu send --broker …\`) should not spend at start.
let validator: Validator | undefined;
/** Keywords that say what is wrong, not merely that something below is. */
const LEAVES = new Set([
  "type",
  "required",
  "minimum",
  "maximum",
  "minLength",
  "maxLength",
  "pattern",
  "minItems",
  "maxItems",
  "false",
]);
/** Fields whose rules live in code shared with the firmware's topic checks. */
const NAME_RULES: Record<string, (v: unknown) => string | undefined> = { id: idError, prefix: prefixError };

/** The first problem with parsed device.json, or undefined when it matches the schema. */
export function schemaProblem(raw: unknown): SchemaProblem | undefined {
  validator ??= new Validator(schema as unknown as Schema, "2020-12", false);
  const { valid, errors } = validator.validate(raw);
  if (valid) return undefined;
  const leaf = errors.find((e) => LEAVES.has(e.keyword));
  if (!leaf) return { field: "(top level)", expected: "a JSON object", got: raw };
  return describe(leaf, raw);
}

function describe(leaf: OutputUnit, raw: unknown): SchemaProblem {
  const path = leaf.instanceLocation.replace(/^#\/?/, "").split("/").filter(Boolean).map(decodeURIComponent);
  const value = path.reduce<unknown>((v, k) => (v as Record<string, unknown>)[k], raw);
  if (leaf.keyword === "required") {
    const node = nodeAt(path);
    const missing = node.required!.find((k) => (value as Record<string, unknown>)[k] === undefined)!;
    return { field: [...path, missing].join("."), expected: expected(node.properties![missing]!, false) };
  }
  const field = path.join(".") || "(top level)";
  if (leaf.keyword === "false") {
    const allowed = Object.keys(nodeAt(path.slice(0, -1)).properties ?? {}).filter((k) => k !== "$schema");
    return { field, message: `unknown key "${field}"; allowed here: ${allowed.join(", ")}` };
  }
  const rule = NAME_RULES[field]?.(value);
  if (rule) return { field, message: `"${field}": ${rule}` };
  const node = nodeAt(path);
  if (leaf.keyword === "maxLength" || leaf.keyword === "minLength")
    return { field, expected: lengthRule(field), got: value };
  return { field, expected: expected(node, path.length === 0), got: value };
}

/** The schema's maxLength for a dotted field, e.g. "wifi.ssid": the loader checks it in bytes too. */
export function maxLengthOf(field: string): number {
  const max = nodeAt(field.split(".")).maxLength;
  if (max === undefined) throw new Error(`device.schema.json gives ${field} no maxLength`);
  return max;
}

/** The schema's minLength for a dotted field, if any. */
export function minLengthOf(field: string): number | undefined {
  return nodeAt(field.split(".")).minLength;
}

/** What a string field's length must be, in the loader's unit (bytes of UTF-8): "at most 64 bytes long", "a string of 16 to 64 bytes". */
export function lengthRule(field: string): string {
  const node = nodeAt(field.split("."));
  if ((node.minLength ?? 0) > 1) return `a string of ${node.minLength} to ${node.maxLength} bytes`;
  return `at most ${node.maxLength} bytes long`;
}

function nodeAt(path: string[]): SchemaNode {
  return path.reduce((node, k) => node.properties?.[k] ?? (/^\d+$/.test(k) ? node.items : undefined) ?? {}, ROOT);
}

function expected(node: SchemaNode, top: boolean): string {
  if (node.type === "object") return top ? "a JSON object" : "an object";
  if (node.type === "boolean") return "true or false";
  if (node.type === "integer") return `a whole number from ${node.minimum} to ${node.maximum}`;
  if (node.type === "array")
    return `a list of ${node.minItems} to ${node.maxItems} ${node.items?.pattern ? '"host" or "host:port" strings' : "values"}`;
  if (node.pattern?.includes(":[0-9]")) return '"host" or "host:port"';
  if ((node.minLength ?? 0) > 1) return `a string of ${node.minLength} to ${node.maxLength} bytes`;
  return node.minLength ? "a non-empty string" : "a string";
}
