-- Stagehand's editing features under Neovim's own LSP client (0.7+ API):
-- completion, definition, rename and code actions, each checked on what
-- Neovim receives and, for edits, on the buffer after Neovim applies them.
--
-- Run by run.sh like diagnostics.lua, with STAGEHAND_BIN and
-- STAGEHAND_WORKDIR set. The last line printed is the summary.

local bin = os.getenv('STAGEHAND_BIN')
local workdir = os.getenv('STAGEHAND_WORKDIR')
local TIMEOUT = 10000

local passed, failed, skipped = 0, 0, 0

local function say(line)
  io.stdout:write(line, '\n')
  io.stdout:flush()
end

local function fail(fmt, ...)
  error(string.format(fmt, ...), 0)
end

local function test(name, fn)
  local ok, err = pcall(fn)
  if ok then
    passed = passed + 1
    say('ok   ' .. name)
  else
    failed = failed + 1
    say('FAIL ' .. name .. ': ' .. tostring(err))
  end
end

-- skip marks a test whose feature the server does not advertise: reported,
-- never counted as passed.
local function skip(name, why)
  skipped = skipped + 1
  say('skip ' .. name .. ': ' .. why)
end

local function finish()
  say(string.format('neovim-features: %d passed, %d failed, %d skipped', passed, failed, skipped))
  if failed == 0 and passed > 0 then
    vim.cmd('qall!')
  else
    vim.cmd('cquit 1')
  end
end

if not bin or bin == '' or not workdir or workdir == '' then
  say('FAIL setup: STAGEHAND_BIN and STAGEHAND_WORKDIR must be set (use run.sh)')
  failed = 1
  finish()
  return
end

local path = workdir .. '/features/Dockerfile'
vim.fn.mkdir(workdir .. '/features', 'p')
local f = assert(io.open(path, 'w'))
f:write(table.concat({
  'FROM golang:1.26 AS build', -- 0
  'RUN go build -o /out/app .', -- 1
  '', -- 2
  'FROM alpine:3.20 AS unused', -- 3
  'RUN echo never built', -- 4
  '', -- 5
  'FROM alpine:3.20', -- 6
  'COPY --from=build /out/app /app', -- 7
  '',
}, '\n'))
f:close()

vim.cmd('edit ' .. vim.fn.fnameescape(path))
local buf = vim.api.nvim_get_current_buf()
vim.bo[buf].filetype = 'dockerfile'

local client, client_id, exit_code

local function lines()
  return vim.api.nvim_buf_get_lines(buf, 0, -1, false)
end

-- request sends method with params for buf and returns the single result.
local function request(method, params)
  local resps, err = vim.lsp.buf_request_sync(buf, method, params, TIMEOUT)
  if not resps then
    fail('%s: no response (%s)', method, tostring(err))
  end
  local r = resps[client_id]
  if not r then
    fail('%s: no response from the server', method)
  end
  if r.err then
    fail('%s: %s', method, vim.inspect(r.err))
  end
  return r.result
end

local function at(line, character)
  return { textDocument = { uri = vim.uri_from_bufnr(buf) }, position = { line = line, character = character } }
end

test('server starts with completion, definition and rename', function()
  client_id = vim.lsp.start_client({
    name = 'stagehand',
    cmd = { bin, 'serve', '--log-file', workdir .. '/features.log', '--log-level', 'debug' },
    root_dir = workdir .. '/features',
    flags = { debounce_text_changes = 50 },
    on_exit = function(code)
      exit_code = code
    end,
  })
  if not client_id then
    fail('vim.lsp.start_client failed')
  end
  vim.lsp.buf_attach_client(buf, client_id)
  client = vim.lsp.get_client_by_id(client_id)
  if not vim.wait(TIMEOUT, function()
    return exit_code ~= nil or client.initialized
  end, 20) or exit_code ~= nil then
    fail('server did not initialize')
  end
  local caps = client.server_capabilities
  local missing = {}
  for _, cap in ipairs({ 'completionProvider', 'definitionProvider', 'renameProvider' }) do
    if not caps[cap] then
      missing[#missing + 1] = cap
    end
  end
  if #missing > 0 then
    fail('server lacks %s', table.concat(missing, ', '))
  end
end)

test('completion after COPY --from= offers the earlier stages', function()
  vim.api.nvim_buf_set_lines(buf, 8, 9, false, { 'COPY --from=' })
  local result = request('textDocument/completion', at(8, 12))
  local items = result and (result.items or result) or {}
  local labels = {}
  for _, item in ipairs(items) do
    labels[#labels + 1] = item.label
  end
  if not vim.tbl_contains(labels, 'build') or not vim.tbl_contains(labels, 'unused') then
    fail('completion labels %s lack "build" or "unused"', vim.inspect(labels))
  end
  -- Neovim 0.7 takes no snippets: the server must not send them.
  for _, item in ipairs(items) do
    if item.insertTextFormat == 2 then
      fail('item %q is a snippet, which this client did not offer to take', item.label)
    end
  end
  vim.api.nvim_buf_set_lines(buf, 8, 9, false, { '' })
end)

test('definition of --from=build is the stage name on line 0', function()
  local result = request('textDocument/definition', at(7, 14))
  if result == nil or result == vim.NIL then
    fail('no definition')
  end
  local loc = result.uri and result or result[1]
  local range = loc.targetSelectionRange or loc.range
  if range.start.line ~= 0 or range.start.character ~= 20 or range['end'].character ~= 25 then
    fail('definition at %s, want 0:20-0:25', vim.inspect(range))
  end
  if (loc.uri or loc.targetUri) ~= vim.uri_from_bufnr(buf) then
    fail('definition in %s', loc.uri or loc.targetUri)
  end
end)

test('rename of the stage, applied by Neovim, edits definition and reference', function()
  local params = at(7, 14)
  params.newName = 'builder'
  local edit = request('textDocument/rename', params)
  if edit == nil or edit == vim.NIL then
    fail('no rename edit')
  end
  vim.lsp.util.apply_workspace_edit(edit, client.offset_encoding)
  local l = lines()
  if l[1] ~= 'FROM golang:1.26 AS builder' or l[8] ~= 'COPY --from=builder /out/app /app' then
    fail('after rename: %s', vim.inspect(l))
  end
end)

local QUICKFIX = 'the unused stage is reported, and a quick fix for it applies'
local function quickfix_test(name, fn)
  if client and not client.server_capabilities.codeActionProvider then
    skip(name, 'the server does not offer code actions yet')
    return
  end
  test(name, fn)
end

quickfix_test(QUICKFIX, function()
  local uri = vim.uri_from_bufnr(buf)
  local diags
  if not vim.wait(TIMEOUT, function()
    diags = {}
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      if (d.code == 'UnusedStage') or d.message:lower():find('unused', 1, true) then
        diags[#diags + 1] = d
      end
    end
    return #diags > 0
  end, 20) then
    fail('no UnusedStage diagnostic; have %s', vim.inspect(vim.diagnostic.get(buf)))
  end
  local d = diags[1]
  if d.lnum ~= 3 then
    fail('UnusedStage on line %d, want 3', d.lnum)
  end
  -- Neovim 0.7 keeps the LSP fields it does not map (code, data, tags) in
  -- user_data.lsp; rebuild the diagnostic as the server sent it.
  local lsp_diag = vim.tbl_extend('force', (d.user_data and d.user_data.lsp) or {}, {
    range = { start = { line = d.lnum, character = d.col }, ['end'] = { line = d.end_lnum, character = d.end_col } },
    message = d.message,
    severity = d.severity,
    source = d.source,
  })
  local result = request('textDocument/codeAction', {
    textDocument = { uri = uri },
    range = lsp_diag.range,
    context = { diagnostics = { lsp_diag }, only = { 'quickfix' } },
  })
  if result == nil or result == vim.NIL or #result == 0 then
    fail('no quick fix for %q', d.message)
  end
  local titles = {}
  for _, a in ipairs(result) do
    titles[#titles + 1] = a.title
  end
  local action = result[1]
  for _, a in ipairs(result) do
    if a.isPreferred then
      action = a
    end
  end
  if action.edit == nil and action.data ~= nil then
    action = request('codeAction/resolve', action)
  end
  if not action.edit then
    fail('quick fix %q carries no edit (titles: %s)', action.title, table.concat(titles, ' | '))
  end
  vim.lsp.util.apply_workspace_edit(action.edit, client.offset_encoding)
  local text = table.concat(lines(), '\n')
  if text:find('AS unused', 1, true) or text:find('never built', 1, true) then
    fail('quick fix %q left the unused stage: %s', action.title, vim.inspect(lines()))
  end
  if not text:find('FROM golang:1.26 AS builder\n', 1, true) or not text:find('COPY --from=builder /out/app /app', 1, true) then
    fail('quick fix %q changed more than the unused stage: %s', action.title, vim.inspect(lines()))
  end
  if not vim.wait(TIMEOUT, function()
    for _, x in ipairs(vim.diagnostic.get(buf)) do
      if x.code == 'UnusedStage' then
        return false
      end
    end
    return true
  end, 20) then
    fail('UnusedStage still reported after %q: %s', action.title, vim.inspect(lines()))
  end
  say('     applied: ' .. action.title)
end)

test('shutdown and exit', function()
  local resp = client.request_sync('shutdown', nil, 3000, buf)
  if not resp or resp.err then
    fail('shutdown failed: %s', vim.inspect(resp))
  end
  client.notify('exit')
  if not vim.wait(3000, function()
    return exit_code ~= nil
  end, 20) or exit_code ~= 0 then
    fail('server exit code %s', tostring(exit_code))
  end
end)

finish()
