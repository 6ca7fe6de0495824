" Stagehand under Vim's ALE, headless. Run by run.sh as
"   vim -Nu NONE -i NONE -es -S ale-test.vim
" with STAGEHAND_WORKDIR (an empty directory) set and the server first on PATH
" as `stagehand`. Writes its report to $STAGEHAND_WORKDIR/report, the last
" line "vim-ale: N passed, N failed", and exits non-zero on failure.

let s:dir = $STAGEHAND_WORKDIR
let s:here = expand('<sfile>:p:h')
let s:report = []
let s:passed = 0
let s:failed = 0
let s:timeout_ms = 15000

set runtimepath^=/usr/share/vim-ale
set runtimepath+=/usr/share/vim-ale/after
let g:ale_lint_on_text_changed = 'always'
let g:ale_lint_delay = 50
let g:ale_lint_on_enter = 1
let g:ale_set_loclist = 1
let g:ale_echo_cursor = 0
let g:ale_linters = {'dockerfile': ['stagehand']}
let g:ale_history_log_output = 1
filetype plugin on
runtime plugin/ale.vim
" The setup the README gives.
execute 'source ' . fnameescape(s:here . '/../ale.vim')

function! s:Say(line) abort
  call add(s:report, a:line)
  call writefile(s:report, s:dir . '/report')
endfunction

function! s:Wait(Pred, what) abort
  let l:waited = 0
  while !a:Pred() && l:waited < s:timeout_ms
    sleep 50m
    let l:waited += 50
  endwhile
  if !a:Pred()
    throw 'timed out after ' . s:timeout_ms . ' ms waiting for ' . a:what
  endif
endfunction

function! s:Test(name, Fn) abort
  try
    call a:Fn()
    let s:passed += 1
    call s:Say('ok   ' . a:name)
  catch
    let s:failed += 1
    call s:Say('FAIL ' . a:name . ': ' . v:exception . ' (' . v:throwpoint . ')')
  endtry
endfunction

function! s:Find(pattern) abort
  return filter(copy(ale#engine#GetLoclist(bufnr(''))), {_, d -> d.text =~? a:pattern})
endfunction

call writefile([
\ 'FROM golang:1.26 AS build',
\ 'RUN go build -o /out/app .',
\ '',
\ 'FROM alpine:3.20',
\ 'COPY --from=build /out/app /app',
\ 'RUNN echo typo',
\], s:dir . '/Dockerfile')

execute 'edit ' . fnameescape(s:dir . '/Dockerfile')

function! s:TestFiletype() abort
  if &filetype isnot# 'dockerfile'
    throw 'filetype is ' . string(&filetype)
  endif
  if index(map(ale#linter#Get('dockerfile'), 'v:val.name'), 'stagehand') < 0
    throw 'no stagehand linter for dockerfile'
  endif
endfunction
call s:Test('Vim sees a dockerfile and ALE has the stagehand linter', function('s:TestFiletype'))

function! s:TestDiagnostic() abort
  ALELint
  call s:Wait({-> !empty(s:Find('unknown instruction'))}, 'the unknown-instruction diagnostic')
  let l:d = s:Find('unknown instruction')[0]
  if l:d.lnum != 6 || l:d.col != 1 || l:d.type isnot# 'E'
    throw 'diagnostic at ' . l:d.lnum . ':' . l:d.col . ' type ' . l:d.type . ', want 6:1 E: ' . string(l:d)
  endif
  if l:d.text !~# 'RUNN'
    throw 'message does not name RUNN: ' . l:d.text
  endif
endfunction
call s:Test('the unknown instruction arrives from the server at 6:1 as an error', function('s:TestDiagnostic'))

function! s:TestFixed() abort
  if empty(s:Find('unknown instruction'))
    throw 'no diagnostic to clear: the previous test did not get one'
  endif
  call setline(6, 'RUN echo typo')
  ALELint
  call s:Wait({-> empty(s:Find('unknown instruction'))}, 'the diagnostic to clear after the fix')
endfunction
call s:Test('fixing the line clears the diagnostic', function('s:TestFixed'))

function! s:TestDefinition() abort
  call cursor(5, 15)
  ALEGoToDefinition
  call s:Wait({-> line('.') == 1}, 'the cursor to move to line 1 (it is at ' . line('.') . ')')
  if col('.') != 21
    throw 'definition at column ' . col('.') . ', want 21 (the stage name)'
  endif
endfunction
call s:Test(':ALEGoToDefinition jumps from --from=build to the stage', function('s:TestDefinition'))

call s:Say('vim-ale: ' . s:passed . ' passed, ' . s:failed . ' failed')
if s:failed == 0 && s:passed > 0
  qall!
endif
cquit!
