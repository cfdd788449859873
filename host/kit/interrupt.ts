// Ctrl-C and SIGTERM as a promise: verbs that run until stopped wait on it, then clean up.

/** Resolves on Ctrl-C or SIGTERM. */
export function interrupted(): Promise<void> {
  return new Promise((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
}
