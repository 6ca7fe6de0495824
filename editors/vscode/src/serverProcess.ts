// Starting the server process and saying why it stopped. Kept free of the
// vscode module so that it can be unit-tested with node's test runner.

import * as cp from 'node:child_process';

/** The most of the server's stderr kept for the message when it dies. */
const KEEP = 4096;

/**
 * A started server process: its exit and the start of its stderr, kept so
 * that a server that dies before it answers can be explained in one message.
 */
export class ServerProcess {
  readonly process: cp.ChildProcess;
  /** The first KEEP bytes of stderr. */
  private stderr = '';
  /** Set when the process exited. */
  exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  /** Resolves when the process exited. */
  readonly exited: Promise<void>;

  constructor(proc: cp.ChildProcess) {
    this.process = proc;
    proc.stderr?.on('data', (data: Buffer | string) => {
      if (this.stderr.length < KEEP) {
        this.stderr = (this.stderr + data.toString()).slice(0, KEEP);
      }
    });
    this.exited = new Promise((resolve) => {
      proc.once('exit', (code, signal) => {
        this.exit = { code, signal };
        resolve();
      });
      proc.once('error', () => resolve());
    });
  }

  /** Waits up to ms for the process to exit; true when it has. */
  async waitExit(ms: number): Promise<boolean> {
    if (this.exit) {
      return true;
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
    await Promise.race([this.exited, timeout]);
    clearTimeout(timer);
    return this.exit !== undefined;
  }

  /** Kills the process if it is still running. */
  kill(): void {
    if (!this.exit && this.process.exitCode === null && this.process.signalCode === null) {
      this.process.kill();
    }
  }

  /** Says why the server stopped before it started, for the error message. */
  describe(command: string): string {
    return describeEarlyExit(command, this.exit, this.stderr);
  }
}

/**
 * Spawns command with args, piped, and resolves once it runs; rejects when
 * it cannot be started (no such file, not executable, wrong format).
 */
export function spawnServer(command: string, args: string[], options: cp.SpawnOptions = {}): Promise<ServerProcess> {
  return new Promise((resolve, reject) => {
    const proc = cp.spawn(command, args, { ...options, stdio: 'pipe' });
    const server = new ServerProcess(proc);
    proc.once('spawn', () => resolve(server));
    proc.once('error', (err) => reject(err));
  });
}

/** The first line of text with something in it, cut to max characters. */
function firstLine(text: string, max = 300): string {
  const line = text.split(/\r?\n/).find((l) => l.trim() !== '') ?? '';
  const t = line.trim();
  return t.length > max ? t.slice(0, max) + '...' : t;
}

/**
 * The message for a server that stopped before answering initialize: which
 * binary, its exit code or signal, the first line of its stderr, and where
 * the rest is.
 */
export function describeEarlyExit(
  command: string,
  exit: { code: number | null; signal: NodeJS.Signals | null } | undefined,
  stderr: string,
): string {
  let how = 'stopped before it answered';
  if (exit?.signal) {
    how = `was killed by ${exit.signal} before it answered`;
  } else if (exit && exit.code !== null) {
    how = `exited with exit code ${exit.code} before it answered`;
  }
  const said = firstLine(stderr);
  return (
    `Stagehand: the server ${command} ${how}` +
    (said ? `: ${said}` : '') +
    '. It is not restarted: fix it, then run "Stagehand: Restart server". Its output is in "Stagehand: Show server log".'
  );
}
