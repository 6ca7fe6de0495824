-- Stagehand for Neovim 0.11+: put this directory's parent on 'runtimepath'
-- (or copy this file to ~/.config/nvim/lsp/) and call vim.lsp.enable('stagehand').

---@type vim.lsp.Config
return {
  cmd = { 'stagehand', 'serve' },
  -- Compose files too: Stagehand answers there only at `build.target`
  -- (completion, definition, unknown targets) and leaves the rest to the
  -- YAML server.
  filetypes = { 'dockerfile', 'yaml.docker-compose' },
  -- Tried in order, each searched upward from the file: the repository wins,
  -- then a Compose or Bake file, and a lone Dockerfile falls back to its own
  -- directory.
  root_markers = { '.git', 'docker-compose.yaml', 'compose.yaml', 'docker-bake.hcl', 'Dockerfile' },
}
