// Stands in for the `debug` package in the CLI bundle: mqtt-packet only logs through it when
// DEBUG is set, and loading it (tty and colour detection) costs ~4 ms of every cold start.
module.exports = function debug() {
  const log = () => {};
  log.enabled = false;
  return log;
};
