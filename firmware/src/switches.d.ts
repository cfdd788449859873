// Build switches (tools/compiler/passes/fold-switches.ts): constants the build folds away, so a board ships
// only the features its device.json turns on. Test them only as `if (BUILD_X) { … }`.

/** device.json "ota": updates over MQTT (ota.ts and the modules it loads, init.lua's rollback). */
declare const BUILD_OTA: boolean;
/** device.json "ota": {"secret": …}: updates must carry an HMAC with the shared secret (otamac.ts). */
declare const BUILD_OTA_SECRET: boolean;
