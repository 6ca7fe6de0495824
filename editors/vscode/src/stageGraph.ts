import * as vscode from 'vscode';

/** The webview panel that draws a Dockerfile's stage graph; one at a time. */
export class StageGraphPanel {
  private static current: StageGraphPanel | undefined;
  // The last thing to show, kept until the webview's script says it is
  // ready (a message posted before that is lost) and re-sent whenever the
  // webview reloads, e.g. after being hidden.
  private last: unknown;
  private ready = false;

  private constructor(private readonly panel: vscode.WebviewPanel, extensionUri: vscode.Uri) {
    const media = vscode.Uri.joinPath(extensionUri, 'media');
    const dist = vscode.Uri.joinPath(extensionUri, 'dist');
    panel.webview.options = { enableScripts: true, localResourceRoots: [media, dist] };
    panel.webview.html = this.html(
      panel.webview,
      panel.webview.asWebviewUri(vscode.Uri.joinPath(dist, 'graph.js')),
      panel.webview.asWebviewUri(vscode.Uri.joinPath(media, 'graph.css')),
    );
    panel.webview.onDidReceiveMessage((msg: { type?: string }) => {
      if (msg?.type === 'ready') {
        this.ready = true;
        if (this.last !== undefined) {
          void this.panel.webview.postMessage(this.last);
        }
      }
    });
    panel.onDidDispose(() => {
      if (StageGraphPanel.current === this) {
        StageGraphPanel.current = undefined;
      }
    });
  }

  static isOpen(): boolean {
    return StageGraphPanel.current !== undefined;
  }

  /** Returns the panel, creating it; reveal brings an existing one to front. */
  static show(extensionUri: vscode.Uri, reveal = true): StageGraphPanel {
    if (StageGraphPanel.current) {
      if (reveal) {
        StageGraphPanel.current.panel.reveal(vscode.ViewColumn.Beside, true);
      }
      return StageGraphPanel.current;
    }
    const panel = vscode.window.createWebviewPanel('stagehand.stageGraph', 'Stage graph', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {});
    StageGraphPanel.current = new StageGraphPanel(panel, extensionUri);
    return StageGraphPanel.current;
  }

  showMessage(text: string): void {
    this.post({ type: 'message', text });
  }

  showGraph(title: string, graph: unknown): void {
    this.panel.title = `Stage graph: ${title}`;
    this.post({ type: 'graph', title, graph });
  }

  private post(msg: unknown): void {
    this.last = msg;
    if (this.ready) {
      void this.panel.webview.postMessage(msg);
    }
  }

  private html(webview: vscode.Webview, script: vscode.Uri, style: vscode.Uri): string {
    // Only our own bundled script and style load; nothing from the network.
    const csp = `default-src 'none'; img-src ${webview.cspSource}; style-src ${webview.cspSource}; script-src ${webview.cspSource};`;
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style}">
<title>Stage graph</title>
</head>
<body>
<h1 id="title">Stage graph</h1>
<div id="root"><p class="message">Loading...</p></div>
<script src="${script}"></script>
</body>
</html>`;
  }
}
