// adc: the single analog input (TOUT), or the supply voltage, depending on init data byte 107.
/** @noSelf */
declare namespace adc {
  /** Sets the ADC mode in the init data; true when it changed (restart to apply). */
  function force_init_mode(mode: 0 | 255): boolean;
  /** A sample of the TOUT pin, 0–1023 (channel is always 0); 65535 in VDD33 mode. */
  function read(channel: 0): number;
  /** The supply voltage in mV; 65535 in ADC mode. */
  function readvdd33(): number;
  /** Measure the TOUT pin. */
  const INIT_ADC: 0;
  /** Measure the supply voltage. */
  const INIT_VDD33: 255;
}
