import * as os from 'node:os';
import * as vscode from 'vscode';
import {
  CloseAction,
  CloseHandlerResult,
  ErrorCodes,
  ErrorHandler,
  LanguageClient,
  LanguageClientOptions,
  ResponseError,
  ServerOptions,
  State,
} from 'vscode-languageclient/node';

import { StageGraphPanel } from './stageGraph';
import { ResolvedServer, ServerNotFoundError, processEnvironment, resolveServer } from './serverPath';
import { ServerProcess, spawnServer } from './serverProcess';
import { serverSettings } from './settings';

/**
 * The client, quiet while it starts and once it is being stopped: a server
 * that dies before it answers gets one message from start() saying why, not
 * the client's several ("couldn't create connection", "initialization
 * failed", a restart each), and a restart shows no failed requests.
 */
class StagehandClient extends LanguageClient {
  quiet = true;

  override error(message: string, data?: unknown, showNotification: boolean | 'force' = true): void {
    super.error(message, data, this.quiet ? false : showNotification);
  }
}

const SECTION = 'stagehand';

/**
 * The documents the server handles: Dockerfiles, and the files that name
 * their stages as build targets (Compose, Bake, GitHub workflows), where it
 * answers only at the targets.
 */
export const documentSelector = [
  { scheme: 'file', language: 'dockerfile' },
  { scheme: 'untitled', language: 'dockerfile' },
  { scheme: 'file', pattern: '**/{compose,docker-compose}*.{yml,yaml}' },
  { scheme: 'file', pattern: '**/docker-bake*.{hcl,json}' },
  { scheme: 'file', pattern: '**/.github/workflows/*.{yml,yaml}' },
  // Compose reads the .env beside a Compose file; the server reads its unsaved buffer.
  { scheme: 'file', pattern: '**/.env' },
];

let client: StagehandClient | undefined;
let output: vscode.OutputChannel;
let traceOutput: vscode.OutputChannel;
let starting: Promise<void> | undefined;
// The process of the last server started.
let serverProcess: ServerProcess | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel('Stagehand');
  traceOutput = vscode.window.createOutputChannel('Stagehand Trace');
  context.subscriptions.push(output, traceOutput);

  context.subscriptions.push(
    vscode.commands.registerCommand('stagehand.restartServer', async () => {
      await restart(context);
      if (client?.state === State.Running) {
        vscode.window.setStatusBarMessage('Stagehand: server restarted', 3000);
      }
    }),
    vscode.commands.registerCommand('stagehand.showOutput', () => output.show(true)),
    vscode.commands.registerCommand('stagehand.showStageGraph', () => showStageGraph(context)),
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      if (e.affectsConfiguration(`${SECTION}.server`)) {
        output.appendLine('Server settings changed: restarting the server.');
        await restart(context);
      }
    }),
  );

  watchStageGraph(context);
  await start(context);
}

export async function deactivate(): Promise<void> {
  await stop();
}

async function start(context: vscode.ExtensionContext): Promise<void> {
  const config = vscode.workspace.getConfiguration(SECTION);
  let server: ResolvedServer;
  try {
    server = resolveServer(config.get<string>('server.path'), processEnvironment(context.extensionPath, os.homedir()));
  } catch (err) {
    const message = err instanceof ServerNotFoundError ? err.message : `Stagehand: ${String(err)}`;
    output.appendLine(message);
    void vscode.window.showErrorMessage(message, 'Open Settings', 'Show Log').then((choice) => {
      if (choice === 'Open Settings') {
        void vscode.commands.executeCommand('workbench.action.openSettings', `${SECTION}.server.path`);
      } else if (choice === 'Show Log') {
        output.show(true);
      }
    });
    return;
  }
  output.appendLine(`Starting ${server.command} (found through ${describeSource(server.source)}).`);

  const args = ['serve', ...config.get<string[]>('server.args', [])];
  let proc: ServerProcess | undefined;
  const serverOptions: ServerOptions = async () => {
    proc = await spawnServer(server.command, args);
    serverProcess = proc;
    return proc.process;
  };
  // The id makes the client read the "stagehand.trace.server" setting.
  const c = new StagehandClient(SECTION, 'Stagehand', serverOptions, {
    documentSelector,
    initializationOptions: serverSettings(config),
    synchronize: { configurationSection: SECTION },
    // The server logs to stderr, which lands here.
    outputChannel: output,
    traceOutputChannel: traceOutput,
    // start() reports a failed initialize; the client must not retry it.
    initializationFailedHandler: () => false,
    errorHandler: {
      error: (error, message, count) => restarts.error(error, message, count),
      // A server that ran and then died is restarted as the client does (at
      // most five times in three minutes); one that dies before it answers
      // is not: it would only die again. Whether it ran is not the client's
      // state, which can be StartFailed or Starting here depending on which
      // the client handles first, the closed pipe or the failed initialize.
      closed: async (): Promise<CloseHandlerResult> => {
        if (!ran) {
          return { action: CloseAction.DoNotRestart, handled: true };
        }
        ran = false;
        return restarts.closed();
      },
    },
  });
  const restarts: ErrorHandler = c.createDefaultErrorHandler();
  // Whether the server last started answered initialize.
  let ran = false;
  c.onDidChangeState((e) => {
    if (e.newState === State.Running) {
      ran = true;
    }
  });
  client = c;
  let failure: unknown;
  try {
    await c.start();
  } catch (err) {
    failure = err;
  }
  // start() can resolve for a server that died while it started (the close
  // is handled before the failed initialize): the state says.
  if (c.state === State.Running) {
    c.quiet = false;
    return;
  }
  let message = `Stagehand: the server ${server.command} failed to start: ${failure instanceof Error ? failure.message : String(failure ?? 'it stopped')}`;
  if (proc && (await proc.waitExit(1000))) {
    message = proc.describe(server.command);
  }
  output.appendLine(message);
  void vscode.window.showErrorMessage(message, 'Show Log').then((choice) => {
    if (choice) {
      output.show(true);
    }
  });
}

function describeSource(source: ResolvedServer['source']): string {
  switch (source) {
    case 'setting':
      return 'the stagehand.server.path setting';
    case 'path':
      return 'PATH';
    case 'bundled':
      return 'the binary bundled with the extension';
  }
}

async function stop(): Promise<void> {
  const c = client;
  const proc = serverProcess;
  client = undefined;
  serverProcess = undefined;
  if (c) {
    // Requests and notifications that fail while it stops are no news.
    c.quiet = true;
  }
  if (c && c.state !== State.Stopped) {
    try {
      await c.stop(2000);
    } catch (err) {
      output.appendLine(`Stopping the server: ${String(err)}`);
    }
  }
  // The client stops a process it started itself; this one we started.
  if (proc && !(await proc.waitExit(2000))) {
    output.appendLine('The server did not exit after shutdown: killing it.');
    proc.kill();
  }
}

async function restart(context: vscode.ExtensionContext): Promise<void> {
  // Serialise restarts: a second one waits for the first.
  const previous = starting;
  starting = (async () => {
    await previous;
    await stop();
    await start(context);
  })();
  await starting;
}

/** The params of the stagehand/stageGraph request. */
interface StageGraphParams {
  textDocument: { uri: string };
  /** Stages built besides the last one, from the stagehand.targets setting. */
  targets: string[];
}

// The document the stage graph panel shows, redrawn as it changes.
let graphDoc: vscode.Uri | undefined;
let graphTimer: ReturnType<typeof setTimeout> | undefined;

function watchStageGraph(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (!graphDoc || e.document.uri.toString() !== graphDoc.toString() || !StageGraphPanel.isOpen()) {
        return;
      }
      if (graphTimer) {
        clearTimeout(graphTimer);
      }
      const doc = e.document;
      graphTimer = setTimeout(() => void drawStageGraph(StageGraphPanel.show(context.extensionUri, false), doc), 300);
    }),
  );
}

async function showStageGraph(context: vscode.ExtensionContext): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  const doc = editor?.document;
  const panel = StageGraphPanel.show(context.extensionUri);
  graphDoc = doc?.languageId === 'dockerfile' ? doc.uri : undefined;
  if (!doc || doc.languageId !== 'dockerfile') {
    panel.showMessage('Open a Dockerfile in the editor, then run "Stagehand: Show stage graph" again.');
    return;
  }
  const c = client;
  if (!c || c.state !== State.Running) {
    panel.showMessage('The Stagehand server is not running. See the "Stagehand" output channel, or run "Stagehand: Restart server".');
    return;
  }
  panel.showMessage(`Asking the server for the stage graph of ${vscode.workspace.asRelativePath(doc.uri)}...`);
  await drawStageGraph(panel, doc);
}

async function drawStageGraph(panel: StageGraphPanel, doc: vscode.TextDocument): Promise<void> {
  const c = client;
  if (!c || c.state !== State.Running) {
    panel.showMessage('The Stagehand server is not running. See the "Stagehand" output channel, or run "Stagehand: Restart server".');
    return;
  }
  const uri = c.code2ProtocolConverter.asUri(doc.uri);
  try {
    const targets = vscode.workspace.getConfiguration(SECTION, doc.uri).get<string[]>('targets', []);
    const params: StageGraphParams = { textDocument: { uri }, targets };
    const graph = await c.sendRequest<unknown>('stagehand/stageGraph', params);
    panel.showGraph(vscode.workspace.asRelativePath(doc.uri), graph);
  } catch (err) {
    if (err instanceof ResponseError && err.code === ErrorCodes.MethodNotFound) {
      panel.showMessage(
        'This Stagehand server does not provide the stage graph (it does not implement the "stagehand/stageGraph" request). ' +
          'Update the server binary to a version that has it.',
      );
    } else {
      panel.showMessage(`The server could not give the stage graph: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}
