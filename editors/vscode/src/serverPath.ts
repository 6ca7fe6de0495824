// Finding the stagehand binary. Kept free of the vscode module so that it can
// be unit-tested with node's test runner.

import * as fs from 'node:fs';
import * as path from 'node:path';

/** Where a server binary was found, for the log and error messages. */
export type ServerSource = 'setting' | 'path' | 'bundled';

export interface ResolvedServer {
  command: string;
  source: ServerSource;
}

/** What resolution needs from the environment; tests pass fakes. */
export interface Environment {
  platform: NodeJS.Platform;
  arch: string;
  /** The PATH variable's value. */
  pathVariable: string | undefined;
  /** PATHEXT on Windows. */
  pathExt: string | undefined;
  /** The extension's install directory. */
  extensionPath: string;
  /** The user's home directory, for expanding a leading `~`. */
  home: string;
  /** Whether file is an existing regular file that may be run. */
  isExecutable(file: string): boolean;
}

/** Thrown when no binary can be found; the message says how to install one. */
export class ServerNotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ServerNotFoundError';
  }
}

/**
 * The directory name, under bin/, of the binary bundled for a platform; it
 * matches the targets of `vsce package --target` (linux-x64, darwin-arm64, ...).
 */
export function platformTarget(platform: NodeJS.Platform, arch: string): string {
  const os = platform === 'win32' ? 'win32' : platform;
  return `${os}-${arch}`;
}

function executableName(platform: NodeJS.Platform): string {
  return platform === 'win32' ? 'stagehand.exe' : 'stagehand';
}

/** The bundled binary's path inside the extension for env's platform. */
export function bundledPath(env: Environment): string {
  return path.join(env.extensionPath, 'bin', platformTarget(env.platform, env.arch), executableName(env.platform));
}

/** Looks name up in PATH as a shell would; undefined when absent. */
export function lookPath(name: string, env: Environment): string | undefined {
  const sep = env.platform === 'win32' ? ';' : ':';
  const exts = env.platform === 'win32' ? (env.pathExt ?? '.EXE;.CMD;.BAT').split(';').filter(Boolean) : [''];
  for (const dir of (env.pathVariable ?? '').split(sep)) {
    // An empty PATH entry means the current directory, which an editor's
    // current directory makes unpredictable: skip it.
    if (!dir) {
      continue;
    }
    for (const ext of exts) {
      const candidate = path.join(dir, name + ext);
      if (env.isExecutable(candidate)) {
        return candidate;
      }
    }
  }
  return undefined;
}

function expandHome(p: string, home: string): string {
  if (p === '~') {
    return home;
  }
  if (p.startsWith('~/') || p.startsWith('~\\')) {
    return path.join(home, p.slice(2));
  }
  return p;
}

/** How to get a binary, appended to every not-found message. */
export const installHint =
  'Build it in a checkout of the repository with `go build -trimpath -o ~/.local/bin/stagehand .`, or unpack a ' +
  'release archive into ~/.local/bin (then make sure ~/.local/bin is on PATH), ' +
  'or set "stagehand.server.path" to the binary, or install the platform-specific build of this extension, which bundles one.';

/**
 * Resolves the server binary: the `stagehand.server.path` setting when set
 * (it must exist: a wrong setting is an error, not a reason to fall back),
 * else `stagehand` on PATH, else the bundled binary.
 */
export function resolveServer(setting: string | undefined, env: Environment): ResolvedServer {
  const configured = (setting ?? '').trim();
  if (configured) {
    let p = expandHome(configured, env.home);
    if (!path.isAbsolute(p) && !p.includes('/') && !p.includes('\\')) {
      // A bare name, as in "stagehand-dev": look it up like a shell.
      const found = lookPath(p, env);
      if (found) {
        return { command: found, source: 'setting' };
      }
    } else if (env.isExecutable(p)) {
      return { command: p, source: 'setting' };
    }
    throw new ServerNotFoundError(
      `Stagehand: "stagehand.server.path" is set to ${JSON.stringify(configured)}, but no executable file is there. ` +
        `Fix or clear the setting. ${installHint}`,
    );
  }
  const onPath = lookPath(executableName(env.platform).replace(/\.exe$/, ''), env);
  if (onPath) {
    return { command: onPath, source: 'path' };
  }
  const bundled = bundledPath(env);
  if (env.isExecutable(bundled)) {
    return { command: bundled, source: 'bundled' };
  }
  throw new ServerNotFoundError(
    `Stagehand: the language server binary was not found: "stagehand.server.path" is not set, ` +
      `no "stagehand" is on PATH, and this build of the extension bundles none for ${platformTarget(env.platform, env.arch)}. ${installHint}`,
  );
}

/** isExecutable for the real file system. */
export function isExecutableFile(file: string): boolean {
  try {
    const st = fs.statSync(file);
    if (!st.isFile()) {
      return false;
    }
    if (process.platform === 'win32') {
      return true;
    }
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The Environment of the running process. */
export function processEnvironment(extensionPath: string, home: string): Environment {
  return {
    platform: process.platform,
    arch: process.arch,
    pathVariable: process.env.PATH ?? process.env.Path,
    pathExt: process.env.PATHEXT,
    extensionPath,
    home,
    isExecutable: isExecutableFile,
  };
}
