// Declarations for NodeMCU 3.x on the ESP8266 (Lua 5.1 build), for TypeScriptToLua.
// The device's Lua has no io, os or debug library and a reduced math; they are left out here
// on purpose, so code that would fail on the board fails to compile instead.
/// <reference types="@typescript-to-lua/language-extensions" />
/// <reference path="./modules/lua.d.ts" />
/// <reference path="./modules/string.d.ts" />
/// <reference path="./modules/table.d.ts" />
/// <reference path="./modules/math.d.ts" />
/// <reference path="./modules/coroutine.d.ts" />
/// <reference path="./modules/node.d.ts" />
/// <reference path="./modules/tmr.d.ts" />
/// <reference path="./modules/wifi.d.ts" />
/// <reference path="./modules/mqtt.d.ts" />
/// <reference path="./modules/file.d.ts" />
/// <reference path="./modules/gpio.d.ts" />
/// <reference path="./modules/uart.d.ts" />
/// <reference path="./modules/sjson.d.ts" />
/// <reference path="./modules/net.d.ts" />
/// <reference path="./modules/rtcmem.d.ts" />
/// <reference path="./modules/bit.d.ts" />
/// <reference path="./modules/encoder.d.ts" />
