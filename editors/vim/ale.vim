" Stagehand for Vim with ALE (https://github.com/dense-analysis/ale).
" Put this in ~/.vimrc, or source this file from it. On Debian 12:
"   apt-get install vim vim-ale
" and `stagehand` on PATH (~/.local/bin, see the top-level README).

filetype plugin on
" Vim 9.0 knows Dockerfile, *.Dockerfile, *.dockerfile, Dockerfile.* and
" Containerfile(.*); Podman's *.containerfile too:
autocmd BufNewFile,BufRead *.containerfile setfiletype dockerfile
" Debian's ALE is an optional package: it loads only when asked for.
packadd! ale
" A rename also edits the Compose and Bake files that build the stage:
" without 'hidden', Vim will not leave the changed Dockerfile for them (E37).
set hidden

" The project root: the nearest folder holding .git, a Compose or Bake file,
" where Stagehand looks for the build targets they name.
function! s:StagehandRoot(buffer) abort
  for l:marker in ['.git', 'docker-compose.yaml', 'compose.yaml', 'docker-bake.hcl']
    let l:found = ale#path#FindNearestFile(a:buffer, l:marker)
    if !empty(l:found)
      return fnamemodify(l:found, ':h')
    endif
    " A folder comes back with a trailing slash, so ':h' is the folder
    " itself and ':h:h' the one that holds it.
    let l:found = ale#path#FindNearestDirectory(a:buffer, l:marker)
    if !empty(l:found)
      return fnamemodify(l:found, ':h:h')
    endif
  endfor
  " A lone Dockerfile: its own folder.
  return expand('#' . a:buffer . ':p:h')
endfunction

call ale#Set('dockerfile_stagehand_executable', 'stagehand')

call ale#linter#Define('dockerfile', {
\   'name': 'stagehand',
\   'lsp': 'stdio',
\   'executable': {b -> ale#Var(b, 'dockerfile_stagehand_executable')},
\   'command': '%e serve',
\   'project_root': function('s:StagehandRoot'),
"\  ALE counts columns in bytes, and says so in no capability:
\   'initialization_options': {'positionEncoding': 'utf-8'},
\})

" Stagehand alone; or beside hadolint: ['stagehand', 'hadolint'].
let g:ale_linters = {'dockerfile': ['stagehand']}

" <C-x><C-o> completes from the server.
autocmd FileType dockerfile setlocal omnifunc=ale#completion#OmniFunc

" ALE skips a linter whose program is missing without a word: say so.
autocmd FileType dockerfile
\ if !executable(ale#Var(+expand('<abuf>'), 'dockerfile_stagehand_executable'))
\ |   echohl WarningMsg
\ |   echomsg 'Stagehand: no ' . ale#Var(+expand('<abuf>'), 'dockerfile_stagehand_executable')
\       . ' on PATH (see g:ale_dockerfile_stagehand_executable)'
\ |   echohl None
\ | endif
