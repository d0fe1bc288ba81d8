import { closeSync, ftruncateSync, openSync, readFileSync, renameSync, rmSync, truncateSync, writeSync } from 'node:fs';
import type { IncomingEvent } from '../../db/repos/events.js';

/**
 * Where a webhook ack is stored on PGlite. PGlite runs one statement at a time
 * on the server's own thread, so an ack that INSERTs waits behind whatever
 * handling transaction holds it (tens of ms under load): its time is the
 * handling's, not its own. The journal takes the ack off that path: an event
 * is appended to a file beside the database (one write per turn of the event
 * loop, however many requests it carries), acked, and moved into
 * processed_events by the inbox between two handled events, in the order it
 * came. What was acked and not yet moved is moved at the next start.
 *
 * Durable as PGlite is: PGlite on Node never fsyncs (its fdatasync is a no-op
 * in the WASM build), so both survive the process's crash, not the machine's
 * power cut; the journal asks no more than the database it stands in for.
 *
 * Two files: `inbox.journal` takes the appends; a move first renames it to
 * `inbox.journal.moving` and, once every event in it is in the table,
 * deletes it. A start reads the one being moved, then the other. A move
 * interrupted by a crash is repeated: the table's key on event_id makes that
 * harmless. Records are one JSON array per line; a last line cut short (a
 * write the crash interrupted: that event was never acked) is dropped.
 */
export interface AckJournal {
  /** Keep these events so that they survive this process; throws when they could not be kept (none of them is then). */
  append(events: readonly IncomingEvent[]): void;
  /** The oldest events kept and not yet moved, at most `max`; null when none is. */
  take(max: number): JournalBatch | null;
  /** Bytes of the events kept and not yet moved (what they hold in memory). */
  pendingBytes(): number;
  /** How many events are kept and not yet moved. */
  pendingCount(): number;
  /** Let go of the file (the process is stopping); a later append opens it again. */
  close(): void;
}

export interface JournalBatch {
  events: IncomingEvent[];
  /** They are in the table (or refused there): forget them. */
  moved(): void;
}

/** The file beside PGlite's own in its data directory. */
export const JOURNAL_FILE = 'inbox.journal';

const encode = (e: IncomingEvent) => `${JSON.stringify([e.eventId, e.eventType, e.json])}\n`;

function decode(line: string): IncomingEvent | null {
  try {
    const v = JSON.parse(line) as unknown;
    if (Array.isArray(v) && v.length === 3 && v.every((x) => typeof x === 'string')) {
      const [eventId, eventType, json] = v as [string, string, string];
      return { eventId, eventType, json };
    }
  } catch {
    // A line cut short by a crash: its event was never acked.
  }
  return null;
}

/** The events of one file in order, and how many bytes of it are whole lines (`size`: all of it). */
function readJournal(path: string): { events: IncomingEvent[]; whole: number; size: number } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { events: [], whole: 0, size: 0 };
    throw err;
  }
  const lines = text.slice(0, text.lastIndexOf('\n') + 1);
  const events: IncomingEvent[] = [];
  for (const line of lines.split('\n')) {
    const e = line ? decode(line) : null;
    if (e) events.push(e);
  }
  return { events, whole: Buffer.byteLength(lines), size: Buffer.byteLength(text) };
}

/** What both kinds share: the events in memory, oldest first, in two parts (being moved, and appended since). */
class Pending {
  moving: IncomingEvent[] = [];
  next = 0;
  appended: IncomingEvent[] = [];
  bytes = 0;

  add(events: readonly IncomingEvent[]) {
    for (const e of events) {
      this.appended.push(e);
      this.bytes += e.json.length;
    }
  }
  count() {
    return this.moving.length - this.next + this.appended.length;
  }
  /** The appended part becomes the part being moved (none is). */
  seal() {
    this.moving = this.appended;
    this.next = 0;
    this.appended = [];
  }
  /** Up to `max` of the part being moved (sealing the appended part first when none is; `seal` does so to its file). */
  take(max: number, seal: () => void, done: () => void): JournalBatch | null {
    if (this.next >= this.moving.length) {
      if (!this.appended.length) return null;
      seal();
      this.seal();
    }
    const from = this.next;
    const events = this.moving.slice(from, from + max);
    return {
      events,
      moved: () => {
        if (this.moving[from] !== events[0] || this.next !== from) return; // moved already
        this.next = from + events.length;
        for (const e of events) this.bytes -= e.json.length;
        if (this.next >= this.moving.length) {
          this.moving = [];
          this.next = 0;
          done();
        }
      },
    };
  }
}

/** For a database that does not outlive the process (in-memory PGlite): the events wait in memory, as the data does. */
export function memoryJournal(): AckJournal {
  const p = new Pending();
  return {
    append: (events) => p.add(events),
    take: (max) =>
      p.take(
        max,
        () => {},
        () => {},
      ),
    pendingBytes: () => p.bytes,
    pendingCount: () => p.count(),
    close: () => {},
  };
}

/**
 * The journal in `path` (and `path.moving`). Nothing is read or created until
 * it is first used: a CLI command that never acks an event never touches it.
 */
export function fileJournal(path: string): AckJournal {
  const movingPath = `${path}.moving`;
  let p: Pending | null = null;
  let fd = -1;
  let size = 0;

  function load(): Pending {
    if (p) return p;
    const loaded = new Pending();
    const moving = readJournal(movingPath);
    if (moving.events.length) {
      loaded.add(moving.events);
      loaded.seal();
    } else rmSync(movingPath, { force: true });
    const active = readJournal(path);
    loaded.add(active.events);
    size = active.whole;
    // A last line cut short is no record: gone at once, so the next append starts a line of its own.
    if (active.size > size) truncateSync(path, size);
    p = loaded;
    return p;
  }

  function open(): number {
    if (fd < 0) fd = openSync(path, 'a');
    return fd;
  }

  function closeFile() {
    if (fd >= 0) closeSync(fd);
    fd = -1;
  }

  return {
    append(events) {
      const pending = load();
      if (!events.length) return;
      let text = '';
      for (const e of events) text += encode(e);
      const bytes = Buffer.from(text);
      const file = open();
      try {
        let off = 0;
        while (off < bytes.length) off += writeSync(file, bytes, off);
      } catch (err) {
        // Half a write is no record: cut it off, so that the next append starts a line (and nothing of these is acked).
        try {
          ftruncateSync(file, size);
        } catch {
          closeFile();
        }
        throw err;
      }
      size += bytes.length;
      pending.add(events);
    },
    take(max) {
      return load().take(
        max,
        () => {
          // The appended part becomes the part being moved: its file too.
          closeFile();
          renameSync(path, movingPath);
          size = 0;
        },
        () => rmSync(movingPath, { force: true }),
      );
    },
    pendingBytes: () => load().bytes,
    pendingCount: () => load().count(),
    close: closeFile,
  };
}
