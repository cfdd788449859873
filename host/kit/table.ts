// Columns of text lined up, for the verbs that list things (devices, build sizes, ls).

export interface Column {
  /** Shown on a first line when any column has one. */
  header?: string;
  /** Numbers read best aligned right; default left. */
  align?: "left" | "right";
  /** The column is at least this wide, even when every cell is narrower. */
  minWidth?: number;
}

export interface Layout {
  /** Before every line; default none. */
  indent?: string;
  /** Between columns; default two spaces. */
  gap?: string;
}

/**
 * The rows as lines (no newlines), each column as wide as its widest cell or header. A row may
 * have fewer cells than there are columns; its line ends after its last cell. Trailing spaces are
 * trimmed. The caller makes cells safe to print.
 */
export function table(rows: string[][], columns: Column[], layout: Layout = {}): string[] {
  const { indent = "", gap = "  " } = layout;
  const all = columns.some((c) => c.header !== undefined) ? [columns.map((c) => c.header ?? ""), ...rows] : rows;
  const widths = columns.map((c, i) => Math.max(c.minWidth ?? 0, ...all.map((r) => r[i]?.length ?? 0)));
  const cell = (text: string, i: number) =>
    columns[i]!.align === "right" ? text.padStart(widths[i]!) : text.padEnd(widths[i]!);
  return all.map((r) => (indent + r.map(cell).join(gap)).trimEnd());
}
