import * as os from 'node:os';
import * as vscode from 'vscode';
import {
  ErrorCodes,
  LanguageClient,
  LanguageClientOptions,
  ResponseError,
  ServerOptions,
  State,
  TransportKind,
} from 'vscode-languageclient/node';

import { StageGraphPanel } from './stageGraph';
import { ResolvedServer, ServerNotFoundError, processEnvironment, resolveServer } from './serverPath';

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

/** The settings the server reads, sent as initializationOptions and on change. */
export function serverSettings(config: vscode.WorkspaceConfiguration): Record<string, unknown> {
  return {
    rules: config.get<Record<string, string>>('rules', {}),
    targets: config.get<string[]>('targets', []),
    inlayHints: { enabled: config.get<boolean>('inlayHints.enabled', true) },
    format: { indent: config.get<number>('format.indent', 0) },
  };
}

let client: LanguageClient | undefined;
let output: vscode.OutputChannel;
let traceOutput: vscode.OutputChannel;
let starting: Promise<void> | undefined;

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
  const serverOptions: ServerOptions = {
    run: { command: server.command, args, transport: TransportKind.stdio },
    debug: { command: server.command, args: [...args, '--log-level', 'debug'], transport: TransportKind.stdio },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector,
    initializationOptions: serverSettings(config),
    synchronize: { configurationSection: SECTION },
    // The server logs to stderr, which lands here.
    outputChannel: output,
    traceOutputChannel: traceOutput,
  };
  // The id makes the client read the "stagehand.trace.server" setting.
  const c = new LanguageClient(SECTION, 'Stagehand', serverOptions, clientOptions);
  client = c;
  try {
    await c.start();
  } catch (err) {
    const message = `Stagehand: the server ${server.command} failed to start: ${err instanceof Error ? err.message : String(err)}`;
    output.appendLine(message);
    void vscode.window.showErrorMessage(message, 'Show Log').then((choice) => {
      if (choice) {
        output.show(true);
      }
    });
  }
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
  client = undefined;
  if (c && c.state !== State.Stopped) {
    try {
      await c.stop(2000);
    } catch (err) {
      output.appendLine(`Stopping the server: ${String(err)}`);
    }
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
