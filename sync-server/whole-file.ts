/**
 * Files that must be whole or absent (the key ring, the demo reviewers' passwords, an enrollment QR
 * image): written to a temporary file beside their place, flushed to disk, then renamed (or linked) in.
 * A crash, a power cut or a full disk leaves the old file or the new one, never a part.
 *
 * Node's own `writeFileSync` writes on until every byte is out (write-file-atomic's sync path took a
 * short write for a whole one); the temporary name is short, so a file whose name is near the system's
 * limit can still be staged beside it.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fchmodSync, fstatSync, fsyncSync, linkSync, lstatSync, openSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface StagedFile {
  /** Where the content goes first, in the file's folder. */
  readonly temporary: string;
  /** `data`, whole, in the temporary file, flushed to disk. */
  write(data: string | Uint8Array): void;
  /** The temporary file renamed over `file`: a reader sees the old file or the new one. */
  place(): void;
  /** The temporary file linked in where no file is (EEXIST if one is); the temporary name goes either way. */
  placeIfAbsent(): void;
  /** The temporary file removed; `file` untouched. */
  discard(): void;
}

/**
 * An empty temporary file made beside `file` (exactly `mode`, whatever the umask): proof that its folder
 * exists and takes files. It is written through the descriptor that made it, never reopened by name:
 * in a folder others may write, the name could meanwhile be a link to a file of someone else's.
 */
export function stageFile(file: string, mode = 0o600): StagedFile {
  const temporary = join(dirname(file), `.cunban-${randomBytes(4).toString('hex')}.tmp`);
  const fd = openSync(temporary, 'wx', mode);
  fchmodSync(fd, mode);
  const made = fstatSync(fd).ino;
  // Placed only while the name still holds the file made here (not one put in its place).
  const stillOurs = () => {
    if (lstatSync(temporary, { throwIfNoEntry: false })?.ino !== made) throw new Error(`${temporary} was replaced by another process; nothing was placed`);
  };
  const close = closingOnce(fd);
  const discard = () => {
    close();
    rmSync(temporary, { force: true });
  };
  return {
    temporary,
    write(data) {
      writeFileSync(fd, data);
      fsyncSync(fd);
      close();
    },
    place() {
      close();
      stillOurs();
      renameSync(temporary, file);
    },
    placeIfAbsent() {
      close();
      try {
        stillOurs();
        linkSync(temporary, file);
      } finally {
        discard();
      }
    },
    discard,
  };
}

/** `data` as the whole of `file`, by way of a temporary file beside it. */
export function writeFileWhole(file: string, data: string | Uint8Array, mode = 0o600): void {
  const staged = stageFile(file, mode);
  try {
    staged.write(data);
    staged.place();
  } catch (error) {
    staged.discard();
    throw error;
  }
}

/** Closes `fd` the first time it is called, and does nothing after (a clean-up may run after a failed write closed it). */
export function closingOnce(fd: number): () => void {
  let open = true;
  return () => {
    if (open) closeSync(fd);
    open = false;
  };
}
