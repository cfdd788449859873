// How long the board's SPI flash is busy for each thing SPIFFS does, so the board can stall its
// serial receive path for that long (./uart-rx.ts): while the flash is programmed or erased the
// CPU runs no code from flash, the UART interrupt handler included (it is not in IRAM:
// app/driver/uart.c:241 has no ICACHE_RAM_ATTR, and ld/nodemcu.ld:242 links it into flash).

/** SPI NOR timings of one profile, in milliseconds. */
export interface FlashTiming {
  /** tPP: programming one 256-byte page. */
  pageProgramMs: number;
  /** tSE: erasing one 4 KB sector. */
  sectorEraseMs: number;
}

/**
 * Winbond W25Q32JV datasheet (the 4 MB SPI NOR part of ESP-12 modules), AC electrical
 * characteristics: page program tPP 0.4 ms typical, 3 ms maximum; sector erase (4 KB) tSE 45 ms
 * typical, 400 ms maximum. GigaDevice's GD25Q32, the other common part, is close (0.6/2.4, 50/400).
 */
export const FLASH_TIMINGS = {
  typical: { pageProgramMs: 0.4, sectorEraseMs: 45 },
  worst: { pageProgramMs: 3, sectorEraseMs: 400 },
} as const satisfies Record<string, FlashTiming>;

export type FlashProfile = keyof typeof FLASH_TIMINGS;

/** LOG_PAGE_SIZE (app/spiffs/spiffs.c:26): SPIFFS programs whole pages. */
export const PAGE = 256;
/** INTERNAL_FLASH_SECTOR_SIZE: the smallest erase. */
const SECTOR = 4096;
/** LOG_BLOCK_SIZE (spiffs.c:27, 101): on a filesystem this size SPIFFS erases two sectors at a time. */
const BLOCK = 2 * SECTOR;

export interface WearOptions {
  timing?: FlashTiming;
  /** The filesystem has been written over: every block SPIFFS writes must be erased first. */
  aged?: boolean;
  /** The filesystem's size: once this much has been programmed, it is written over. */
  capacity: number;
  /** Called with the milliseconds each operation keeps the flash busy. */
  busy: (ms: number) => void;
}

/**
 * The flash time SPIFFS spends. Writes go through its page cache (SPIFFS_CACHE_WR,
 * app/spiffs/spiffs_config.h:91), so a page is programmed when it fills and the last partial one
 * at flush or close, with the object's index page. A fresh filesystem has erased blocks to spare;
 * once it has been written over, garbage collection erases a block for every block written.
 */
export class FlashWear {
  private readonly timing: FlashTiming;
  private aged: boolean;
  /** Bytes programmed since the filesystem was formatted. */
  private programmed = 0;

  constructor(private readonly o: WearOptions) {
    this.timing = o.timing ?? FLASH_TIMINGS.typical;
    this.aged = o.aged ?? false;
  }

  /** Programs `pages` pages, erasing first whatever blocks that uses up on an aged filesystem. */
  program(pages: number): void {
    if (pages <= 0) return;
    const before = this.programmed;
    this.programmed += pages * PAGE;
    const blocks = this.aged ? Math.floor(this.programmed / BLOCK) - Math.floor(before / BLOCK) : 0;
    if (this.programmed >= this.o.capacity) this.aged = true;
    this.o.busy(pages * this.timing.pageProgramMs + blocks * (BLOCK / SECTOR) * this.timing.sectorEraseMs);
  }

  /** A metadata change (rename, remove, an object's index): one page. */
  touch(): void {
    this.program(1);
  }

  /** file.format: SPIFFS erases every block of the filesystem, which is then fresh. */
  format(): void {
    this.programmed = 0;
    this.aged = false;
    this.o.busy(Math.ceil(this.o.capacity / SECTOR) * this.timing.sectorEraseMs);
  }
}
