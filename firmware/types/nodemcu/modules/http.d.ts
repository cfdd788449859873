// http: an asynchronous HTTP(S) client, one request at a time.
/** @noSelf */
declare namespace http {
  /** The response (status code, body, headers with lower-case names) or, on error, a negative code and no body. */
  type Callback = (
    this: void,
    status_code: number,
    body: string | undefined,
    headers: LuaTable<string, string> | undefined,
  ) => void;
  /**
   * DELETE url; headers are raw lines each ending "\r\n", or nil. `delete` is a reserved word in
   * TypeScript, so call `http.delete_`; it compiles to `http.delete`.
   * @customName delete
   */
  function delete_(url: string, headers: string | undefined, body: string, callback: Callback): void;
  /** GET url. */
  function get(url: string, headers: string | undefined, callback: Callback): void;
  /** POST body to url. */
  function post(url: string, headers: string | undefined, body: string, callback: Callback): void;
  /** PUT body to url. */
  function put(url: string, headers: string | undefined, body: string, callback: Callback): void;
  /** Any method, e.g. "HEAD" or "PATCH". */
  function request(url: string, method: string, headers: string | undefined, body: string, callback: Callback): void;
  /** OK. */
  const OK: 0;
  /** The request failed. */
  const ERROR: -1;
}
