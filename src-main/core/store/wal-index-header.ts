import { closeSync, openSync, readSync } from 'node:fs';

/**
 * The WAL-index header at the start of `<db>-shm` (https://www.sqlite.org/walformat.html §2.1): two copies of 48
 * bytes that every commit by any connection rewrites (its change counter `iChange`, last frame, salts). Reading them is
 * one pread, with no lock taken — far cheaper than `PRAGMA data_version`, which opens a read transaction (lock system
 * calls on the shm file) on every call. Equal bytes between two reads mean no connection committed in between; any
 * difference (a commit, a checkpoint restarting the WAL, a torn read of a header being written) means "maybe", and the
 * caller then asks SQLite itself.
 */
export class WalIndexHeader {
  private static readonly BYTES = 96;
  private readonly seen = Buffer.alloc(WalIndexHeader.BYTES);
  private readonly read = Buffer.alloc(WalIndexHeader.BYTES);
  /** Whether `seen` holds a whole header read earlier. */
  private primed = false;

  private constructor(private fd: number | undefined) {}

  /** Follows `<dbFile>-shm`; undefined when there is none to follow (an in-memory store, a store not in WAL mode). */
  static open(dbFile: string): WalIndexHeader | undefined {
    try {
      return new WalIndexHeader(openSync(`${dbFile}-shm`, 'r'));
    } catch {
      return undefined;
    }
  }

  /**
   * Reads the header and tells whether it differs from what the previous call read (true on the first call, and
   * whenever it cannot be read). Call it before asking SQLite, so a commit landing in between shows up next time.
   */
  moved(): boolean {
    if (this.fd === undefined) return true;
    let length: number;
    try {
      length = readSync(this.fd, this.read, 0, WalIndexHeader.BYTES, 0);
    } catch {
      this.close();
      return true;
    }
    const whole = length === WalIndexHeader.BYTES;
    if (whole && this.primed && this.read.equals(this.seen)) return false;
    this.read.copy(this.seen);
    // After a short read (a header not yet written) the next call answers "moved" again.
    this.primed = whole;
    return true;
  }

  close(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
  }
}
