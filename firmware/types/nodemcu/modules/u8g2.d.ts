// u8g2: monochrome displays. The displays and fonts are chosen at build time (u8g2_displays.h,
// u8g2_fonts.h); these are the defaults. Declare others yourself, e.g.
// `declare namespace u8g2 { function sh1106_i2c_128x64_noname(id: number, address: number): u8g2.Display; }`.
/** @noSelf */
declare namespace u8g2 {
  /** A font compiled into the firmware (or a font's bytes as a string). */
  type Font = { readonly __u8g2Font: "font" } | string;
  /** A display rotation (R0–R3, MIRROR). */
  type Rotation = { readonly __u8g2Rotation: "rotation" };
  /** Receives the frame buffer, line by line, then nil at the end of a frame. */
  type FramebufferCallback = (this: void, line: string | undefined) => void;

  /** An SSD1306 128×64 on I²C bus id at a 7-bit address (i2c.setup first), optionally with a frame-buffer callback. */
  function ssd1306_i2c_128x64_noname(id: number, address: number, cb?: FramebufferCallback): u8g2.Display;
  function ssd1306_i2c_128x64_noname(cb: FramebufferCallback): u8g2.Display;
  /** An SSD1306 128×64 on hardware SPI bus with chip-select, data/command and optional reset pins. */
  function ssd1306_128x64_noname(
    bus: number,
    cs: number,
    dc: number,
    res?: number,
    cb?: FramebufferCallback,
  ): u8g2.Display;
  function ssd1306_128x64_noname(cb: FramebufferCallback): u8g2.Display;

  /** A 6×10 font. */
  const font_6x10_tf: Font;
  /** Unifont with symbols. */
  const font_unifont_t_symbols: Font;
  /** Not rotated. */
  const R0: Rotation;
  /** 90° clockwise. */
  const R1: Rotation;
  /** 180°. */
  const R2: Rotation;
  /** 270° clockwise. */
  const R3: Rotation;
  /** Mirrored. */
  const MIRROR: Rotation;
  /** Circle option: upper right quarter. */
  const DRAW_UPPER_RIGHT: number;
  /** Circle option: upper left quarter. */
  const DRAW_UPPER_LEFT: number;
  /** Circle option: lower right quarter. */
  const DRAW_LOWER_RIGHT: number;
  /** Circle option: lower left quarter. */
  const DRAW_LOWER_LEFT: number;
  /** Circle option: the whole circle. */
  const DRAW_ALL: number;

  /** A display; its methods are called with `:` and draw into the buffer until sendBuffer(). */
  interface Display {
    clearBuffer(): void;
    drawBox(x: number, y: number, w: number, h: number): void;
    drawCircle(x0: number, y0: number, rad: number, opt?: number): void;
    drawDisc(x0: number, y0: number, rad: number, opt?: number): void;
    drawEllipse(x0: number, y0: number, rx: number, ry: number, opt?: number): void;
    drawFilledEllipse(x0: number, y0: number, rx: number, ry: number, opt?: number): void;
    drawFrame(x: number, y: number, w: number, h: number): void;
    /** Draws one glyph by its code point. */
    drawGlyph(x: number, y: number, encoding: number): void;
    drawHLine(x: number, y: number, w: number): void;
    drawLine(x0: number, y0: number, x1: number, y1: number): void;
    drawPixel(x: number, y: number): void;
    drawRBox(x: number, y: number, w: number, h: number, r: number): void;
    drawRFrame(x: number, y: number, w: number, h: number, r: number): void;
    drawStr(x: number, y: number, s: string): void;
    drawTriangle(x0: number, y0: number, x1: number, y1: number, x2: number, y2: number): void;
    drawUTF8(x: number, y: number, s: string): void;
    drawVLine(x: number, y: number, h: number): void;
    /** Draws an XBM bitmap given as a string of bytes. */
    drawXBM(x: number, y: number, w: number, h: number, bitmap: string): void;
    getAscent(): number;
    getDescent(): number;
    getStrWidth(s: string): number;
    getUTF8Width(s: string): number;
    /** Sends the buffer to the display. */
    sendBuffer(): void;
    /** 0 draws the background too, 1 leaves it transparent. */
    setBitmapMode(mode: 0 | 1): void;
    setContrast(value: number): void;
    setDisplayRotation(rotation: Rotation): void;
    /** 0 clear, 1 set, 2 XOR. */
    setDrawColor(color: 0 | 1 | 2): void;
    setFlipMode(mode: 0 | 1): void;
    setFont(font: Font): void;
    /** 0 left to right, 1 top down, 2 right to left, 3 bottom up. */
    setFontDirection(dir: 0 | 1 | 2 | 3): void;
    /** 0 solid, 1 transparent. */
    setFontMode(mode: 0 | 1): void;
    setFontPosBaseline(): void;
    setFontPosBottom(): void;
    setFontPosTop(): void;
    setFontPosCenter(): void;
    setFontRefHeightAll(): void;
    setFontRefHeightExtendedText(): void;
    setFontRefHeightText(): void;
    /** 1 turns the display off, 0 on. */
    setPowerSave(on: 0 | 1): void;
    updateDisplay(): void;
    /** Sends one area of the buffer, in 8-pixel tiles. */
    updateDisplayArea(tx: number, ty: number, tw: number, th: number): void;
  }
}
