// A Bosch BME280 on the I2C bus, as its datasheet (BST-BME280-DS002) describes the chip: register
// reads with auto-increment, writes as register/value pairs, chip id 0x60, calibration words at
// 0x88-0xA1 and 0xE1-0xE7, ctrl_hum/ctrl_meas/config, forced and normal mode, and the raw ADC
// values in 0xF7-0xFE. The raw values are chosen so that the datasheet's compensation formulas
// (section 4.2.3), which NodeMCU's drivers use (app/modules/bme280.c:158-210), give back what the
// host set.

/** A device on the I2C bus, as the master's byte-level calls reach it. */
export interface I2cDevice {
  readonly address: number;
  /** A (repeated) START addressed to this device, with the R/W bit. */
  start(read: boolean): void;
  /** A byte the master writes; false is a NACK. */
  write(byte: number): boolean;
  read(): number;
  stop(): void;
}

export const BME280_ADDRESS = 0x76;
const CHIP_ID = 0x60;

/** Calibration of one real part (each chip's differ), as the datasheet names them. */
const CAL = {
  T1: 28485,
  T2: 26735,
  T3: 50,
  P: [37245, -10587, 3024, 8329, -140, -7, 9900, -10230, 4285],
  H1: 75,
  H2: 352,
  H3: 0,
  H4: 339,
  H5: 0,
  H6: 30,
};

/** Arithmetic right shift of a 32-bit signed value, as the formulas' >> on BME280_S32_t. */
const sr = (v: number, n: number) => Math.floor(v / 2 ** n);

/** Temperature in 0.01 °C and t_fine, from adc_T (datasheet 4.2.3). */
function compensateT(adc: number): [number, number] {
  const var1 = sr((sr(adc, 3) - CAL.T1 * 2) * CAL.T2, 11);
  const d = sr(adc, 4) - CAL.T1;
  const var2 = sr(sr(d * d, 12) * CAL.T3, 14);
  const fine = var1 + var2;
  return [sr(fine * 5 + 128, 8), fine];
}

/** Pressure in Pa·256 (Q24.8), with the datasheet's 64-bit formula. */
function compensateP(adc: number, tFine: number): bigint {
  const [P1, P2, P3, P4, P5, P6, P7, P8, P9] = CAL.P.map(BigInt) as [
    bigint,
    bigint,
    bigint,
    bigint,
    bigint,
    bigint,
    bigint,
    bigint,
    bigint,
  ];
  let var1 = BigInt(tFine) - 128000n;
  let var2 = var1 * var1 * P6 + ((var1 * P5) << 17n) + (P4 << 35n);
  var1 = ((var1 * var1 * P3) >> 8n) + ((var1 * P2) << 12n);
  var1 = (((1n << 47n) + var1) * P1) >> 33n;
  if (var1 === 0n) return 0n;
  let p = 1048576n - BigInt(adc);
  p = (((p << 31n) - var2) * 3125n) / var1;
  var1 = (P9 * (p >> 13n) * (p >> 13n)) >> 25n;
  var2 = (P8 * p) >> 19n;
  return ((p + var1 + var2) >> 8n) + (P7 << 4n);
}

/** Humidity in %RH·1024 (Q22.10). */
function compensateH(adc: number, tFine: number): number {
  let v = tFine - 76800;
  v =
    sr(adc * 2 ** 14 - CAL.H4 * 2 ** 20 - CAL.H5 * v + 16384, 15) *
    sr((sr(sr(v * CAL.H6, 10) * (sr(v * CAL.H3, 11) + 32768), 10) + 2097152) * CAL.H2 + 8192, 14);
  v -= sr(sr(sr(v, 15) * sr(v, 15), 7) * CAL.H1, 4);
  return sr(Math.min(Math.max(v, 0), 419430400), 12);
}

/** The smallest raw value in [0, max] at which `reached` holds (it holds from there on). */
function invert(reached: (raw: number) => boolean, max: number): number {
  let lo = 0;
  let hi = max;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (reached(mid)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

export class Bme280 implements I2cDevice {
  readonly address: number;
  /** What it measures: °C, %RH and hPa. */
  temperature = 20;
  humidity = 50;
  pressure = 1013.25;
  private regs = new Uint8Array(256);
  private pointer = 0;
  /** Bytes written since START: the first and then every other byte are register addresses. */
  private written = 0;
  /** ctrl_hum counts only from the next write to ctrl_meas (datasheet 5.4.3). */
  private osrsH = 0;

  constructor(address = BME280_ADDRESS) {
    this.address = address;
    this.reset();
  }

  start(read: boolean): void {
    this.written = 0;
    if (read && (this.regs[0xf4]! & 3) === 3) this.measure();
  }

  write(byte: number): boolean {
    if (this.written++ % 2 === 0) this.pointer = byte;
    else this.set(this.pointer, byte);
    return true;
  }

  read(): number {
    const v = this.regs[this.pointer]!;
    this.pointer = (this.pointer + 1) & 0xff;
    return v;
  }

  stop(): void {}

  private set(reg: number, value: number): void {
    if (reg === 0xe0) {
      if (value === 0xb6) this.reset();
      return;
    }
    if (reg !== 0xf2 && reg !== 0xf4 && reg !== 0xf5) return; // the rest is read-only
    this.regs[reg] = value;
    if (reg !== 0xf4) return;
    this.osrsH = this.regs[0xf2]! & 7;
    const mode = value & 3;
    if (mode === 1 || mode === 2) {
      // Forced mode: one measurement, then back to sleep.
      this.measure();
      this.regs[0xf4] = value & 0xfc;
    }
  }

  /** Fills the data registers with the raw values of what the host set; a skipped measurement keeps 0x80000 / 0x8000. */
  private measure(): void {
    const meas = this.regs[0xf4]!;
    if (meas >> 5 === 0) return;
    const t = Math.round(this.temperature * 100);
    const adcT = invert((raw) => compensateT(raw)[0] >= t, 0xfffff);
    const tFine = compensateT(adcT)[1];
    this.put(0xfa, adcT * 16, 3);
    if (((meas >> 2) & 7) !== 0) {
      // Pressure falls as adc_P rises.
      const p = BigInt(Math.round(this.pressure * 100 * 256));
      this.put(0xf7, invert((raw) => compensateP(raw, tFine) <= p, 0xfffff) * 16, 3);
    }
    const h = Math.round(this.humidity * 1024);
    if (this.osrsH !== 0)
      this.put(
        0xfd,
        invert((raw) => compensateH(raw, tFine) >= h, 0xffff),
        2,
      );
  }

  /** A raw value into `n` registers, most significant first (20-bit values sit in the top of 24 bits). */
  private put(reg: number, raw: number, n: number): void {
    for (let i = 0; i < n; i++) this.regs[reg + i] = Math.floor(raw / 2 ** (8 * (n - 1 - i))) & 0xff;
  }
  /** Power-on state: calibration, chip id, sleep, data registers at their reset values. */
  private reset(): void {
    const r = this.regs;
    r.fill(0);
    r[0xd0] = CHIP_ID;
    const words = [CAL.T1, CAL.T2, CAL.T3, ...CAL.P];
    words.forEach((w, i) => {
      r[0x88 + 2 * i] = w & 0xff;
      r[0x89 + 2 * i] = (w >> 8) & 0xff;
    });
    r[0xa1] = CAL.H1;
    r[0xe1] = CAL.H2 & 0xff;
    r[0xe2] = (CAL.H2 >> 8) & 0xff;
    r[0xe3] = CAL.H3;
    r[0xe4] = (CAL.H4 >> 4) & 0xff;
    r[0xe5] = (CAL.H4 & 0x0f) | ((CAL.H5 & 0x0f) << 4);
    r[0xe6] = (CAL.H5 >> 4) & 0xff;
    r[0xe7] = CAL.H6 & 0xff;
    r.set([0x80, 0, 0, 0x80, 0, 0, 0x80, 0], 0xf7);
    this.osrsH = 0;
  }
}
