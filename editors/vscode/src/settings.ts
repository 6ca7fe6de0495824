// The settings the server reads. Kept free of the vscode module so that it
// can be unit-tested with node's test runner.

/** What serverSettings reads from; vscode.WorkspaceConfiguration is one. */
export interface Configuration {
  get<T>(section: string, defaultValue: T): T;
}

/**
 * The "stagehand" section as the server reads it (server/config.go),
 * sent as initializationOptions. Each key is a setting of package.json.
 */
export function serverSettings(config: Configuration): Record<string, unknown> {
  return {
    rules: config.get<Record<string, string>>('rules', {}),
    targets: config.get<string[]>('targets', []),
    inlayHints: { enabled: config.get<boolean>('inlayHints.enabled', true) },
    format: { indent: config.get<number>('format.indent', 0), shell: config.get<boolean>('format.shell', false) },
  };
}
