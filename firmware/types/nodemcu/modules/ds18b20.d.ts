// ds18b20: NodeMCU's Lua module for DS18B20 thermometers on 1-Wire (needs ow), loaded with
// `const t = require("ds18b20")`; read_temp is a method (`t.read_temp(...)` compiles to `t:read_temp(...)`).
declare namespace ds18b20 {
  /** Celsius, Fahrenheit or Kelvin. */
  type Unit = "C" | "F" | "K";
  /** The module table require("ds18b20") returns. */
  interface Module {
    /**
     * Searches the bus if needed (or if force_search is non-nil), converts every sensor and calls
     * back with temperatures by 8-byte address. pin defaults to 3 (GPIO0); unit to the last one used;
     * save_search non-nil saves the found addresses to ds18b20_save.lc.
     */
    read_temp(
      callback: (this: void, temps: LuaTable<string, number>) => void,
      pin?: number,
      unit?: Unit,
      force_search?: unknown,
      save_search?: unknown,
    ): void;
    /** Turns on the module's debug output. */
    enable_debug(this: void): void;
    /** Sensors found: 8 address bytes, then a 9th byte 1 for parasite power. */
    sens: string[];
    /** The last readings by address. */
    temp: LuaTable<string, number>;
    /** Celsius. */
    readonly C: "C";
    /** Fahrenheit. */
    readonly F: "F";
    /** Kelvin. */
    readonly K: "K";
  }
}
interface NodeMCULuaModules {
  ds18b20: ds18b20.Module;
}
