-- End-to-end test of Stagehand under Neovim's own LSP client (0.7+ API).
--
-- Run by run.sh as: nvim --headless -u NONE -i NONE -c 'luafile diagnostics.lua'
-- with STAGEHAND_BIN (the server binary) and STAGEHAND_WORKDIR (an empty
-- temporary directory) in the environment. Exits with status 0 only when every
-- test passed; the last line printed is the summary.

local bin = os.getenv('STAGEHAND_BIN')
local workdir = os.getenv('STAGEHAND_WORKDIR')

-- How long to wait for anything the server should do (milliseconds), and for
-- all the waits together, so that a silent server fails every test well before
-- run.sh's 60 s timeout kills Neovim.
local TIMEOUT = 10000
local BUDGET = 40000
local started = vim.loop.now()

local function budget()
  vim.loop.update_time()
  return math.max(1000, math.min(TIMEOUT, BUDGET - (vim.loop.now() - started)))
end

local passed, failed = 0, 0

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

local function finish()
  say(string.format('neovim: %d passed, %d failed', passed, failed))
  if failed == 0 then
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

-- Positions below are LSP's: 0-based line and character.
local function describe(diags)
  if #diags == 0 then
    return 'no diagnostics'
  end
  local parts = {}
  for _, d in ipairs(diags) do
    parts[#parts + 1] = string.format('%d:%d %q', d.lnum, d.col, d.message)
  end
  return table.concat(parts, '; ')
end

local function find(diags, pattern)
  local found = {}
  for _, d in ipairs(diags) do
    if d.message:lower():find(pattern, 1, true) then
      found[#found + 1] = d
    end
  end
  return found
end

-- wait_for waits until pattern appears in a diagnostic of buf and returns the
-- diagnostics then published.
local function wait_for(buf, pattern)
  local limit = budget()
  local ok = vim.wait(limit, function()
    return #find(vim.diagnostic.get(buf), pattern) > 0
  end, 20)
  local diags = vim.diagnostic.get(buf)
  if not ok then
    fail('no diagnostic mentioning %q within %d ms (have: %s)', pattern, limit, describe(diags))
  end
  return diags
end

local function expect_one(diags, pattern, line, col)
  local matches = find(diags, pattern)
  if #matches ~= 1 then
    fail('want exactly one diagnostic mentioning %q, have: %s', pattern, describe(diags))
  end
  local d = matches[1]
  if d.lnum ~= line or d.col ~= col then
    fail('diagnostic %q at %d:%d, want %d:%d', d.message, d.lnum, d.col, line, col)
  end
  if d.severity ~= vim.diagnostic.severity.ERROR then
    fail('diagnostic %q has severity %s, want error', d.message, tostring(d.severity))
  end
end

local function expect_absent(diags, pattern)
  if #find(diags, pattern) > 0 then
    fail('stale diagnostic mentioning %q after the edit: %s', pattern, describe(diags))
  end
end

local function set_text(buf, lines)
  vim.api.nvim_buf_set_lines(buf, 0, -1, false, lines)
end

local path = workdir .. '/Dockerfile'
local f = assert(io.open(path, 'w'))
f:write('FROM alpine:3.20 AS base\n', 'RUNN echo hello\n')
f:close()

vim.cmd('edit ' .. vim.fn.fnameescape(path))
local buf = vim.api.nvim_get_current_buf()
vim.bo[buf].filetype = 'dockerfile'

local exit_code, exit_signal
local client_id, client
local ready = false

test('server starts and initializes', function()
  local ok, id = pcall(vim.lsp.start_client, {
    name = 'stagehand',
    cmd = { bin, 'serve', '--log-file', workdir .. '/server.log', '--log-level', 'debug' },
    root_dir = workdir,
    flags = { debounce_text_changes = 50 },
    on_exit = function(code, signal)
      exit_code, exit_signal = code, signal
    end,
  })
  if not ok or not id then
    fail('vim.lsp.start_client failed: %s', tostring(id))
  end
  client_id = id
  if not vim.lsp.buf_attach_client(buf, client_id) then
    fail('vim.lsp.buf_attach_client refused buffer %d', buf)
  end
  client = vim.lsp.get_client_by_id(client_id)
  local limit = budget()
  local up = vim.wait(limit, function()
    return exit_code ~= nil or (client ~= nil and client.initialized)
  end, 20)
  if exit_code ~= nil then
    fail('server exited during startup with code %d, signal %d', exit_code, exit_signal)
  end
  if not up then
    fail('no initialize response within %d ms', limit)
  end
  -- Without open/close and change notifications Neovim would never send the
  -- text, and every later test would wait in vain.
  local sync = client.server_capabilities.textDocumentSync
  local open_close, change = false, 0
  if type(sync) == 'number' then
    open_close, change = sync > 0, sync
  elseif type(sync) == 'table' then
    open_close, change = sync.openClose == true, sync.change or 0
  end
  if not open_close or (change ~= 1 and change ~= 2) then
    fail('server does not take open/close and change notifications: textDocumentSync = %s', vim.inspect(sync))
  end
  ready = true
end)

local function need_client()
  if not ready or exit_code ~= nil then
    fail('no running, initialized server')
  end
end

test('unknown instruction is reported on open', function()
  need_client()
  local diags = wait_for(buf, 'unknown instruction')
  expect_one(diags, 'unknown instruction', 1, 0)
  local d = find(diags, 'unknown instruction')[1]
  if not d.message:find('RUNN', 1, true) then
    fail('message %q does not name the instruction RUNN', d.message)
  end
end)

test('FROM without an argument is reported after an edit', function()
  need_client()
  set_text(buf, {
    'FROM golang:1.26 AS build',
    'RUN go build -o /out/app .',
    '',
    'FROM',
    'COPY --from=build /out/app /app',
  })
  local diags = wait_for(buf, 'from requires')
  expect_one(diags, 'from requires', 3, 0)
  expect_absent(diags, 'unknown instruction')
end)

test('unterminated heredoc is reported after an edit', function()
  need_client()
  set_text(buf, {
    'FROM alpine:3.20',
    'RUN echo ok',
    'RUN <<EOF',
    'echo never closed',
  })
  local diags = wait_for(buf, 'heredoc')
  expect_one(diags, 'heredoc', 2, 0)
  expect_absent(diags, 'from requires')
end)

test('fixing the file clears its diagnostics', function()
  need_client()
  set_text(buf, {
    'FROM alpine:3.20',
    'RUNN echo ok',
  })
  wait_for(buf, 'unknown instruction')
  set_text(buf, {
    'FROM alpine:3.20',
    'RUN echo ok',
  })
  local limit = budget()
  local cleared = vim.wait(limit, function()
    return #vim.diagnostic.get(buf) == 0
  end, 20)
  if not cleared then
    fail('diagnostics remain %d ms after the fix: %s', limit, describe(vim.diagnostic.get(buf)))
  end
end)

test('completion after COPY --from= offers earlier stages, without snippets', function()
  need_client()
  if not client.server_capabilities.completionProvider then
    fail('server does not advertise completionProvider')
  end
  set_text(buf, {
    'FROM golang:1.26 AS build',
    'RUN go build -o /out/app .',
    '',
    'FROM alpine:3.20 AS final',
    'COPY --from=',
  })
  local line, character = 4, #'COPY --from='
  local responses, err = vim.lsp.buf_request_sync(buf, 'textDocument/completion', {
    textDocument = { uri = vim.uri_from_bufnr(buf) },
    position = { line = line, character = character },
  }, budget())
  local resp = responses and responses[client_id]
  if not resp then
    fail('no completion response: %s', tostring(err))
  end
  if resp.err then
    fail('completion failed: %s', vim.inspect(resp.err))
  end
  local result = resp.result or {}
  local items = result.items or result
  local labels = {}
  for _, item in ipairs(items) do
    labels[item.label] = true
    -- Neovim 0.7 declares no snippet support and would insert "$1" literally.
    if item.insertTextFormat == 2 then
      fail('item %q is a snippet; Neovim 0.7 does not take snippets', item.label)
    end
    local edit = item.textEdit
    local range = edit and (edit.range or edit.replace)
    if range and (range.start.line ~= line or range['end'].line ~= line
        or range.start.character > character or range['end'].character < character) then
      fail('item %q edits %s, which does not cover the cursor at %d:%d', item.label, vim.inspect(range), line, character)
    end
  end
  local have = vim.tbl_keys(labels)
  table.sort(have)
  if not labels.build then
    fail('stage "build" not offered; have: %s', table.concat(have, ', '))
  end
  if labels.final then
    fail('the current stage "final" is offered: a stage cannot copy from itself')
  end
end)

-- Shutdown has its own short limits, outside the budget: a server must answer
-- it at once.
local QUICK = 3000

test('shutdown and exit end the server with status 0', function()
  need_client()
  local resp, err = client.request_sync('shutdown', nil, QUICK, buf)
  if not resp then
    fail('no shutdown response: %s', tostring(err))
  end
  if resp.err then
    fail('shutdown failed: %s', vim.inspect(resp.err))
  end
  if resp.result ~= nil and resp.result ~= vim.NIL then
    fail('shutdown result %s, want null', vim.inspect(resp.result))
  end
  client.notify('exit')
  if not vim.wait(QUICK, function()
    return exit_code ~= nil
  end, 20) then
    fail('server still running %d ms after exit', QUICK)
  end
  if exit_code ~= 0 or exit_signal ~= 0 then
    fail('server ended with code %d, signal %d, want code 0', exit_code, exit_signal)
  end
  if not vim.wait(QUICK, function()
    return vim.lsp.client_is_stopped(client_id)
  end, 20) then
    fail('Neovim still lists client %d as active', client_id)
  end
end)

-- client.stop() is what :qall and :LspStop do: it sends exit from inside the
-- shutdown response's callback, with no pause between the two, so it finds
-- races the test above cannot. One stop in a row may pass by luck.
local STOPS = 10

test(string.format("Neovim's client.stop() ends the server with status 0, %d times", STOPS), function()
  if not ready then
    fail('no running, initialized server')
  end
  for i = 1, STOPS do
    local code, signal
    local id = vim.lsp.start_client({
      name = 'stagehand-stop-' .. i,
      cmd = { bin, 'serve', '--log-file', workdir .. '/server.log', '--log-level', 'debug' },
      root_dir = workdir,
      on_exit = function(c, s)
        code, signal = c, s
      end,
    })
    if not id then
      fail('stop %d: vim.lsp.start_client failed', i)
    end
    local c = vim.lsp.get_client_by_id(id)
    if not vim.wait(QUICK, function()
      return code ~= nil or c.initialized
    end, 10) or code ~= nil then
      fail('stop %d: server did not initialize', i)
    end
    c.stop()
    if not vim.wait(QUICK, function()
      return code ~= nil
    end, 10) then
      fail('stop %d: server still running %d ms after client.stop()', i, QUICK)
    end
    if code ~= 0 or signal ~= 0 then
      fail('stop %d of %d: server ended with code %d, signal %d, want code 0', i, STOPS, code, signal)
    end
  end
end)

finish()
