//! Zed starts `stagehand serve` for Dockerfiles. The binary is the one set in
//! `lsp.stagehand.binary.path` in Zed's settings, else `stagehand` on the
//! worktree's PATH. `lsp.stagehand.initialization_options` and
//! `lsp.stagehand.settings` pass the "stagehand" settings (rules, targets).

use zed_extension_api::{self as zed, serde_json, settings::LspSettings, LanguageServerId, Result};

const SERVER: &str = "stagehand";

struct Stagehand;

impl zed::Extension for Stagehand {
    fn new() -> Self {
        Stagehand
    }

    fn language_server_command(
        &mut self,
        _id: &LanguageServerId,
        worktree: &zed::Worktree,
    ) -> Result<zed::Command> {
        let binary = LspSettings::for_worktree(SERVER, worktree)
            .ok()
            .and_then(|s| s.binary);
        let args = binary
            .as_ref()
            .and_then(|b| b.arguments.clone())
            .unwrap_or_else(|| vec!["serve".into()]);
        let path = match binary.and_then(|b| b.path) {
            Some(path) => path,
            None => worktree.which(SERVER).ok_or_else(|| {
                "stagehand was not found on PATH. Build it from a checkout \
                 (`go build -trimpath -o ~/.local/bin/stagehand .`, see the \
                 Install section of Stagehand's README) and put ~/.local/bin \
                 on PATH, or set lsp.stagehand.binary.path in Zed's settings."
                    .to_string()
            })?,
        };
        Ok(zed::Command {
            command: path,
            args,
            env: Default::default(),
        })
    }

    fn language_server_initialization_options(
        &mut self,
        _id: &LanguageServerId,
        worktree: &zed::Worktree,
    ) -> Result<Option<serde_json::Value>> {
        Ok(LspSettings::for_worktree(SERVER, worktree)
            .ok()
            .and_then(|s| s.initialization_options))
    }

    fn language_server_workspace_configuration(
        &mut self,
        _id: &LanguageServerId,
        worktree: &zed::Worktree,
    ) -> Result<Option<serde_json::Value>> {
        Ok(LspSettings::for_worktree(SERVER, worktree)
            .ok()
            .and_then(|s| s.settings)
            .map(|settings| serde_json::json!({ "stagehand": settings })))
    }
}

zed::register_extension!(Stagehand);
