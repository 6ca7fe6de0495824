import * as vscode from 'vscode';

/** The webview panel that draws a Dockerfile's stage graph; one at a time. */
export class StageGraphPanel {
  private static current: StageGraphPanel | undefined;

  private constructor(private readonly panel: vscode.WebviewPanel, extensionUri: vscode.Uri) {
    const media = vscode.Uri.joinPath(extensionUri, 'media');
    const dist = vscode.Uri.joinPath(extensionUri, 'dist');
    panel.webview.options = { enableScripts: true, localResourceRoots: [media, dist] };
    panel.webview.html = this.html(
      panel.webview,
      panel.webview.asWebviewUri(vscode.Uri.joinPath(dist, 'graph.js')),
      panel.webview.asWebviewUri(vscode.Uri.joinPath(media, 'graph.css')),
    );
    panel.onDidDispose(() => {
      if (StageGraphPanel.current === this) {
        StageGraphPanel.current = undefined;
      }
    });
  }

  static show(extensionUri: vscode.Uri): StageGraphPanel {
    if (StageGraphPanel.current) {
      StageGraphPanel.current.panel.reveal(vscode.ViewColumn.Beside, true);
      return StageGraphPanel.current;
    }
    const panel = vscode.window.createWebviewPanel('stagehand.stageGraph', 'Stage graph', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {});
    StageGraphPanel.current = new StageGraphPanel(panel, extensionUri);
    return StageGraphPanel.current;
  }

  showMessage(text: string): void {
    void this.panel.webview.postMessage({ type: 'message', text });
  }

  showGraph(title: string, graph: unknown): void {
    this.panel.title = `Stage graph: ${title}`;
    void this.panel.webview.postMessage({ type: 'graph', title, graph });
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
